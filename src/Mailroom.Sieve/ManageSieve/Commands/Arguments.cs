using Mailroom.Sieve.ManageSieve.Protocol;
using Mailroom.Sieve.ManageSieve.Server;
using Mailroom.Sieve.Storage;

namespace Mailroom.Sieve.ManageSieve.Commands;

/// <summary>Argument checks and result reports the script commands share.</summary>
internal static class Arguments
{
    /// <summary>Checks the argument count and that each is a string (or a number where <paramref name="numbers"/> says); answers NO otherwise.</summary>
    public static bool Expect(ManageSieveSession session, IReadOnlyList<Argument> arguments, string usage, params ArgumentKind[] kinds)
    {
        bool ok = arguments.Count == kinds.Length;
        for (int i = 0; ok && i < kinds.Length; i++)
        {
            ok = arguments[i].Kind == kinds[i];
        }

        if (!ok)
        {
            session.Invalid("Syntax: " + usage);
        }

        return ok;
    }

    /// <summary>A script name (RFC 5804 §1.6); answers NO when it is not one.</summary>
    public static string? ScriptName(ManageSieveSession session, Argument argument)
    {
        string? name = argument.Text;
        if (name is null || !ScriptNames.IsValid(name))
        {
            session.No(null, "Invalid script name.");
            return null;
        }

        return name;
    }

    /// <summary>The response for a storage result (RFC 5804 §1.3 codes).</summary>
    public static void Report(ManageSieveSession session, ScriptChange change, string okText)
    {
        switch (change)
        {
            case ScriptChange.Ok:
                session.Ok(null, okText);
                break;
            case ScriptChange.NotFound:
                session.No("NONEXISTENT", "Script does not exist.");
                break;
            case ScriptChange.Active:
                session.No("ACTIVE", "Cannot delete the active script.");
                break;
            case ScriptChange.AlreadyExists:
                session.No("ALREADYEXISTS", "A script of that name already exists.");
                break;
            case ScriptChange.TooManyScripts:
                session.No("QUOTA/MAXSCRIPTS", "Too many scripts.");
                break;
            case ScriptChange.TooLarge:
                session.No("QUOTA/MAXSIZE", "Script is too large.");
                break;
            default:
                session.No("QUOTA", "Not enough room for the script.");
                break;
        }
    }

    /// <summary>Runs a storage operation; a file-system failure is answered NO (TRYLATER) and logged.</summary>
    public static bool TryStorage(ManageSieveSession session, Action operation)
    {
        try
        {
            operation();
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ManageSieveLog.StorageFailed(session.Context.Diagnostics, ex, session.User ?? "");
            session.No("TRYLATER", "Internal error occurred. Refer to server log for more information.");
            return false;
        }
    }
}
