using System.Collections.Concurrent;
using Mailroom.IO;
using Mailroom.Store.Maildir;
using Microsoft.Extensions.Options;

namespace Mailroom.Sieve.Storage;

/// <summary>
/// Each user's scripts beside the mailbox, in Pigeonhole's layout (<c>sieve = file:~/sieve;active=~/.dovecot.sieve</c>
/// with the Maildir as home): <c>&lt;maildir&gt;/sieve/&lt;name&gt;.sieve</c>, and the active one named by the
/// symbolic link <c>&lt;maildir&gt;/.dovecot.sieve</c>. So the same layout works with the SQLite and the SQL directories,
/// and a user's scripts move with the Maildir between Mailroom and Dovecot. Writes are atomic and durable (temporary
/// file, fsync, rename, directory fsync); quotas on size and count are checked before anything is written.
/// </summary>
public sealed class SieveScriptStore
{
    public const string ScriptDirectoryName = "sieve";
    public const string ActiveLinkName = ".dovecot.sieve";
    public const string Extension = ".sieve";

    private readonly MaildirStore _maildirs;
    private readonly SieveOptions _options;
    private readonly ConcurrentDictionary<string, Lock> _gates = new(StringComparer.Ordinal);

    public SieveScriptStore(MaildirStore maildirs, IOptions<SieveOptions> options)
    {
        ArgumentNullException.ThrowIfNull(maildirs);
        ArgumentNullException.ThrowIfNull(options);
        _maildirs = maildirs;
        _options = options.Value;
    }

    /// <summary>The user's script directory (which may not exist yet).</summary>
    public string ScriptDirectory(string user) => Path.Combine(_maildirs.GetMaildirPath(user), ScriptDirectoryName);

    public IReadOnlyList<ScriptEntry> List(string user)
    {
        string directory = ScriptDirectory(user);
        if (!System.IO.Directory.Exists(directory))
        {
            return [];
        }

        string? active = ActiveName(user);
        var scripts = new List<ScriptEntry>();
        foreach (string file in System.IO.Directory.EnumerateFiles(directory, "*" + Extension))
        {
            string name = Path.GetFileNameWithoutExtension(file);
            if (ScriptNames.IsValid(name))
            {
                scripts.Add(new ScriptEntry(name, new FileInfo(file).Length, name == active));
            }
        }

        scripts.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return scripts;
    }

