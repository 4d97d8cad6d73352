using System.CommandLine;
using Mailroom.Directory.Admin;

namespace Mailroom.Cli;

/// <summary><c>mailroom directory create-schema</c>: postfixadmin's tables in an empty MySQL/PostgreSQL database.</summary>
internal static class DirectoryCommands
{
    public static Command Create()
    {
        var command = new Command("directory", "Manage the directory database itself (Directory:Provider, Directory:ConnectionString).");
        var create = new Command(
            "create-schema",
            "Create postfixadmin's tables (domain, mailbox, alias, alias_domain) in an empty database. Refused when any exists: Mailroom never alters an existing database.");
        create.SetAction((result, ct) => CommandLine.RunAsync(async () =>
        {
            DirectoryAdmin admin = await AdminContext.OpenAsync(result, ct).ConfigureAwait(false);
            await admin.CreateSchemaAsync(ct).ConfigureAwait(false);
            await Console.Out.WriteLineAsync($"schema created in {admin.DatabaseName}").ConfigureAwait(false);
            return 0;
        }));
        command.Subcommands.Add(create);
        return command;
    }
}
