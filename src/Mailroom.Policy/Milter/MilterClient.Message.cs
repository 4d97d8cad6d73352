using System.Buffers;

namespace Mailroom.Policy.Milter;

/// <summary>
/// The message part of the conversation: DATA (when the client sends the command), then at the end of the content the
/// header fields, end of header, the body and the end of message.
/// </summary>
internal sealed partial class MilterClient
{
    /// <summary>
    /// Sends the message as the milters before this one left it (<paramref name="fields"/>, then the body from
    /// <paramref name="bodyOffset"/> of <paramref name="body"/>); a refusal, the modifications and a quarantine go into
    /// <paramref name="verdict"/>.
    /// </summary>
    public async ValueTask MessageAsync(MilterMessage facts, IReadOnlyList<MessageHeaderField> fields, Stream body, long bodyOffset, MilterVerdict verdict)
    {
        var macros = new MilterMacros(facts);
        bool keepSpace = (_steps & MilterSteps.HeaderLeadingSpace) != 0;
        if ((_steps & MilterSteps.NoHeaders) == 0)
        {
            foreach (MessageHeaderField field in fields)
            {
                MilterReply? reply = await ExchangeAsync(null, macros, MilterSteps.None, MilterSteps.NoReplyHeader, MilterProtocol.Header,
                    w => w.String(field.Name).Bytes(field.MilterValue(keepSpace)).Byte(0), _settings.ContentTimeout).ConfigureAwait(false);
                if (reply is { Code: MilterProtocol.Skip })
                {
                    break;
                }

                if (reply is { } r && !Proceed(r, verdict))
                {
                    return;
                }
            }
        }

        if (!await StepAsync(MilterStage.EndOfHeaders, macros, MilterSteps.NoEndOfHeaders, MilterSteps.NoReplyEndOfHeaders, MilterProtocol.EndOfHeaders, _ => { }, verdict, _settings.ContentTimeout).ConfigureAwait(false))
        {
            return;
        }

        if ((_steps & MilterSteps.NoBody) == 0 && !await SendBodyAsync(body, bodyOffset, verdict).ConfigureAwait(false))
        {
            return;
        }

        await EndOfMessageAsync(macros, verdict).ConfigureAwait(false);
        Disarm();
    }

    /// <summary>Runs one step of the message; false when the conversation about it ends here (refused or accepted early).</summary>
    private async ValueTask<bool> StepAsync(MilterStage stage, MilterMacros macros, MilterSteps skipFlag, MilterSteps noReplyFlag, byte command,
        Action<MilterPacketWriter> write, MilterVerdict verdict, TimeSpan timeout)
    {
        MilterReply? reply = await ExchangeAsync(stage, macros, skipFlag, noReplyFlag, command, write, timeout).ConfigureAwait(false);
        return reply is not { } r || Proceed(r, verdict);
    }

