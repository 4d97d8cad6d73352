using System.Globalization;
using Mailroom.Cli;
using Mailroom.IO;

namespace Mailroom.Hosting;

/// <summary>
/// <c>&lt;data&gt;/mailroom.pid</c>, flock()ed by the one <c>serve</c> that owns the data directory and holding its
/// process id: a second <c>serve</c> on the same directory stops at once with one line naming the first, instead of
/// failing later on a port or the queue lock. The kernel drops the lock when the process dies, so a crash never
/// leaves the directory looking busy.
/// </summary>
internal sealed class DataDirectoryLock : IDisposable
{
    public const string FileName = "mailroom.pid";

    private readonly FileStream _file;

    private DataDirectoryLock(FileStream file) => _file = file;

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    /// <exception cref="CliException">Another process holds the lock; the message names it.</exception>
    public static DataDirectoryLock Acquire(string dataDirectory)
    {
        string path = PathIn(dataDirectory);
        var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
        try
        {
            if (!ExclusiveFileLock.TryAcquire(file.SafeFileHandle))
            {
                using var reader = new StreamReader(file);
                string pid = reader.ReadToEnd().Trim();
                string who = int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out int id) ? $"pid {id}" : "another process";
                throw new CliException($"another mailroom serve ({who}) is already running on the data directory {dataDirectory}; stop it first (systemctl stop mailroom, or kill {(who.StartsWith("pid", StringComparison.Ordinal) ? pid : "it")})");
            }

            file.SetLength(0);
            byte[] text = System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
            file.Write(text);
            file.Flush();
            var held = new DataDirectoryLock(file);
            file = null!;
            return held;
        }
        finally
        {
            file?.Dispose();
        }
    }

    public void Dispose() => _file.Dispose();
}
