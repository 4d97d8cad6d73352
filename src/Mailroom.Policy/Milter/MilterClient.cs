using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace Mailroom.Policy.Milter;

/// <summary>
/// One milter's conversation about one message, MTA side (Postfix's milter8.c as the model): negotiate, then connect,
/// HELO, MAIL, RCPT, DATA, the header fields, end of header, the body in chunks of at most 64 KiB and the end of
/// message, each step preceded by its macros; steps the milter declined are not sent, and steps it will not answer are
/// not waited for. Every wait has its deadline; every reply is bounded in size and the modifications in number.
/// </summary>
internal sealed class MilterClient : IAsyncDisposable
{
    private readonly MilterSettings _settings;
    private readonly MilterEndpoint _endpoint;
    private readonly MilterLimits _limits;
    private readonly MilterPacketWriter _writer = new();
    private readonly CancellationTokenSource _deadline;
    private Socket? _socket;
    private NetworkStream? _stream;
    private PipeReader? _input;
    private MilterActions _actions;
    private MilterSteps _steps;
    private readonly Dictionary<MilterStage, string[]> _macroLists = [];

    public MilterClient(MilterSettings settings, MilterEndpoint endpoint, MilterLimits limits, CancellationToken cancellationToken)
    {
        _settings = settings;
        _endpoint = endpoint;
        _limits = limits;
        _deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    public string Name => _endpoint.ToString();

    /// <summary>True when the last failure was this milter's deadline, not the caller's cancellation.</summary>
    public bool TimedOut => _deadline.IsCancellationRequested;

    /// <summary>Runs the whole conversation; a refusal, the modifications and a quarantine go into <paramref name="verdict"/>.</summary>
    public async ValueTask RunAsync(MilterMessage message, MessageHeaderSection headers, Stream content, MilterVerdict verdict)
    {
        await ConnectAsync().ConfigureAwait(false);
        var macros = new MilterMacros(message);
        if (!await StepAsync(MilterStage.Connect, macros, MilterSteps.NoConnect, MilterSteps.NoReplyConnect, MilterProtocol.Connect, w => WriteConnect(w, message), verdict).ConfigureAwait(false)
            || !await StepAsync(MilterStage.Helo, macros, MilterSteps.NoHelo, MilterSteps.NoReplyHelo, MilterProtocol.Helo, w => w.String(message.Helo), verdict).ConfigureAwait(false)
            || !await StepAsync(MilterStage.Mail, macros, MilterSteps.NoMail, MilterSteps.NoReplyMail, MilterProtocol.Mail, w => w.String($"<{message.Sender}>"), verdict).ConfigureAwait(false))
        {
            return;
        }

        foreach (string recipient in message.Recipients)
        {
            if (verdict.RejectedRecipients.Contains(recipient))
            {
                continue;
            }

            macros.Recipient = recipient;
            MilterReply? reply = await ExchangeAsync(MilterStage.Recipient, macros, MilterSteps.NoRecipient, MilterSteps.NoReplyRecipient, MilterProtocol.Recipient,
                w => w.String($"<{recipient}>"), _settings.CommandTimeout).ConfigureAwait(false);
            if (reply is { Code: MilterProtocol.Reject or MilterProtocol.TempFail or MilterProtocol.ReplyCode })
            {
                // A refused recipient is left out; the others go on (Postfix answers that RCPT alone).
                verdict.RejectRecipient(recipient);
                if (verdict.RejectedRecipients.Count == message.Recipients.Count)
                {
                    Decide(reply.Value, verdict);
                    return;
                }

                continue;
            }

            if (reply is { } r && !Proceed(r, verdict))
            {
                return;
            }
        }

        if (!await StepAsync(MilterStage.Data, macros, MilterSteps.NoData, MilterSteps.NoReplyData, MilterProtocol.Data, _ => { }, verdict).ConfigureAwait(false))
        {
            return;
        }

        bool keepSpace = (_steps & MilterSteps.HeaderLeadingSpace) != 0;
        if ((_steps & MilterSteps.NoHeaders) == 0)
        {
            foreach (MessageHeaderField field in headers.Fields)
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

        if ((_steps & MilterSteps.NoBody) == 0 && !await SendBodyAsync(headers, content, verdict).ConfigureAwait(false))
        {
            return;
        }

        await EndOfMessageAsync(macros, verdict).ConfigureAwait(false);
    }

    private async ValueTask ConnectAsync()
    {
        _deadline.CancelAfter(_settings.ConnectTimeout);
        _socket = await _endpoint.ConnectAsync(_deadline.Token).ConfigureAwait(false);
        _stream = new NetworkStream(_socket, ownsSocket: false);
        _input = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, leaveOpen: true));

        // Offer version 6, every action and every step option this client implements; the milter answers with what it wants.
        await SendAsync(_writer.Begin(MilterProtocol.OptionNegotiation).UInt32(MilterProtocol.Version).UInt32((uint)MilterActions.All).UInt32((uint)MilterSteps.Offered).Finish()).ConfigureAwait(false);
        MilterPacket reply = await ReadPacketAsync().ConfigureAwait(false);
        if (reply.Code != MilterProtocol.OptionNegotiation)
        {
            throw new MilterProtocolException($"milter answered option negotiation with '{(char)reply.Code}'");
        }

        var fields = new MilterFields(reply.Data);
        uint version = fields.UInt32();
        if (version is < 2 or > MilterProtocol.Version)
        {
            throw new MilterProtocolException($"milter speaks protocol version {version}");
        }

        // What the milter asks beyond the offer is not granted: its requests for it are refused later as protocol errors.
        _actions = (MilterActions)fields.UInt32() & MilterActions.All;
        _steps = (MilterSteps)fields.UInt32() & MilterSteps.Offered;
        while (!fields.AtEnd)
        {
            uint stage = fields.UInt32();
            string names = fields.String();
            if (stage <= (uint)MilterStage.EndOfHeaders)
            {
                _macroLists[(MilterStage)stage] = names.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            }
        }
    }

