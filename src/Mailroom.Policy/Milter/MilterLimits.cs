namespace Mailroom.Policy.Milter;

/// <summary>Bounds on what a milter may send back, against a broken or hostile milter.</summary>
internal sealed record MilterLimits(int MaxPacketSize, int MaxModifications, long MaxReplacedBodySize, int MaxHeaderBytes)
{
    /// <summary>A temporary file for a replaced body, removed when closed (never the whole body in memory).</summary>
    public static FileStream CreateSpoolFile() => new(
        Path.Combine(Path.GetTempPath(), $"mailroom-milter-{Guid.NewGuid():N}"),
        FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
}
