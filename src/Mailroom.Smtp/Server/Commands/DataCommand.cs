using Mailroom.Core;
using Mailroom.Net;
using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Server.Commands;

/// <summary>
/// DATA (RFC 5321 §4.1.1.4): streams the dot-stuffed content through the scanner and cleanup into the queue,
/// and answers 250 only after the queue's commit returned (DESIGN invariant 1).
/// </summary>
internal sealed class DataCommand : ISmtpCommand
{
    public async ValueTask<SessionAction> ExecuteAsync(SmtpSession session, string argument, CancellationToken cancellationToken)
    {
        if (argument.Length > 0)
        {
            session.Reply(SmtpReplies.NoArguments);
            return SessionAction.Continue;
        }

        if (session.Mail!.BodyType == BodyType.BinaryMime)
        {
            // RFC 3030 §3: BINARYMIME content can only be sent with BDAT.
            session.Reply(new SmtpReply(503, "5.5.1", "Error: BODY=BINARYMIME requires BDAT"));
            return SessionAction.Continue;
        }

        (MessageTransaction? transaction, SmtpReply refusal) = await MessageTransaction.BeginAsync(session, dotStuffed: true, cancellationToken).ConfigureAwait(false);
        if (transaction is null)
        {
            session.Reply(refusal);
            return SessionAction.Continue;
        }

        await using (transaction.ConfigureAwait(false))
        {
            // The milters hear of DATA now, and may refuse it, before the 354 (Postfix's data_cmd).
            if (await transaction.MilterDataRefusalAsync("DATA").ConfigureAwait(false) is { } refused)
            {
                session.Reply(refused);
                return refused.Code == 421 ? SessionAction.Close : SessionAction.Continue;
            }

            session.Reply(SmtpReplies.StartData);
            await session.FlushAsync(cancellationToken).ConfigureAwait(false);
            session.StartTransfer();
            await transaction.Pump.ReadDataAsync(session.ClientInput, session.TransferProgress, cancellationToken).ConfigureAwait(false);
            session.TraceMessageBody(transaction.Pump.Scanner.Size);
            SmtpReply reply = await transaction.CompleteAsync("DATA", cancellationToken).ConfigureAwait(false);
            session.ResetTransaction();
            session.Reply(reply);
        }

        return SessionAction.Continue;
    }
}
