using System.Text;
using Mailroom.Imap;
using Mailroom.Store.Mailboxes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mailroom.Fuzz.Sessions;

/// <summary>
/// An IMAP session (RFC 9051 / RFC 3501 and the extensions offered) fed fuzzed bytes, on a fresh copy of a mailbox of
/// real messages. States (first byte, low two bits): 0 not authenticated (LOGIN, AUTHENTICATE, literals before
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
        _template ??= new MailStoreTemplate();
        DirectoryInfo root = _template.Copy();
        try
        {
            var storeOptions = MailStoreTemplate.Options(root.FullName);
            using var mailboxes = new MailboxRepository(MailStoreTemplate.Store(root.FullName), storeOptions, TimeProvider.System, NullLogger<MailboxRepository>.Instance);
            var options = new ImapOptions
            {
                // Small enough that fuzzed input reaches the limits.
                MaxLiteralSize = 64 * 1024,
                MaxCommandSize = 32 * 1024,
            };
            var handler = new ImapConnectionHandler(ImapListenerRole.Imap, Options.Create(options), _directory, mailboxes, Sessions.NewThrottle(), Sessions.Logs, TimeProvider.System);
            Sessions.Run("imap", handler, Prefixes[state & 3], input, ReplyFraming.Protocol.Imap);
        }
        finally
        {
            root.Delete(recursive: true);
        }
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
