using System.Collections.Frozen;
using Mailroom.Smtp.Protocol;
using Mailroom.Smtp.Server.Commands;

namespace Mailroom.Smtp.Server;

/// <summary>
/// The frozen table of commands and the states each is allowed in (RFC 5321 §4.1.4 ordering), checked by the shared
/// command loop (<see cref="Net.CommandSession{TRequest, TState, TEntry}"/>) before any handler runs.
/// </summary>
internal static class SmtpCommandTable
{
    private const SmtpState Outside = SmtpState.Connected | SmtpState.Greeted;
    private const SmtpState NotInBdat = SmtpState.Any & ~SmtpState.Bdat;

    public static readonly FrozenDictionary<string, SmtpCommandEntry> Commands = new Dictionary<string, SmtpCommandEntry>(StringComparer.Ordinal)
    {
        // RFC 5321 §4.1.4: EHLO/HELO may be issued later in the session; it resets any transaction.
        ["HELO"] = new(new HeloCommand(extended: false), NotInBdat, static _ => SmtpReplies.BadSequence),
        ["EHLO"] = new(new HeloCommand(extended: true), NotInBdat, static _ => SmtpReplies.BadSequence),
        ["MAIL"] = new(new MailCommand(), SmtpState.Greeted, static s => s.State switch
        {
            SmtpState.Connected => SmtpReplies.SendHeloFirst,
            SmtpState.Mail or SmtpState.Rcpt => SmtpReplies.NestedMail,
            _ => SmtpReplies.BadSequence,
        }),
        ["RCPT"] = new(new RcptCommand(), SmtpState.Mail | SmtpState.Rcpt, static s => s.State switch
        {
            SmtpState.Connected => SmtpReplies.SendHeloFirst,
            SmtpState.Greeted => SmtpReplies.NeedMail,
            _ => SmtpReplies.BadSequence,
        }),
        ["DATA"] = new(new DataCommand(), SmtpState.Rcpt, static s => s.State switch
        {
            SmtpState.Bdat => SmtpReplies.DataAfterBdat,
            _ => MissingForContent(s),
        }),
        // The chunk of a refused BDAT is still read and discarded (BdatCommand.OnRefusedAsync).
        ["BDAT"] = new(new BdatCommand(), SmtpState.Rcpt | SmtpState.Bdat, MissingForContent),
        ["RSET"] = new(new RsetCommand(), SmtpState.Any, static _ => SmtpReplies.BadSequence),
        ["NOOP"] = new(new NoopCommand(), SmtpState.Any, static _ => SmtpReplies.BadSequence),
        ["QUIT"] = new(new QuitCommand(), SmtpState.Any, static _ => SmtpReplies.BadSequence),
        ["HELP"] = new(new HelpCommand(), SmtpState.Any, static _ => SmtpReplies.BadSequence),
        ["VRFY"] = new(new VrfyCommand(), NotInBdat, static _ => SmtpReplies.BadSequence),
        ["STARTTLS"] = new(new StartTlsCommand(), Outside, static _ => SmtpReplies.TransactionInProgress),
        ["AUTH"] = new(new AuthCommand(), SmtpState.Greeted, static s => s.State == SmtpState.Connected
            ? SmtpReplies.SendHeloFirst
            : SmtpReplies.TransactionInProgress),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static SmtpReply MissingForContent(SmtpSession session) => session.State switch
    {
        SmtpState.Connected => SmtpReplies.SendHeloFirst,
        SmtpState.Greeted => SmtpReplies.NeedMail,
        SmtpState.Mail when session.RecipientRejected => SmtpReplies.NoValidRecipients,
        SmtpState.Mail => SmtpReplies.NeedRcpt,
        _ => SmtpReplies.BadSequence,
    };
}