    /// <summary>The script's content, or null when there is none of that name.</summary>
    public byte[]? Read(string user, string name)
    {
        string? path = PathOf(user, name);
        try
        {
            return path is null ? null : File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>HAVESPACE (RFC 5804 §2.5): whether a script of this name and size could be stored now.</summary>
    public ScriptChange CheckSpace(string user, string name, long size)
    {
        if (size > _options.MaxScriptSize)
        {
            return ScriptChange.TooLarge;
        }

        IReadOnlyList<ScriptEntry> scripts = List(user);
        ScriptEntry? replaced = scripts.FirstOrDefault(s => s.Name == name);
        if (replaced is null && _options.MaxScripts > 0 && scripts.Count >= _options.MaxScripts)
        {
            return ScriptChange.TooManyScripts;
        }

        long used = scripts.Sum(s => s.Size) - (replaced?.Size ?? 0);
        return _options.MaxStorage > 0 && used + size > _options.MaxStorage ? ScriptChange.OverQuota : ScriptChange.Ok;
    }

    /// <summary>PUTSCRIPT: stores (or replaces) a script that was already checked, within the quotas.</summary>
    public ScriptChange Write(string user, string name, ReadOnlySpan<byte> content)
    {
        ThrowIfInvalid(name);
        lock (GateOf(user))
        {
            ScriptChange space = CheckSpace(user, name, content.Length);
            if (space != ScriptChange.Ok)
            {
                return space;
            }

            string directory = EnsureDirectory(user);
            string target = Path.Combine(directory, name + Extension);
            string temporary = Path.Combine(directory, $".tmp-{Guid.NewGuid():N}");
            try
            {
                using (var handle = File.OpenHandle(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.None, preallocationSize: 0))
                {
                    RandomAccess.Write(handle, content, 0);
                    DurableFile.FlushFile(handle);
                }

                SetPrivate(temporary);
                File.Move(temporary, target, overwrite: true);
                DurableFile.FlushDirectory(directory);
            }
            catch
            {
                TryDelete(temporary);
                throw;
            }

            return ScriptChange.Ok;
        }
    }

    /// <summary>DELETESCRIPT: the active script cannot be deleted (RFC 5804 §2.10).</summary>
    public ScriptChange Delete(string user, string name)
    {
        lock (GateOf(user))
        {
            string? path = PathOf(user, name);
            if (path is null || !File.Exists(path))
            {
                return ScriptChange.NotFound;
            }

            if (ActiveName(user) == name)
            {
                return ScriptChange.Active;
            }

            File.Delete(path);
            DurableFile.FlushDirectory(Path.GetDirectoryName(path)!);
            return ScriptChange.Ok;
        }
    }

    /// <summary>RENAMESCRIPT (RFC 5804 §2.11.1): the active script stays active under its new name.</summary>
    public ScriptChange Rename(string user, string from, string to)
    {
        ThrowIfInvalid(to);
        lock (GateOf(user))
        {
            string? source = PathOf(user, from);
            if (source is null || !File.Exists(source))
            {
                return ScriptChange.NotFound;
            }

            string target = Path.Combine(ScriptDirectory(user), to + Extension);
            if (File.Exists(target))
            {
                return ScriptChange.AlreadyExists;
            }

            bool active = ActiveName(user) == from;
            File.Move(source, target);
            DurableFile.FlushDirectory(ScriptDirectory(user));
            if (active)
            {
                Link(user, to);
            }

            return ScriptChange.Ok;
        }
    }

    /// <summary>SETACTIVE (RFC 5804 §2.8): makes the named script the active one; an empty name deactivates.</summary>
    public ScriptChange Activate(string user, string name)
    {
        lock (GateOf(user))
        {
            if (name.Length == 0)
            {
                string link = Path.Combine(_maildirs.GetMaildirPath(user), ActiveLinkName);
                if (File.Exists(link) || new FileInfo(link).LinkTarget is not null)
                {
                    File.Delete(link);
                    DurableFile.FlushDirectory(Path.GetDirectoryName(link)!);
                }

                return ScriptChange.Ok;
            }

            string? path = PathOf(user, name);
            if (path is null || !File.Exists(path))
            {
                return ScriptChange.NotFound;
            }

            Link(user, name);
            return ScriptChange.Ok;
        }
    }

    /// <summary>The active script's name, or null when none is active.</summary>
    public string? ActiveName(string user)
    {
        string link = Path.Combine(_maildirs.GetMaildirPath(user), ActiveLinkName);
        string? target = new FileInfo(link).LinkTarget;
        if (target is null)
        {
            return null;
        }

        string file = Path.GetFileName(target);
        string directory = Path.GetFileName(Path.GetDirectoryName(target) ?? "");
        return directory == ScriptDirectoryName && file.EndsWith(Extension, StringComparison.Ordinal) && File.Exists(Path.Combine(_maildirs.GetMaildirPath(user), target))
            ? file[..^Extension.Length]
            : null;
    }

    /// <summary>
    /// The file delivery runs for the user: the active script, or a plain <c>.dovecot.sieve</c> file (a Dovecot user's
    /// hand-written script without ManageSieve); null when there is none.
    /// </summary>
    public string? ActivePath(string user)
    {
        string link = Path.Combine(_maildirs.GetMaildirPath(user), ActiveLinkName);
        if (ActiveName(user) is { } name)
        {
            return Path.Combine(ScriptDirectory(user), name + Extension);
        }

        return new FileInfo(link) is { Exists: true, LinkTarget: null } ? link : null;
    }

    private string? PathOf(string user, string name) =>
        ScriptNames.IsValid(name) ? Path.Combine(ScriptDirectory(user), name + Extension) : null;

    private Lock GateOf(string user) => _gates.GetOrAdd(_maildirs.GetMaildirPath(user), static _ => new Lock());

    private string EnsureDirectory(string user)
    {
        string maildir = _maildirs.GetMaildirPath(user);
        string directory = Path.Combine(maildir, ScriptDirectoryName);
        if (!System.IO.Directory.Exists(directory))
        {
            System.IO.Directory.CreateDirectory(directory);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            DurableFile.FlushDirectory(maildir);
        }

        return directory;
    }

    /// <summary>Points <c>.dovecot.sieve</c> at the script, replacing the old link in one rename.</summary>
    private void Link(string user, string name)
    {
        string maildir = _maildirs.GetMaildirPath(user);
        string link = Path.Combine(maildir, ActiveLinkName);
        if (new FileInfo(link) is { Exists: true, LinkTarget: null })
        {
            // A hand-written script in place of the link (Pigeonhole keeps it the same way, as dovecot.orig).
            File.Move(link, Path.Combine(EnsureDirectory(user), "dovecot.orig" + Extension), overwrite: true);
        }

        string temporary = Path.Combine(maildir, $".dovecot.sieve.tmp-{Guid.NewGuid():N}");
        File.CreateSymbolicLink(temporary, Path.Combine(ScriptDirectoryName, name + Extension));
        try
        {
            File.Move(temporary, link, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }

        DurableFile.FlushDirectory(maildir);
    }

    private static void ThrowIfInvalid(string name)
    {
        if (!ScriptNames.IsValid(name))
        {
            throw new ArgumentException($"'{name}' is not a valid script name.", nameof(name));
        }
    }

    private static void SetPrivate(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Left behind; a later write uses another temporary name.
        }
    }
}
