using System.Text;
using Mailroom.Pop3;
using Mailroom.Store.Maildir;
using Microsoft.Extensions.Options;

namespace Mailroom.Fuzz.Sessions;

/// <summary>
/// A POP3 session (RFC 1939, RFC 2449 CAPA, RFC 5034 SASL) fed fuzzed bytes. States (first byte, low bit): 0 just
/// greeted (USER, PASS, AUTH, APOP-less login paths), 1 logged in to a maildrop of real messages (STAT, LIST, UIDL,
/// RETR, TOP, DELE, RSET, message-number arguments).
/// </summary>
internal sealed class Pop3SessionTarget : SessionTarget
{
    private static readonly byte[][] Prefixes =
    [
        [],
        Encoding.ASCII.GetBytes($"USER {FuzzDirectory.User}\r\nPASS {FuzzDirectory.Password}\r\n"),
    ];

    private readonly FuzzDirectory _directory = new();
    private MailStoreTemplate? _template;

    public override string Name => "pop3-session";

    public override string Description => "POP3 session before and after login: commands, SASL, message numbers, RETR/TOP";

    public override string? Dictionary => "pop3.dict";

    protected override void RunSession(byte state, ReadOnlySpan<byte> input)
    {
        _template ??= new MailStoreTemplate();
        DirectoryInfo root = _template.Copy();
        try
        {
            MaildirStore store = MailStoreTemplate.Store(root.FullName);
            var handler = new Pop3ConnectionHandler(Pop3ListenerRole.Pop3, Options.Create(new Pop3Options()), _directory, new Pop3MailboxLocks(), store, Sessions.NewThrottle(), Sessions.Logs, TimeProvider.System);
            Sessions.Run("pop3", handler, Prefixes[state & 1], input, null);
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