    private static void WriteConnect(MilterPacketWriter writer, MilterMessage message)
    {
        var address = message.Client.Address.IsIPv4MappedToIPv6 ? message.Client.Address.MapToIPv4() : message.Client.Address;
        writer.String(message.ClientName == "unknown" ? $"[{address}]" : message.ClientName)
            .Byte(address.AddressFamily == AddressFamily.InterNetworkV6 ? MilterProtocol.FamilyInet6 : MilterProtocol.FamilyInet)
            .UInt16((ushort)message.Client.Port)
            .String(address.ToString());
    }

    /// <summary>Runs one envelope step; false when the conversation ends here (refused or accepted early).</summary>
    private async ValueTask<bool> StepAsync(MilterStage stage, MilterMacros macros, MilterSteps skipFlag, MilterSteps noReplyFlag, byte command,
        Action<MilterPacketWriter> write, MilterVerdict verdict, TimeSpan? timeout = null)
    {
        MilterReply? reply = await ExchangeAsync(stage, macros, skipFlag, noReplyFlag, command, write, timeout ?? _settings.CommandTimeout).ConfigureAwait(false);
        return reply is not { } r || Proceed(r, verdict);
    }

    /// <summary>Sends the macros and the command, and reads the reply when one is due; null when nothing was asked or answered.</summary>
    private async ValueTask<MilterReply?> ExchangeAsync(MilterStage? stage, MilterMacros macros, MilterSteps skipFlag, MilterSteps noReplyFlag, byte command,
        Action<MilterPacketWriter> write, TimeSpan timeout)
    {
        if (skipFlag != MilterSteps.None && (_steps & skipFlag) != 0)
        {
            return null;
        }

        _deadline.CancelAfter(timeout);
        if (stage is { } s)
        {
            await SendMacrosAsync(s, command, macros).ConfigureAwait(false);
        }

        write(_writer.Begin(command));
        await SendAsync(_writer.Finish()).ConfigureAwait(false);
        return (_steps & noReplyFlag) != 0 ? null : await ReadReplyAsync(timeout).ConfigureAwait(false);
    }

    private async ValueTask SendMacrosAsync(MilterStage stage, byte command, MilterMacros macros)
    {
        IEnumerable<(string Name, string Value)> values = macros.For(stage);
        if (_macroLists.TryGetValue(stage, out string[]? wanted))
        {
            values = wanted.Select(name => (name, macros.Lookup(name))).Where(p => p.Item2 is not null).Select(p => (p.name, p.Item2!));
        }

        _writer.Begin(MilterProtocol.Macro).Byte(command);
        bool any = false;
        foreach ((string name, string value) in values)
        {
            _writer.String(name).String(value);
            any = true;
        }

        if (any)
        {
            await SendAsync(_writer.Finish()).ConfigureAwait(false);
        }
    }

    /// <summary>Streams the body from the content file in chunks of at most 64 KiB; false when the conversation ends here.</summary>
    private async ValueTask<bool> SendBodyAsync(MessageHeaderSection headers, Stream content, MilterVerdict verdict)
    {
        content.Seek(headers.BodyOffset, SeekOrigin.Begin);
        byte[] chunk = ArrayPool<byte>.Shared.Rent(MilterProtocol.MaxBodyChunk);
        try
        {
            while (true)
            {
                int read = await content.ReadAtLeastAsync(chunk.AsMemory(0, MilterProtocol.MaxBodyChunk), MilterProtocol.MaxBodyChunk, throwOnEndOfStream: false, _deadline.Token).ConfigureAwait(false);
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
        FileStream? body = null;
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

                    body ??= MilterLimits.CreateSpoolFile();
                    await body.WriteAsync(packet.Data, _deadline.Token).ConfigureAwait(false);
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
                    if (body is not null)
                    {
                        await body.FlushAsync(_deadline.Token).ConfigureAwait(false);
                        body.Position = 0;
                        verdict.ReplacedBody?.Dispose();
                        verdict.ReplacedBody = body;
                        body = null;
                    }

                    return;
                }

                Proceed(reply, verdict);
                return;
            }
        }
        finally
        {
            if (body is not null)
            {
                await body.DisposeAsync().ConfigureAwait(false);
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
                Decide(reply, verdict);
                return false;
        }
    }

