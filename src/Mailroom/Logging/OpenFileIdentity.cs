using Microsoft.Win32.SafeHandles;

namespace Mailroom.Logging;

/// <summary>
/// Tells whether an open file is still the one a path names. After logrotate renames the log, the open handle
/// points at the renamed file; Linux shows that in <c>/proc/self/fd/N</c>. This is how both the writer and
/// <c>mailroom log -f</c> notice a rotation without polling inode numbers through platform-specific stat structs.
/// </summary>
internal static class OpenFileIdentity
{
    public static bool StillNamedBy(SafeFileHandle handle, string path)
    {
        string link = $"/proc/self/fd/{handle.DangerousGetHandle()}";
        try
        {
            FileSystemInfo? target = File.ResolveLinkTarget(link, returnFinalTarget: false);
            if (target is null)
            {
                return true;
            }

            return string.Equals(target.FullName, Path.GetFullPath(path), StringComparison.Ordinal);
        }
        catch (IOException)
        {
            // No /proc (not Linux): fall back to "the path still exists".
            return File.Exists(path);
        }
        catch (UnauthorizedAccessException)
        {
            return File.Exists(path);
        }
    }
}
