using System.Globalization;
using Mailroom.Net;
using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Server.Commands;

/// <summary>
/// BDAT (RFC 3030 CHUNKING): exactly <c>count</c> bytes follow the command line, without dot-stuffing. A chunk
/// is always consumed, even when refused, so that its bytes are never read as commands.
/// </summary>
internal sealed class BdatCommand : ISmtpCommand
{
    public async ValueTask<SessionAction> ExecuteAsync(SmtpSession session, string argument, CancellationToken cancellationToken)
    {
        if (!TryParse(argument, out long size, out bool last))
        {
            session.Reply(SmtpReplies.BdatSyntax);
            return SessionAction.Continue;
        }

        if (session.Chunking is null)
        {
            (MessageTransaction? started, SmtpReply refusal) = await MessageTransaction.BeginAsync(session, dotStuffed: false, cancellationToken).ConfigureAwait(false);
            if (started is null)
            {
                await SkipAsync(session, size, cancellationToken).ConfigureAwait(false);
                session.ResetTransaction();
                session.Reply(refusal);
                return SessionAction.Continue;
            }

            session.Chunking = started;
            session.State = SmtpState.Bdat;

            // The milters hear of DATA at the first chunk, and a refusal answers it and every later chunk (Postfix's bdat_cmd).
            started.Failure = await started.MilterDataRefusalAsync("BDAT").ConfigureAwait(false);
        }

        MessageTransaction transaction = session.Chunking;
        if (transaction.Failure is { } failure)
        {
            // RFC 3030 §2: after a failed chunk the transaction is lost; later chunks are read and discarded.
            await SkipAsync(session, size, cancellationToken).ConfigureAwait(false);
            await EndIfLastAsync(session, last).ConfigureAwait(false);
            session.Reply(failure);

            // Only a milter's refusal of DATA can be a 421, and it ends the session as any 421 does.
            return failure.Code == 421 ? SessionAction.Close : SessionAction.Continue;
        }

        session.StartTransfer();
        await session.ClientInput.CopyExactlyAsync(
            size,
            async data =>
            {
                session.TransferProgress(data.Length);
                await transaction.Pump.WriteAsync(data, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        session.TraceMessageBody(size);

        MessageContentScanner scanner = transaction.Pump.Scanner;
        if (last)
        {
            await transaction.Pump.FinishAsync(cancellationToken).ConfigureAwait(false);
            SmtpReply reply = await transaction.CompleteAsync("BDAT", cancellationToken).ConfigureAwait(false);
            await session.AbortTransactionAsync().ConfigureAwait(false);
            session.Reply(reply);
        }
        else if (scanner.Discarding)
        {
            SmtpReply reply = scanner.TooBig ? SmtpReplies.MessageTooBig
                : scanner.Violation == ContentViolation.Nul ? SmtpReplies.NulInMessage
                : SmtpReplies.BareLineEnding;
            transaction.Failure = reply;
            transaction.LogRefusal("BDAT", reply);
            session.Reply(reply);
        }
        else
        {
            session.Reply(new SmtpReply(250, "2.0.0", string.Create(CultureInfo.InvariantCulture, $"Ok: {size} bytes")));
        }

        return SessionAction.Continue;
    }

    public async ValueTask OnRefusedAsync(SmtpSession session, string argument, CancellationToken cancellationToken)
    {
        if (TryParse(argument, out long size, out _))
        {
            await SkipAsync(session, size, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>RFC 3030 §2: <c>bdat-cmd ::= "BDAT" SP chunk-size [ SP end-marker ] CR LF</c>, <c>chunk-size ::= 1*DIGIT</c>.</summary>
    internal static bool TryParse(string argument, out long size, out bool last)
    {
        size = 0;
        last = false;
        string[] parts = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is 0 or > 2 || parts[0].Length > 18 || !parts[0].All(char.IsAsciiDigit))
        {
            return false;
        }

        if (parts.Length == 2)
        {
            if (!parts[1].Equals("LAST", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            last = true;
        }

        size = long.Parse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture);
        return true;
    }

    private static async ValueTask SkipAsync(SmtpSession session, long size, CancellationToken cancellationToken)
    {
        session.StartTransfer();
        await session.ClientInput.SkipExactlyAsync(size, cancellationToken).ConfigureAwait(false);
        session.TraceMessageBody(size);
    }

    private static async ValueTask EndIfLastAsync(SmtpSession session, bool last)
    {
        if (last)
        {
            await session.AbortTransactionAsync().ConfigureAwait(false);
        }
    }
}
