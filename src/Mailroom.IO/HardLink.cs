namespace Mailroom.IO;

/// <summary>Hard links (link(2)): a second name for a file's data, made in one atomic step and costing no copy.</summary>
public static class HardLink
{
    /// <summary>
    /// Gives the file at <paramref name="existingPath"/> the additional name <paramref name="newPath"/>. False when that
    /// could not be done: the source is gone, the target exists, the paths lie on different file systems or the file
    /// system has no hard links (and always on Windows); the caller then copies.
    /// </summary>
    public static bool TryCreate(string existingPath, string newPath)
    {
        ArgumentNullException.ThrowIfNull(existingPath);
        ArgumentNullException.ThrowIfNull(newPath);
        return !OperatingSystem.IsWindows() && LibC.Link(existingPath, newPath) == 0;
    }
}
