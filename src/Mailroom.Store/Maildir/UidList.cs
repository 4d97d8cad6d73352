using System.Globalization;
using System.Text;
using Mailroom.IO;
using Microsoft.Win32.SafeHandles;

namespace Mailroom.Store.Maildir;

/// <summary>
/// The authoritative UID map of one folder, an append-only text file in the folder's Maildir (the role of
/// Dovecot's <c>dovecot-uidlist</c>):
/// <code>
/// mailroom-uidlist 1 &lt;uidvalidity&gt; &lt;next uid&gt;
/// &lt;uid&gt; &lt;base name&gt;
/// </code>
/// Lines are on disk before a UID is shown to a client, so a UID is never given to two messages, even after a crash
/// (RFC 9051 §2.3.1.1): an append is fsynced at once, except a delivery's to a folder nobody has loaded
/// (<see cref="Assign"/> with <c>durable: false</c>), whose lines reach the disk at the next load's
/// <see cref="FlushToDisk"/> at the latest, before any reader sees them. Lost in a power cut before that, they are
/// lines nobody was shown: the load that follows numbers those messages afresh. A later line for the same base name
/// wins. A torn last line (crash mid-append) is ignored.
/// Not thread-safe: the owning <see cref="MailFolder"/> serialises access.
/// </summary>
internal sealed class UidList
{
    public const string FileName = "mailroom-uidlist";
    private const string Magic = "mailroom-uidlist";
    private const int Version = 1;

    private readonly string _path;

    // Null for a list opened from its header only (the index vouched for the rest): read on first need.
    private Dictionary<string, uint>? _byBase;

    private UidList(string path, uint uidValidity, uint nextUid, Dictionary<string, uint>? byBase)
    {
        _path = path;
        UidValidity = uidValidity;
        NextUid = nextUid;
        _byBase = byBase;
    }

    public uint UidValidity { get; }

    /// <summary>The next UID to assign: above every UID ever written to the file.</summary>
    public uint NextUid { get; private set; }

    /// <summary>Entries in the file (live or not), to decide when compaction pays.</summary>
    public int EntryCount => LoadEntries().Count;

    /// <summary>Base name → UID, the latest line of each base name.</summary>
    public IReadOnlyDictionary<string, uint> Entries => LoadEntries();

    /// <summary>The file's length and modification time when this instance last read or wrote it.</summary>
    public FileStamp Stamp { get; private set; }

    public bool TryGetUid(string baseName, out uint uid) => LoadEntries().TryGetValue(baseName, out uid);

    /// <summary>Whether the file is still the one this instance last read or wrote (nobody else replaced or appended to it).</summary>
    public bool IsUnchangedOnDisk() => FileStamp.Of(_path) == Stamp;

    /// <summary>Reads the file; null when it is missing or its header is unreadable (the UIDs are lost).</summary>
    public static UidList? TryLoad(string folderPath, out bool torn)
    {
        string path = Path.Combine(folderPath, FileName);
        FileStamp stamp = FileStamp.Of(path);
        string? text = ReadText(path);
        if (text is null || !TryParse(text, out uint uidValidity, out uint nextUid, out Dictionary<string, uint> byBase, out torn))
        {
            torn = false;
            return null;
        }

        return new UidList(path, uidValidity, nextUid, byBase) { Stamp = stamp };
    }

    /// <summary>
    /// Reads only the header line, for a folder whose index row vouches for the rest: the file must still have
    /// <paramref name="expected"/>'s length and time, and <paramref name="nextUid"/> is the next UID the index recorded
    /// with it. Null when the file is missing, unreadable or not the one the index saw.
    /// </summary>
    public static UidList? TryLoadHeader(string folderPath, FileStamp expected, uint nextUid)
    {
        string path = Path.Combine(folderPath, FileName);
        if (FileStamp.Of(path) != expected)
        {
            return null;
        }

        Span<byte> buffer = stackalloc byte[128];
        int read;
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            read = RandomAccess.Read(handle, buffer, 0);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        int end = buffer[..read].IndexOf((byte)'\n');
        Span<char> header = stackalloc char[128];
        if (end < 0 || !TryParseHeader(header[..Encoding.ASCII.GetChars(buffer[..end], header)], out uint uidValidity, out uint headerNext))
        {
            return null;
        }

        return new UidList(path, uidValidity, Math.Max(headerNext, nextUid), null) { Stamp = expected };
    }

