using System.Text;
using System.Text.RegularExpressions;
using Mailroom.Store.Maildir;
using Mailroom.Store.Mailboxes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mailroom.Store.Tests;

/// <summary>Local delivery into Maildirs, as the files show it (the mailbox API's contract is tested apart).</summary>
public sealed partial class MaildirStoreTests : IDisposable
{
    private static readonly byte[] Prefix = "Return-Path: <s@example.org>\r\n"u8.ToArray();
    private static readonly byte[] Body = "Subject: hi\r\n\r\nHello\r\n"u8.ToArray();
    private readonly DirectoryInfo _root = System.IO.Directory.CreateTempSubdirectory("mailroom-store-");
    private readonly MaildirStore _store;

    public MaildirStoreTests()
    {
        _store = new MaildirStore(Options.Create(new StoreOptions { MailRoot = _root.FullName }), TimeProvider.System, NullLogger<MaildirStore>.Instance);
    }

    public void Dispose()
    {
        _store.Dispose();
        _root.Delete(recursive: true);
    }

    [Fact]
    public async Task DeliveredMessageIsInNewWithPrefixAndSizesInItsName()
    {
        (string Path, long Size) delivered = await DeliverAsync("Bob@Example.org", Prefix, new MemoryStream(Body));

        string maildir = Path.Combine(_root.FullName, "example.org", "bob");
        Assert.Equal(Path.Combine(maildir, "new"), Path.GetDirectoryName(delivered.Path));
        byte[] stored = await File.ReadAllBytesAsync(delivered.Path, TestContext.Current.CancellationToken);
        Assert.Equal([.. Prefix, .. Body], stored);
        Assert.Equal(Prefix.Length + Body.Length, delivered.Size);
        Assert.EndsWith($",S={delivered.Size},W={delivered.Size}", delivered.Path, StringComparison.Ordinal);
        Assert.True(System.IO.Directory.Exists(Path.Combine(maildir, "cur")));
        Assert.Empty(System.IO.Directory.GetFiles(Path.Combine(maildir, "tmp")));
    }

    [Fact]
    public async Task WireSizeInTheNameCountsBareLineFeedsAsCrlf()
    {
        byte[] body = "Subject: lf\n\nline one\nline two\r\n"u8.ToArray();
        (string Path, long Size) delivered = await DeliverAsync("a@example.org", Prefix, new MemoryStream(body));

        long size = Prefix.Length + body.Length;
        Assert.EndsWith($",S={size},W={size + 3}", delivered.Path, StringComparison.Ordinal);
        Assert.Equal(size + 3, MaildirFileName.SizeField(Path.GetFileName(delivered.Path), 'W'));
    }

    [Fact]
    public async Task AMessageWhoseLastLineIsUnterminatedGetsNoWireSizeInItsName()
    {
        byte[] body = "Subject: x\r\n\r\nno line end"u8.ToArray();
        (string Path, long Size) delivered = await DeliverAsync("a@example.org", Prefix, new MemoryStream(body));

        Assert.EndsWith($",S={Prefix.Length + body.Length}", delivered.Path, StringComparison.Ordinal);
        Assert.Equal(-1, MaildirFileName.SizeField(Path.GetFileName(delivered.Path), 'W'));
    }

