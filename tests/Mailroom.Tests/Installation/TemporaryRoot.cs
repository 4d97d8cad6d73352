using Mailroom.Hosting.Privileges;

namespace Mailroom.Tests.Installation;

/// <summary>
/// A directory that <c>mailroom install --root</c> treats as <c>/</c>: an <c>etc/passwd</c> and <c>etc/group</c> with
/// root alone, so that useradd --root picks the service user's ids there and the system's users are never touched.
/// Mode 0755 like <c>/</c>, so the service user can reach the data directory inside it.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class TemporaryRoot : IDisposable
{
    public TemporaryRoot()
    {
        Path = System.IO.Directory.CreateTempSubdirectory("mailroom-root-").FullName;
        File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead |
            UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        System.IO.Directory.CreateDirectory(Combine("etc"));
        File.WriteAllText(Combine("etc/passwd"), "root:x:0:0:root:/root:/bin/bash\n");
        File.WriteAllText(Combine("etc/group"), "root:x:0:\n");
    }

    public string Path { get; }

    public string Combine(string relative) => System.IO.Path.Combine(Path, relative.TrimStart('/'));

    public string ReadText(string relative) => File.ReadAllText(Combine(relative));

    public FileOwnership Ownership(string relative) => FileOwnership.Of(Combine(relative)) ?? throw new FileNotFoundException(relative);

    /// <summary>The service user's uid and gid from the root's etc/passwd.</summary>
    public (uint Uid, uint Gid) ServiceUser()
    {
        string line = Assert.Single(File.ReadAllLines(Combine("etc/passwd")), l => l.StartsWith("mailroom:", StringComparison.Ordinal));
        string[] fields = line.Split(':');
        return (uint.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture), uint.Parse(fields[3], System.Globalization.CultureInfo.InvariantCulture));
    }

    public void Dispose() => System.IO.Directory.Delete(Path, recursive: true);
}
