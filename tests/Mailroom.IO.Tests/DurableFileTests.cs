namespace Mailroom.IO.Tests;

public sealed class DurableFileTests : IDisposable
{
    private readonly DirectoryInfo _root = System.IO.Directory.CreateTempSubdirectory("mailroom-store-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public void FlushingAnExistingDirectorySucceeds()
    {
        File.WriteAllText(Path.Combine(_root.FullName, "a"), "x");

        DurableFile.FlushDirectory(_root.FullName);

        Assert.True(File.Exists(Path.Combine(_root.FullName, "a")));
    }

    [Fact]
    public void FlushingAMissingDirectoryThrowsIOException()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "directories are not flushed on Windows");

        IOException error = Assert.Throws<IOException>(() => DurableFile.FlushDirectory(Path.Combine(_root.FullName, "missing")));
        Assert.Contains("missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FlushingAFileAsADirectoryThrowsIOException()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "O_DIRECTORY is checked on Linux");
        string file = Path.Combine(_root.FullName, "plain");
        File.WriteAllText(file, "x");

        Assert.Throws<IOException>(() => DurableFile.FlushDirectory(file));
    }
}