    /// <summary>Streams the body from the content file in chunks of at most 64 KiB; false when the conversation ends here.</summary>
    private async ValueTask<bool> SendBodyAsync(Stream body, long bodyOffset, MilterVerdict verdict)
    {
        body.Seek(bodyOffset, SeekOrigin.Begin);
        byte[] chunk = ArrayPool<byte>.Shared.Rent(MilterProtocol.MaxBodyChunk);
        try
        {
            while (true)
            {
                int read = await body.ReadAtLeastAsync(chunk.AsMemory(0, MilterProtocol.MaxBodyChunk), MilterProtocol.MaxBodyChunk, throwOnEndOfStream: false, _deadline.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    return true;
                }

                _deadline.CancelAfter(_settings.ContentTimeout);
                await SendBodyChunkAsync(chunk.AsMemory(0, read)).ConfigureAwait(false);
                if ((_steps & MilterSteps.NoReplyBody) == 0)
                {
                    MilterReply reply = await ReadReplyAsync(_settings.ContentTimeout).ConfigureAwait(false);
                    if (reply.Code == MilterProtocol.Skip)
                    {
                        return true;
                    }

                    if (!Proceed(reply, verdict))
                    {
                        return false;
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>End of message: modification actions come first, then the final reply.</summary>
    private async ValueTask EndOfMessageAsync(MilterMacros macros, MilterVerdict verdict)
    {
        _deadline.CancelAfter(_settings.ContentTimeout);
        await SendMacrosAsync(MilterStage.EndOfMessage, MilterProtocol.EndOfBody, macros).ConfigureAwait(false);
        await SendAsync(_writer.Begin(MilterProtocol.EndOfBody).Finish()).ConfigureAwait(false);
        FileStream? replacement = null;
        long bodySize = 0;
        try
        {
            while (true)
            {
                MilterPacket packet = await ReadPacketAsync().ConfigureAwait(false);
                if (packet.Code == MilterProtocol.Progress)
                {
                    // The milter is still working: its deadline starts again (Postfix does the same).
                    _deadline.CancelAfter(_settings.ContentTimeout);
                    continue;
                }

                if (packet.Code == MilterProtocol.ReplaceBody)
                {
                    Require(MilterActions.ChangeBody, packet.Code);
                    bodySize += packet.Data.Length;
                    if (bodySize > _limits.MaxReplacedBodySize)
                    {
                        throw new MilterProtocolException($"milter replaced the body with more than {_limits.MaxReplacedBodySize} bytes");
                    }

                    replacement ??= MilterLimits.CreateSpoolFile();
                    await replacement.WriteAsync(packet.Data, _deadline.Token).ConfigureAwait(false);
                    continue;
                }

                if (IsModification(packet.Code))
                {
                    if (verdict.ModificationCount >= _limits.MaxModifications)
                    {
                        throw new MilterProtocolException($"milter sent more than {_limits.MaxModifications} modifications");
                    }

                    ApplyModification(packet, verdict);
                    continue;
                }

                MilterReply reply = ToReply(packet);
                if (reply.Code is MilterProtocol.Accept or MilterProtocol.Continue)
                {
                    if (replacement is not null)
                    {
                        await replacement.FlushAsync(_deadline.Token).ConfigureAwait(false);
                        replacement.Position = 0;
                        verdict.ReplacedBody?.Dispose();
                        verdict.ReplacedBody = replacement;
                        replacement = null;
                    }

                    return;
                }

                Proceed(reply, verdict);
                return;
            }
        }
        finally
        {
            if (replacement is not null)
            {
                await replacement.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static bool IsModification(byte code) => code is MilterProtocol.AddHeader or MilterProtocol.InsertHeader or MilterProtocol.ChangeHeader
        or MilterProtocol.AddRecipient or MilterProtocol.AddRecipientWithParameters or MilterProtocol.DeleteRecipient or MilterProtocol.ChangeSender
        or MilterProtocol.Quarantine;

    private void ApplyModification(MilterPacket packet, MilterVerdict verdict)
    {
        var fields = new MilterFields(packet.Data);
        switch (packet.Code)
        {
            case MilterProtocol.AddHeader:
                Require(MilterActions.AddHeaders, packet.Code);
                verdict.Add(new HeaderAdded(FieldName(fields.String()), FieldValue(fields.LastString(), (_steps & MilterSteps.HeaderLeadingSpace) != 0)));
                break;
            case MilterProtocol.InsertHeader:
                Require(MilterActions.AddHeaders, packet.Code);
                int index = (int)Math.Min(fields.UInt32(), int.MaxValue);
                verdict.Add(new HeaderInserted(index, FieldName(fields.String()), FieldValue(fields.LastString(), (_steps & MilterSteps.HeaderLeadingSpace) != 0)));
                break;
            case MilterProtocol.ChangeHeader:
                Require(MilterActions.ChangeHeaders, packet.Code);
                int occurrence = (int)Math.Min(fields.UInt32(), int.MaxValue);
                verdict.Add(new HeaderChanged(Math.Max(1, occurrence), FieldName(fields.String()), FieldValue(fields.LastString(), (_steps & MilterSteps.HeaderLeadingSpace) != 0)));
                break;
            case MilterProtocol.AddRecipient:
                Require(MilterActions.AddRecipients, packet.Code);
                verdict.Add(new RecipientAdded(Address(fields.LastString())));
                break;
            case MilterProtocol.AddRecipientWithParameters:
                Require(MilterActions.AddRecipientsWithParameters, packet.Code);
                verdict.Add(new RecipientAdded(Address(fields.String())));
                break;
            case MilterProtocol.DeleteRecipient:
                Require(MilterActions.DeleteRecipients, packet.Code);
                verdict.Add(new RecipientDeleted(Address(fields.LastString())));
                break;
            case MilterProtocol.ChangeSender:
                Require(MilterActions.ChangeSender, packet.Code);
                verdict.Add(new SenderChanged(Address(fields.AtEnd ? "" : fields.String())));
                break;
            default:
                Require(MilterActions.Quarantine, packet.Code);
                string reason = fields.LastString();
                verdict.QuarantineReason = reason.Length == 0 ? "milter quarantine" : reason;
                break;
        }
    }

    private void Require(MilterActions action, byte code)
    {
        if ((_actions & action) == 0)
        {
            throw new MilterProtocolException($"milter sent '{(char)code}' without having negotiated it");
        }
    }

    private static string FieldName(string name) =>
        name.Length is > 0 and <= 998 && MessageHeaderSection.IsFieldName(System.Text.Encoding.UTF8.GetBytes(name))
            ? name
            : throw new MilterProtocolException("milter sent an invalid header field name");

    /// <summary>
    /// A value as the milter wrote it (lines ending in LF or CRLF), as it goes after the colon (a space in front unless the
    /// milter negotiated to give its own): written back with CRLF, every continuation line folded
    /// with a blank and empty lines dropped, so that a milter can never end the header section or add a field by itself.
    /// </summary>
    private static string FieldValue(string value, bool hasLeadingSpace)
    {
        if (value.Length == 0)
        {
            return "";
        }

        string[] lines = value.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', ' ').Split('\n');
        var folded = new System.Text.StringBuilder(value.Length + 8);
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (i == 0)
            {
                folded.Append(line);
                continue;
            }

            if (line.Trim().Length == 0)
            {
                continue;
            }

            folded.Append("\r\n").Append(line[0] is ' ' or '\t' ? "" : "\t").Append(line);
        }

        return (hasLeadingSpace ? "" : " ") + folded.ToString();
    }

    private static string Address(string address)
    {
        string trimmed = address.Trim();
        if (trimmed.StartsWith('<') && trimmed.EndsWith('>'))
        {
            trimmed = trimmed[1..^1];
        }

        return trimmed.Length <= 320 && !trimmed.Any(c => c is '\r' or '\n' or '\0' or ' ' or '<' or '>')
            ? trimmed
            : throw new MilterProtocolException("milter sent an invalid address");
    }

    /// <summary>Continue goes on; accept ends this milter's part; a refusal decides the message. False when the conversation ends.</summary>
    private bool Proceed(MilterReply reply, MilterVerdict verdict)
    {
        switch (reply.Code)
        {
            case MilterProtocol.Continue:
                return true;
            case MilterProtocol.Accept:
                return false;
            default:
                verdict.Refuse(MilterDecision.FromReply(reply, Name));
                return false;
        }
    }
}
