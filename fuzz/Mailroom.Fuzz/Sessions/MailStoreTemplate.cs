using System.Text;
using Mailroom.Store;
using Mailroom.Store.Mailboxes;
using Mailroom.Store.Maildir;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mailroom.Fuzz.Sessions;

/// <summary>
/// A mail root with <see cref="FuzzDirectory.User"/>'s Maildir holding a few real-world messages (plain, multipart
/// with an attachment, a nested message/rfc822, quoted-printable, a header section without a body), built once per process; each session
/// gets a fresh copy, so no run sees another run's APPENDs, flags or expunges and a saved input replays the same way.
/// </summary>
internal sealed class MailStoreTemplate : IDisposable
{
    private static readonly string[] Messages =
    [
        "From: Sender <sender@example.net>\r\nTo: fuzz@example.org\r\nSubject: plain\r\nMessage-ID: <1@example.net>\r\n" +
        "Date: Mon, 7 Feb 1994 21:52:25 -0800\r\n\r\nHello.\r\n.leading dot\r\n",

        "From: \"Doe, Jane\" <jane@example.net>\r\nTo: undisclosed-recipients:;\r\nCc: a@example.org (comment), B <b@example.org>\r\n" +
        "Subject: =?UTF-8?B?w6lsw6h2ZQ==?=\r\nDate: Tue, 8 Feb 1994 10:00:00 +0000\r\nMIME-Version: 1.0\r\n" +
        "Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\npreamble\r\n--outer\r\n" +
        "Content-Type: multipart/alternative; boundary=inner\r\n\r\n--inner\r\nContent-Type: text/plain; charset=utf-8\r\n" +
        "Content-Transfer-Encoding: quoted-printable\r\n\r\ncaf=C3=A9 =\r\nsoft break\r\n--inner\r\nContent-Type: text/html\r\n\r\n" +
        "<p>hi</p>\r\n--inner--\r\n--outer\r\nContent-Type: application/octet-stream; name=a.bin\r\n" +
        "Content-Disposition: attachment; filename=\"a.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\nAAECAwQFBgc=\r\n" +
        "--outer\r\nContent-Type: message/rfc822\r\n\r\nFrom: inner@example.net\r\nSubject: inner\r\n\r\ninner body\r\n--outer--\r\n",

        "Subject: no blank line before the body\r\nX-Header: value\r\n",
    ];

    private readonly DirectoryInfo _template;

    /// <param name="prepare">Runs once on the template's root after delivery (e.g. a session that builds the index).</param>
    public MailStoreTemplate(Action<string>? prepare = null)
    {
        _template = Scratch("mailroom-fuzz-mail-");
        var store = Store(_template.FullName);
        foreach (string message in Messages)
        {
            Deliver(store, Encoding.UTF8.GetBytes(message)).AsTask().GetAwaiter().GetResult();
        }

        prepare?.Invoke(_template.FullName);
    }

    /// <summary>Store options over <paramref name="root"/>; released folders are unloaded at once (no cache across runs).</summary>
    public static IOptions<StoreOptions> Options(string root) =>
        Microsoft.Extensions.Options.Options.Create(new StoreOptions { MailRoot = root, IdleFolderCacheSize = 0 });

    public static MaildirStore Store(string root) => new(Options(root), TimeProvider.System, NullLogger<MaildirStore>.Instance);

    private static async ValueTask Deliver(MaildirStore store, byte[] message)
    {
        using SaveTransaction delivery = store.BeginDelivery(FuzzDirectory.User);
        MessageWriter writer = delivery.BeginMessage(MessageFlags.None, [], internalDate: null);
        await writer.WriteAsync(message, CancellationToken.None).ConfigureAwait(false);
        await writer.CompleteAsync(CancellationToken.None).ConfigureAwait(false);
        await delivery.CommitAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>A new directory holding a copy of the template; the caller deletes it.</summary>
    public DirectoryInfo Copy()
    {
        DirectoryInfo copy = Scratch("mailroom-fuzz-run-");
        CopyTree(_template, copy);
        return copy;
    }

    public void Dispose() => _template.Delete(recursive: true);

    // In memory where the machine has /dev/shm: the store fsyncs every delivery, flag change and index write, which on
    // a disk costs a run tens of milliseconds and says nothing about parsing.
    private static DirectoryInfo Scratch(string prefix) =>
        System.IO.Directory.Exists("/dev/shm")
            ? System.IO.Directory.CreateDirectory(Path.Combine("/dev/shm", prefix + Guid.NewGuid().ToString("N")))
            : System.IO.Directory.CreateTempSubdirectory(prefix);

    private static void CopyTree(DirectoryInfo from, DirectoryInfo to)
    {
        foreach (FileInfo file in from.EnumerateFiles())
        {
            file.CopyTo(Path.Combine(to.FullName, file.Name));
        }

        foreach (DirectoryInfo directory in from.EnumerateDirectories())
        {
            CopyTree(directory, to.CreateSubdirectory(directory.Name));
        }
    }
}
