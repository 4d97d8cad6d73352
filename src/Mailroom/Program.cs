using System.CommandLine;
using Mailroom.Cli;
using Mailroom.Hosting.Privileges;

namespace Mailroom;

internal static class Program
{
    /// <summary>
    /// The verbs that read or write the data directory: they name it, refuse one without a database unless --create, and
    /// run as its owner when started as root.
    /// </summary>
    private static readonly HashSet<string> DataVerbs = new(StringComparer.Ordinal) { "domain", "user", "alias", "alias-domain", "directory", "queue", "log", "mail" };

    public static async Task<int> Main(string[] args)
    {
        LeastPrivilege.SetUmask();
        RootCommand root = CommandLine.CreateRoot();
        ParseResult result = root.Parse(args);
        if (result.Errors.Count == 0 && DataVerbs.Contains(TopLevelVerb(result)))
        {
            if (DataDirectoryGuard.Check(result, Console.Error) is { } refusal)
            {
                await Console.Error.WriteLineAsync($"mailroom: {refusal}").ConfigureAwait(false);
                return 1;
            }

            try
            {
                LeastPrivilege.EnterAsDataOwner(GlobalOptions.Paths(result).Root);
            }
            catch (PrivilegeException ex)
            {
                await Console.Error.WriteLineAsync($"mailroom: {ex.Message}").ConfigureAwait(false);
                return 1;
            }
        }

        return await result.InvokeAsync().ConfigureAwait(false);
    }

    private static string TopLevelVerb(ParseResult result)
    {
        System.CommandLine.Parsing.CommandResult command = result.CommandResult;
        while (command.Parent is System.CommandLine.Parsing.CommandResult parent && parent.Parent is not null)
        {
            command = parent;
        }

        return command.Command.Name;
    }
}
