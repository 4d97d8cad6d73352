namespace Mailroom.IO.Tests;

public sealed class RegularFileTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("mailroom-regular-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void ARegularFileOpensForReadingThroughASymbolicLinkToo()
    {
        string path = Path.Combine(_directory.FullName, "message");
        File.WriteAllText(path, "Subject: hello\r\n\r\n");
        string link = Path.Combine(_directory.FullName, "link");
        File.CreateSymbolicLink(link, path);

        foreach (string opened in (string[])[path, link])
        {
            using var stream = new FileStream(RegularFile.OpenRead(opened), FileAccess.Read, bufferSize: 0);
            using var reader = new StreamReader(stream);
            Assert.Equal("Subject: hello\r\n\r\n", reader.ReadToEnd());
            Assert.False(stream.CanWrite);
        }
    }

    [Fact]
    public async Task AFifoIsRefusedWithoutWaitingForAWriter()
    {
        string fifo = Path.Combine(_directory.FullName, "fifo");
        Fifo.Make(fifo);

        // Bounded (TimeoutException) so that a regression fails instead of hanging: a plain open(2) of a FIFO waits for
        // a writer.
        CancellationToken ct = TestContext.Current.CancellationToken;
        IOException refused = await Assert.ThrowsAsync<IOException>(
            () => Task.Run(() => RegularFile.OpenRead(fifo).Dispose(), ct).WaitAsync(TimeSpan.FromSeconds(30), ct));
        Assert.Contains("not a regular file", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADeviceAndADirectoryAreRefused()
    {
        Assert.Contains("not a regular file", Assert.Throws<IOException>(() => RegularFile.OpenRead("/dev/zero")).Message, StringComparison.Ordinal);
        Assert.Throws<IOException>(() => RegularFile.OpenRead(_directory.FullName));
    }

    [Fact]
    public void AMissingFileOrDirectoryIsReportedAsSuch()
    {
        Assert.Throws<FileNotFoundException>(() => RegularFile.OpenRead(Path.Combine(_directory.FullName, "absent")));
        File.WriteAllText(Path.Combine(_directory.FullName, "plain"), "x");
        Assert.Throws<DirectoryNotFoundException>(() => RegularFile.OpenRead(Path.Combine(_directory.FullName, "plain", "below")));
    }
}
