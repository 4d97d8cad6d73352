namespace Mailroom.Store.Maildir;

/// <summary>
/// A file's length and modification time (UTC ticks), to tell cheaply whether a file is still the one last read:
/// appending changes the length, replacing it changes the time. Zero length and time: the file does not exist.
/// </summary>
internal readonly record struct FileStamp(long Length, long Ticks)
{
    public static FileStamp Of(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? new FileStamp(info.Length, info.LastWriteTimeUtc.Ticks) : default;
    }
}
