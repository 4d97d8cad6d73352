using System.CommandLine;
using Mailroom.Configuration;
using Mailroom.Directory;
using Mailroom.Directory.Admin;
using Mailroom.Toolkit;

namespace Mailroom.Cli;

/// <summary>The <c>mailroom</c> command tree: the server, its admin verbs and the client-side toolkit.</summary>
internal static class CommandLine
{
    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("Mailroom: a whole mail system (SMTP, POP3, IMAP, virtual users in SQL) and the tools to prove a mail server works.");
        root.Options.Add(GlobalOptions.Data);
        root.Options.Add(GlobalOptions.Create);
        root.Options.Add(GlobalOptions.Config);
        root.Options.Add(GlobalOptions.Set);
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(DomainCommands.Create());
        root.Subcommands.Add(UserCommands.Create());
        root.Subcommands.Add(AliasCommands.Create());
        root.Subcommands.Add(AliasCommands.CreateAliasDomain());
        root.Subcommands.Add(DirectoryCommands.Create());
        root.Subcommands.Add(ConfigCommand.Create());
        root.Subcommands.Add(QueueCommands.Create());
        root.Subcommands.Add(LimitsCommand.Create());
        root.Subcommands.Add(DkimCommands.Create());
        root.Subcommands.Add(LogCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(InstallCommands.CreateInstall());
        root.Subcommands.Add(InstallCommands.CreateUninstall());
        foreach (Command command in ToolkitCommands.Create())
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    /// <summary>
    /// Runs a verb's body and turns the failures a user can fix into one line on stderr and exit code 1.
    /// </summary>
    public static async Task<int> RunAsync(Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (CliException ex)
        {
            await Console.Error.WriteLineAsync($"mailroom: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (DirectoryAdminException ex)
        {
            await Console.Error.WriteLineAsync($"mailroom: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (ConfigurationException ex)
        {
            await Console.Error.WriteLineAsync($"mailroom: configuration error: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (DirectoryUnavailableException ex)
        {
            await Console.Error.WriteLineAsync($"mailroom: the directory database is not available: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
