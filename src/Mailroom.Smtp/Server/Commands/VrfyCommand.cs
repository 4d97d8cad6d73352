using Mailroom.Net;
using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Server.Commands;

/// <summary>
/// VRFY (RFC 5321 §4.1.1.6, §7.3): off by default. When on, answers 252 without confirming anything, so it
/// cannot be used to harvest addresses (§3.5.3 allows 252 "cannot VRFY user, but will accept message").
/// </summary>
internal sealed class VrfyCommand : ISmtpCommand
{
    private static readonly SmtpReply Syntax = new(501, "5.5.4", "Syntax: VRFY address");

    public ValueTask<SessionAction> ExecuteAsync(SmtpSession session, string argument, CancellationToken cancellationToken)
    {
        if (!session.Context.Options.EnableVrfy)
        {
            session.Reply(SmtpReplies.VrfyDisabled);
        }
        else if (argument.Length == 0)
        {
            session.Reply(Syntax);
        }
        else if (session.MilterSessionRefusal(tempfailAs454: false) is { } refused)
        {
            // A milter refused the session at connect or HELO: Postfix's vrfy_cmd asks milter_other_event after the
            // syntax check and answers with its reply as it is.
            session.Reply(refused);
        }
        else
        {
            session.Reply(new SmtpReply(252, "2.0.0", argument));
        }

        return ValueTask.FromResult(SessionAction.Continue);
    }
}
