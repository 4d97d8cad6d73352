using System.Text;
using Mailroom.Imap;
using Mailroom.Store.Mailboxes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mailroom.Fuzz.Sessions;

/// <summary>
/// An IMAP session (RFC 9051 / RFC 3501 and the extensions offered) fed fuzzed bytes, on a fresh copy of a mailbox of
/// real messages (and the folders Sent and Archive/2024). States (first byte, low two bits): 0 not authenticated (LOGIN, AUTHENTICATE, literals before
/// login), 1 authenticated (LIST, CREATE, RENAME, STATUS, APPEND...), 2 INBOX selected (FETCH, SEARCH, STORE, COPY,
/// EXPUNGE, IDLE...), 3 INBOX selected after ENABLE UTF8=ACCEPT.
/// </summary>
internal sealed class ImapSessionTarget : SessionTarget
{
    private static readonly string Login = $"a LOGIN {FuzzDirectory.User} {FuzzDirectory.Password}\r\n";

    private static readonly byte[][] Prefixes =
    [
        [],
        Encoding.ASCII.GetBytes(Login),
        Encoding.ASCII.GetBytes(Login + "b SELECT INBOX\r\n"),
        Encoding.ASCII.GetBytes(Login + "b ENABLE UTF8=ACCEPT\r\nc SELECT INBOX\r\n"),
    ];

    private readonly FuzzDirectory _directory = new();
    private MailStoreTemplate? _template;

    public override string Name => "imap-session";

    public override string Description => "IMAP session not authenticated, authenticated or selected: every command on a real store";

    public override string? Dictionary => "imap.dict";

    protected override void RunSession(byte state, ReadOnlySpan<byte> input)
    {
        // The template's folders and indexes are made once, by a session, so each run only copies them.
        _template ??= new MailStoreTemplate(root => RunOn(root, Encoding.ASCII.GetBytes(Login + "b CREATE Sent\r\nc CREATE Archive/2024\r\n" +
            "d APPEND Sent (\\Seen) {22}\r\nSubject: sent\r\n\r\nhello\r\ne SELECT Sent\r\nf SELECT INBOX\r\ng LOGOUT\r\n"), []));
        DirectoryInfo copy = _template.Copy();
        try
        {
            RunOn(copy.FullName, Prefixes[state & 3], input);
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    private void RunOn(string root, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> input)
    {
        using var mailboxes = MailStoreTemplate.Store(root);
        var options = new ImapOptions
        {
            // Small enough that fuzzed input reaches the limits.
            MaxLiteralSize = 64 * 1024,
            MaxCommandSize = 32 * 1024,
        };
        var handler = new ImapConnectionHandler(ImapListenerRole.Imap, Options.Create(options), _directory, mailboxes, new MailboxQuota(mailboxes, TimeProvider.System), Sessions.NewThrottle(), Sessions.Logs, TimeProvider.System);
        Sessions.Run("imap", handler, prefix, input, ReplyFraming.Protocol.Imap);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _template?.Dispose();
        }

        base.Dispose(disposing);
    }
}