    [Fact]
    public async Task NamesFollowTheMaildirConventionAndAreUniqueUnderConcurrency()
    {
        var deliveries = new Task[64];
        for (int i = 0; i < deliveries.Length; i++)
        {
            byte[] body = Encoding.ASCII.GetBytes($"Subject: {i}\r\n\r\n{new string('x', i)}\r\n");
            deliveries[i] = Task.Run(() => StoreOperations.DeliverAsync(_store, "a@example.org", body, Prefix), TestContext.Current.CancellationToken);
        }

        await Task.WhenAll(deliveries);

        string[] files = System.IO.Directory.GetFiles(Path.Combine(_root.FullName, "example.org", "a", "new"));
        Assert.Equal(deliveries.Length, files.Length);
        Assert.Equal(files.Length, files.Distinct(StringComparer.Ordinal).Count());
        foreach (string file in files)
        {
            Match match = MaildirNamePattern().Match(Path.GetFileName(file));
            Assert.True(match.Success, file);
            Assert.Equal(new FileInfo(file).Length, long.Parse(match.Groups["size"].Value, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(match.Groups["size"].Value, match.Groups["wire"].Value);
        }

        Assert.Equal(Enumerable.Range(0, 64).Select(i => (long)(Prefix.Length + 16 + i + (i < 10 ? 0 : 1))).Order(), files.Select(f => new FileInfo(f).Length).Order());
    }

    [Fact]
    public async Task AFailedDeliveryLeavesNothingBehind()
    {
        await Assert.ThrowsAsync<IOException>(() => DeliverAsync("a@example.org", Prefix, new FailingStream()));

        string maildir = Path.Combine(_root.FullName, "example.org", "a");
        Assert.Empty(System.IO.Directory.GetFiles(Path.Combine(maildir, "tmp")));
        Assert.Empty(System.IO.Directory.GetFiles(Path.Combine(maildir, "new")));
    }

    [Fact]
    public async Task AMaildirRemovedBehindTheStoreIsCreatedAgain()
    {
        await DeliverAsync("a@example.org", Prefix, new MemoryStream(Body));
        System.IO.Directory.Delete(Path.Combine(_root.FullName, "example.org", "a"), recursive: true);

        (string Path, long Size) again = await DeliverAsync("a@example.org", Prefix, new MemoryStream(Body));

        Assert.True(File.Exists(again.Path));
    }

    [Theory]
    [InlineData("no-at-sign")]
    [InlineData("../x@example.org")]
    [InlineData("a@..")]
    [InlineData("a/b@example.org")]
    [InlineData(".hidden@example.org")]
    public async Task NamesThatCannotBeAMaildirAreRefused(string mailbox)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => DeliverAsync(mailbox, Prefix, new MemoryStream(Body)));

        Assert.Empty(System.IO.Directory.GetFileSystemEntries(_root.FullName));
    }

    [Fact]
    public void HostNamesAreEscapedAsTheMaildirSpecificationSays()
    {
        Assert.Equal("a\\057b\\072c\\054d", MaildirName.SanitizeHost("a/b:c,d"));
    }

    /// <summary>Delivers and returns the file the message went to (the only new one in new/) and its size.</summary>
    private async Task<(string Path, long Size)> DeliverAsync(string user, byte[] prefix, Stream content)
    {
        string newDirectory = Path.Combine(_store.GetMaildirPath(user), "new");
        HashSet<string> before = System.IO.Directory.Exists(newDirectory) ? [.. System.IO.Directory.GetFiles(newDirectory)] : [];
        using (SaveTransaction delivery = _store.BeginDelivery(user))
        {
            MessageWriter writer = delivery.BeginMessage(MessageFlags.None, [], null);
            await writer.WriteAsync(prefix, TestContext.Current.CancellationToken);
            await writer.WriteAsync(content, TestContext.Current.CancellationToken);
            await writer.CompleteAsync(TestContext.Current.CancellationToken);
            await delivery.CommitAsync(TestContext.Current.CancellationToken);
        }

        string path = Assert.Single(System.IO.Directory.GetFiles(newDirectory), file => !before.Contains(file));
        return (path, new FileInfo(path).Length);
    }

    [GeneratedRegex(@"^\d+\.M\d+P\d+Q\d+\.[^,/:]+,S=(?<size>\d+),W=(?<wire>\d+)$")]
    private static partial Regex MaildirNamePattern();

    private sealed class FailingStream : MemoryStream
    {
        public FailingStream()
            : base(new byte[100])
        {
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Position == 0 ? ReadOnce(buffer) : throw new IOException("connection lost");

        private ValueTask<int> ReadOnce(Memory<byte> buffer)
        {
            Position = 50;
            buffer.Span[..50].Fill((byte)'x');
            return ValueTask.FromResult(50);
        }
    }
}