    private static string? ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static bool TryParse(string text, out uint uidValidity, out uint nextUid, out Dictionary<string, uint> byBase, out bool torn)
    {
        torn = false;
        byBase = null!;
        int headerEnd = text.IndexOf('\n', StringComparison.Ordinal);
        if (headerEnd < 0 || !TryParseHeader(text.AsSpan(0, headerEnd), out uidValidity, out nextUid))
        {
            uidValidity = 0;
            nextUid = 0;
            return false;
        }

        // About 40 bytes a line: sized once instead of growing through every power of two.
        byBase = new Dictionary<string, uint>(text.Length / 40, StringComparer.Ordinal);
        int start = headerEnd + 1;
        while (start < text.Length)
        {
            int end = text.IndexOf('\n', start);
            if (end < 0)
            {
                // RFC-free territory: a crash between write and fsync can leave half a line; it was never handed out.
                torn = true;
                break;
            }

            ReadOnlySpan<char> line = text.AsSpan(start, end - start);
            int space = line.IndexOf(' ');
            if (space > 0
                && uint.TryParse(line[..space], NumberStyles.None, CultureInfo.InvariantCulture, out uint uid)
                && uid > 0
                && space + 1 < line.Length)
            {
                byBase[line[(space + 1)..].ToString()] = uid;
                if (uid >= nextUid)
                {
                    nextUid = uid == uint.MaxValue ? uid : uid + 1;
                }
            }
            else
            {
                torn = true;
            }

            start = end + 1;
        }

        return true;
    }

    private Dictionary<string, uint> LoadEntries()
    {
        if (_byBase is null)
        {
            // Lines appended since the header was read are in the file too, so the whole file is the truth.
            string text = ReadText(_path) ?? throw new IOException($"{_path} vanished while the folder was open.");
            if (!TryParse(text, out _, out uint nextUid, out Dictionary<string, uint> byBase, out _))
            {
                throw new IOException($"{_path} became unreadable while the folder was open.");
            }

            NextUid = Math.Max(NextUid, nextUid);
            _byBase = byBase;
        }

        return _byBase;
    }

    /// <summary>
    /// Makes every line of the folder's uidlist durable (appends some earlier delivery, maybe of another process that
    /// has since died, left to the page cache). On a file nothing is pending for, fsync(2) returns at once. Nothing when
    /// there is no file yet.
    /// </summary>
    public static void FlushToDisk(string folderPath)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(Path.Combine(folderPath, FileName), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return;
        }

