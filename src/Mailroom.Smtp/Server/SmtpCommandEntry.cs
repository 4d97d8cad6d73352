using Mailroom.Net;
using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Server;

/// <param name="Command">The handler.</param>
/// <param name="Allowed">States in which the handler may run.</param>
/// <param name="Refusal">The 503 reply for any other state (Postfix words it by what is missing).</param>
internal sealed record SmtpCommandEntry(ISmtpCommand Command, SmtpState Allowed, Func<SmtpSession, SmtpReply> Refusal) : ICommandEntry<SmtpState>;