    private void Decide(MilterReply reply, MilterVerdict verdict)
    {
        switch (reply.Code)
        {
            case MilterProtocol.Reject:
                verdict.Refuse(MilterVerdictKind.Reject, 550, "5.7.1", "Command rejected", Name);
                break;
            case MilterProtocol.TempFail:
                verdict.Refuse(MilterVerdictKind.Tempfail, 451, "4.7.1", "Service unavailable - try again later", Name);
                break;
            case MilterProtocol.Discard:
                verdict.Refuse(MilterVerdictKind.Discard, 250, "2.0.0", "Ok", Name);
                break;
            case MilterProtocol.ReplyCode:
                verdict.Refuse(reply.SmtpCode >= 500 ? MilterVerdictKind.Reject : MilterVerdictKind.Tempfail, reply.SmtpCode, reply.Dsn, reply.Text, Name);
                break;
            default:
                throw new MilterProtocolException($"milter sent an unexpected reply '{(char)reply.Code}'");
        }
    }

    private async ValueTask<MilterReply> ReadReplyAsync(TimeSpan timeout)
    {
        while (true)
        {
            MilterPacket packet = await ReadPacketAsync().ConfigureAwait(false);
            if (packet.Code == MilterProtocol.Progress)
            {
                _deadline.CancelAfter(timeout);
                continue;
            }

            return ToReply(packet);
        }
    }

    private static MilterReply ToReply(MilterPacket packet) => packet.Code switch
    {
        MilterProtocol.Continue or MilterProtocol.Accept or MilterProtocol.Reject or MilterProtocol.TempFail or MilterProtocol.Discard or MilterProtocol.Skip
            => new MilterReply(packet.Code),
        MilterProtocol.ReplyCode => MilterReply.FromReplyCode(new MilterFields(packet.Data).LastString()),
        MilterProtocol.Shutdown or MilterProtocol.ConnectionFailure => throw new MilterProtocolException("milter closed the conversation"),
        _ => throw new MilterProtocolException($"milter sent an unexpected reply '{(char)packet.Code}'"),
    };

    private async ValueTask<MilterPacket> ReadPacketAsync()
    {
        PipeReader input = _input!;
        while (true)
        {
            ReadResult result = await input.ReadAsync(_deadline.Token).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            bool found;
            MilterPacket packet;
            try
            {
                found = MilterPacketReader.TryRead(ref buffer, _limits.MaxPacketSize, out packet);
            }
            catch
            {
                input.AdvanceTo(buffer.Start);
                throw;
            }

            if (found)
            {
                input.AdvanceTo(buffer.Start);
                return packet;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new MilterProtocolException("milter closed the connection");
            }
        }
    }

    private ValueTask SendAsync(ReadOnlyMemory<byte> packet) => _stream!.WriteAsync(packet, _deadline.Token);

    /// <summary>A body packet: the 5-byte head for <paramref name="data"/>, then the data as it is, without copying it.</summary>
    private async ValueTask SendBodyChunkAsync(ReadOnlyMemory<byte> data)
    {
        byte[] head = new byte[5];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(head, (uint)data.Length + 1);
        head[4] = MilterProtocol.Body;
        await _stream!.WriteAsync(head, _deadline.Token).ConfigureAwait(false);
        await _stream.WriteAsync(data, _deadline.Token).ConfigureAwait(false);
    }

    /// <summary>Says goodbye when the conversation went well enough to, then closes.</summary>
    public async ValueTask QuitAsync()
    {
        if (_stream is null || _deadline.IsCancellationRequested)
        {
            return;
        }

        try
        {
            _deadline.CancelAfter(_settings.CommandTimeout);
            await SendAsync(_writer.Begin(MilterProtocol.Quit).Finish()).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Closing anyway.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_input is not null)
        {
            await _input.CompleteAsync().ConfigureAwait(false);
        }

        if (_stream is not null)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }

        _socket?.Dispose();
        _deadline.Dispose();
    }

    internal static string Describe(Exception ex) => ex switch
    {
        OperationCanceledException => "timeout",
        SocketException s => s.SocketErrorCode.ToString(),
        _ => ex.Message,
    };
}