        using (handle)
        {
            DurableFile.FlushFile(handle);
        }
    }

    /// <summary>Creates (or replaces) the file with no entries, durably.</summary>
    public static UidList Create(string folderPath, uint uidValidity, uint nextUid)
    {
        var list = new UidList(Path.Combine(folderPath, FileName), uidValidity, nextUid, new Dictionary<string, uint>(StringComparer.Ordinal));
        list.Rewrite([]);
        return list;
    }

    /// <summary>
    /// Assigns consecutive UIDs to <paramref name="baseNames"/>, durable before they are returned unless
    /// <paramref name="durable"/> is false: then they must not be shown to any client before a <see cref="FlushToDisk"/>.
    /// </summary>
    public uint[] Assign(IReadOnlyList<string> baseNames, bool durable = true)
    {
        uint[] uids = new uint[baseNames.Count];
        if (uids.Length == 0)
        {
            return uids;
        }

        if ((ulong)NextUid + (ulong)uids.Length >= uint.MaxValue)
        {
            throw new IOException($"UID space of {_path} exhausted; the folder needs a new UIDVALIDITY.");
        }

        var text = new StringBuilder(baseNames.Count * 48);
        for (int i = 0; i < uids.Length; i++)
        {
            uids[i] = NextUid + (uint)i;
            text.Append(uids[i].ToString(CultureInfo.InvariantCulture)).Append(' ').Append(baseNames[i]).Append('\n');
        }

        byte[] bytes = Encoding.UTF8.GetBytes(text.ToString());
        using (var handle = File.OpenHandle(_path, FileMode.Append, FileAccess.Write, FileShare.Read))
        {
            RandomAccess.Write(handle, bytes, RandomAccess.GetLength(handle));
            if (durable)
            {
                DurableFile.FlushFile(handle);
            }
        }

        Stamp = FileStamp.Of(_path);
        if (_byBase is not null)
        {
            for (int i = 0; i < uids.Length; i++)
            {
                _byBase[baseNames[i]] = uids[i];
            }
        }

        NextUid += (uint)uids.Length;
        return uids;
    }

    /// <summary>
    /// Raises the next UID to <paramref name="nextUid"/> durably (the header is rewritten): for UIDs recorded elsewhere
    /// whose lines this file lost, so that they are never given again.
    /// </summary>
    public void RaiseNextUid(uint nextUid)
    {
        if (nextUid > NextUid)
        {
            NextUid = nextUid;
            Rewrite(LoadEntries());
        }
    }

    /// <summary>
    /// Replaces the file with only <paramref name="live"/> entries (compaction, or repair of a torn tail), keeping
    /// the next UID in the header so expunged UIDs stay used. Atomic: tmp → fsync → rename → directory fsync.
    /// </summary>
    public void Rewrite(IEnumerable<KeyValuePair<string, uint>> entries)
    {
        List<KeyValuePair<string, uint>> live = [.. entries];
        var text = new StringBuilder(64 + (live.Count * 48));
        text.Append(Magic).Append(' ').Append(Version.ToString(CultureInfo.InvariantCulture)).Append(' ')
            .Append(UidValidity.ToString(CultureInfo.InvariantCulture)).Append(' ')
            .Append(NextUid.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (KeyValuePair<string, uint> entry in live.OrderBy(static e => e.Value))
        {
            text.Append(entry.Value.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(entry.Key).Append('\n');
        }

        string tmp = _path + ".tmp";
        using (var handle = File.OpenHandle(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            RandomAccess.Write(handle, Encoding.UTF8.GetBytes(text.ToString()), 0);
            DurableFile.FlushFile(handle);
        }

        File.Move(tmp, _path, overwrite: true);
        DurableFile.FlushDirectory(Path.GetDirectoryName(_path)!);
        Stamp = FileStamp.Of(_path);
        var byBase = new Dictionary<string, uint>(live.Count, StringComparer.Ordinal);
        foreach (KeyValuePair<string, uint> entry in live)
        {
            byBase[entry.Key] = entry.Value;
        }

        _byBase = byBase;
    }

    private static bool TryParseHeader(ReadOnlySpan<char> header, out uint uidValidity, out uint nextUid)
    {
        uidValidity = 0;
        nextUid = 0;
        Span<Range> parts = stackalloc Range[5];
        if (header.Split(parts, ' ') != 4 || !header[parts[0]].SequenceEqual(Magic))
        {
            return false;
        }

        return int.TryParse(header[parts[1]], NumberStyles.None, CultureInfo.InvariantCulture, out int version)
            && version == Version
            && uint.TryParse(header[parts[2]], NumberStyles.None, CultureInfo.InvariantCulture, out uidValidity)
            && uidValidity > 0
            && uint.TryParse(header[parts[3]], NumberStyles.None, CultureInfo.InvariantCulture, out nextUid)
            && nextUid > 0;
    }
}
