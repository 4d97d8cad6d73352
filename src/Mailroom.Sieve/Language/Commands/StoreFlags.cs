using Mailroom.Sieve.Runtime;

namespace Mailroom.Sieve.Language.Commands;

/// <summary>The flags a <c>keep</c> or <c>fileinto</c> stores with and how stores to the same folder are recognised.</summary>
internal static class StoreFlags
{
    /// <summary>RFC 5232 §5: the <c>:flags</c> argument, or else the internal variable as it is now.</summary>
    public static IReadOnlyList<string> Resolve(ScriptRun run, SieveStringList? flags) =>
        FlagList.ForStore(flags is null ? run.Execution.InternalFlags : FlagList.Split(flags.Evaluate(run)));

    /// <summary>Folders compared as the store compares them: INBOX in any case, others exactly.</summary>
    public static string FolderKey(string folder) => folder.Equals("INBOX", StringComparison.OrdinalIgnoreCase) ? "INBOX" : folder;

    /// <summary>
    /// A folder name the store can hold: <c>/</c>-separated levels, none empty, no control characters, well-formed text
    /// (Pigeonhole refuses invalid names at run time too).
    /// </summary>
    public static bool IsValidFolder(string folder)
    {
        if (folder.Length == 0 || folder.Length > 1024)
        {
            return false;
        }

        foreach (string level in folder.Split('/'))
        {
            if (level.Length == 0)
            {
                return false;
            }
        }

        for (int i = 0; i < folder.Length; i++)
        {
            char c = folder[i];
            if (char.IsControl(c))
            {
                return false;
            }

            if (char.IsSurrogate(c))
            {
                if (!char.IsSurrogatePair(folder, i))
                {
                    return false;
                }

                i++;
            }
        }

        return true;
    }
}
