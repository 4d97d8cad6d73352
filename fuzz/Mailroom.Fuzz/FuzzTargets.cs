using Mailroom.Fuzz.Policy;
using Mailroom.Fuzz.Sessions;
using Mailroom.Fuzz.Targets;

namespace Mailroom.Fuzz;

/// <summary>Every fuzz target, by name (the tests check each name is its target's). Creating one is cheap.</summary>
internal static class FuzzTargets
{
    private static readonly (string Name, Func<FuzzTarget> Create)[] All =
    [
        ("smtp-command", static () => new SmtpCommandTarget()),
        ("smtp-content", static () => new SmtpContentTarget()),
        ("smtp-cleanup", static () => new SmtpCleanupTarget()),
        ("smtp-part-headers", static () => new SmtpPartHeadersTarget()),
        ("imap-command", static () => new ImapCommandTarget()),
        ("imap-sequence-set", static () => new SequenceSetTarget()),
        ("imap-modified-utf7", static () => new ModifiedUtf7Target()),
        ("imap-list-pattern", static () => new ListPatternTarget()),
        ("imap-address-list", static () => new AddressListTarget()),
        ("imap-message", static () => new ImapMessageTarget()),
        ("imap-url", static () => new ImapUrlTarget()),
        ("pop3-command", static () => new Pop3CommandTarget()),
        ("maildir-filename", static () => new MaildirFileNameTarget()),
        ("password-hash", static () => new PasswordHashTarget()),
        ("dsn", static () => new DsnTarget()),
        ("policy-spf", static () => new SpfTarget()),
        ("policy-dkim", static () => new DkimTarget()),
        ("policy-dmarc", static () => new DmarcTarget()),
        ("policy-arc", static () => new ArcTarget()),
        ("policy-auth-results", static () => new AuthenticationResultsTarget()),
        ("smtp-session", static () => new SmtpSessionTarget()),
        ("pop3-session", static () => new Pop3SessionTarget()),
        ("imap-session", static () => new ImapSessionTarget()),
    ];

    /// <summary>Target names, in the order run.sh fuzzes them.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(static t => t.Name)];

    public static FuzzTarget Create(string name) => All.Single(t => t.Name == name).Create();
}
