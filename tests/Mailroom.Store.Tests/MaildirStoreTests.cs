using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mailroom.Store.Tests;

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

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public async Task DeliveredMessageIsInNewWithPrefixAndSizesInItsName()
    {
        DeliveredMessage delivered = await _store.DeliverAsync("Bob@Example.org", Prefix, new MemoryStream(Body), TestContext.Current.CancellationToken);

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
        DeliveredMessage delivered = await _store.DeliverAsync("a@example.org", Prefix, new MemoryStream(body), TestContext.Current.CancellationToken);

        long size = Prefix.Length + body.Length;
        Assert.EndsWith($",S={size},W={size + 3}", delivered.Path, StringComparison.Ordinal);
        Assert.Equal(size + 3, MaildirFileName.SizeField(Path.GetFileName(delivered.Path), 'W'));
    }

    [Fact]
    public async Task AMessageWhoseLastLineIsUnterminatedGetsNoWireSizeInItsName()
    {
        byte[] body = "Subject: x\r\n\r\nno line end"u8.ToArray();
        DeliveredMessage delivered = await _store.DeliverAsync("a@example.org", Prefix, new MemoryStream(body), TestContext.Current.CancellationToken);

        Assert.EndsWith($",S={Prefix.Length + body.Length}", delivered.Path, StringComparison.Ordinal);
        Assert.Equal(-1, MaildirFileName.SizeField(Path.GetFileName(delivered.Path), 'W'));
    }

    [Fact]
    public async Task NamesFollowTheMaildirConventionAndAreUniqueUnderConcurrency()
    {
        var deliveries = new Task<DeliveredMessage>[64];
        for (int i = 0; i < deliveries.Length; i++)
        {
            byte[] body = Encoding.ASCII.GetBytes($"Subject: {i}\r\n\r\n{new string('x', i)}\r\n");
            deliveries[i] = _store.DeliverAsync("a@example.org", Prefix, new MemoryStream(body), TestContext.Current.CancellationToken).AsTask();
        }

        DeliveredMessage[] delivered = await Task.WhenAll(deliveries);

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

        Assert.All(delivered, d => Assert.Contains(d.Path, files));
    }

    [Fact]
    public async Task AFailedDeliveryLeavesNothingBehind()
    {
        await Assert.ThrowsAsync<IOException>(() => _store.DeliverAsync("a@example.org", Prefix, new FailingStream(), TestContext.Current.CancellationToken).AsTask());

        string maildir = Path.Combine(_root.FullName, "example.org", "a");
        Assert.Empty(System.IO.Directory.GetFiles(Path.Combine(maildir, "tmp")));
        Assert.Empty(System.IO.Directory.GetFiles(Path.Combine(maildir, "new")));
    }

    [Fact]
    public async Task AMaildirRemovedBehindTheStoreIsCreatedAgain()
    {
        await _store.DeliverAsync("a@example.org", Prefix, new MemoryStream(Body), TestContext.Current.CancellationToken);
        System.IO.Directory.Delete(Path.Combine(_root.FullName, "example.org", "a"), recursive: true);

        DeliveredMessage again = await _store.DeliverAsync("a@example.org", Prefix, new MemoryStream(Body), TestContext.Current.CancellationToken);

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
        await Assert.ThrowsAsync<ArgumentException>(() => _store.DeliverAsync(mailbox, Prefix, new MemoryStream(Body), TestContext.Current.CancellationToken).AsTask());

        Assert.Empty(System.IO.Directory.GetFileSystemEntries(_root.FullName));
    }

    [Fact]
    public void HostNamesAreEscapedAsTheMaildirSpecificationSays()
    {
        Assert.Equal("a\\057b\\072c\\054d", MaildirName.SanitizeHost("a/b:c,d"));
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
