using System.CommandLine;
using System.Globalization;
using Mailroom.Directory.Admin;

namespace Mailroom.Cli;

/// <summary><c>mailroom user add|passwd|list|disable|enable|remove</c>.</summary>
internal static class UserCommands
{
    public static Command Create()
    {
        var command = new Command("user", "Manage mailboxes (virtual users).");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(Passwd());
        command.Subcommands.Add(List());
        command.Subcommands.Add(SetActive("disable", active: false, "Disable a mailbox: no login, no delivery (mail to it is refused)."));
        command.Subcommands.Add(SetActive("enable", active: true, "Enable a disabled mailbox."));
        command.Subcommands.Add(Remove());
        return command;
    }

    private static Option<bool> PasswordStdin() =>
        new("--password-stdin") { Description = "Read the password from the first line of standard input (for scripts)." };

    private static Argument<string> Address() => new("address") { Description = "The mailbox address, e.g. samt@example.org." };

    private static string ReadPassword(ParseResult result, Option<bool> fromStdin) =>
        PasswordReader.Read(result.GetValue(fromStdin), Console.Error)
            ?? throw new CliException("no password given (an empty password is not allowed)");

    private static Command Add()
    {
        Argument<string> address = Address();
        Option<bool> stdin = PasswordStdin();
        var name = new Option<string?>("--name") { Description = "The user's display name." };
        var quota = new Option<long?>("--quota") { Description = "Mailbox quota in bytes (0 or absent: unlimited)." };
        var command = new Command("add", "Add a mailbox; the password is prompted for without echo, or read with --password-stdin.") { address, stdin, name, quota };
        command.SetAction((result, ct) => CommandLine.RunAsync(async () =>
        {
            DirectoryAdmin admin = await AdminContext.OpenAsync(result, ct).ConfigureAwait(false);
            string password = ReadPassword(result, stdin);
            await admin.AddUserAsync(result.GetValue(address)!, password, result.GetValue(name), result.GetValue(quota), ct).ConfigureAwait(false);
            await Console.Out.WriteLineAsync($"user {result.GetValue(address)!.ToLowerInvariant()} added").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command Passwd()
    {
        Argument<string> address = Address();
        Option<bool> stdin = PasswordStdin();
        var command = new Command("passwd", "Set a mailbox's password.") { address, stdin };
        command.SetAction((result, ct) => CommandLine.RunAsync(async () =>
        {
            DirectoryAdmin admin = await AdminContext.OpenAsync(result, ct).ConfigureAwait(false);
            string password = ReadPassword(result, stdin);
            await admin.SetPasswordAsync(result.GetValue(address)!, password, ct).ConfigureAwait(false);
            await Console.Out.WriteLineAsync($"password of {result.GetValue(address)!.ToLowerInvariant()} changed").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command List()
    {
        var domain = new Argument<string?>("domain") { Description = "Only this domain.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("list", "List mailboxes.") { domain };
        command.SetAction((result, ct) => CommandLine.RunAsync(async () =>
        {
            DirectoryAdmin admin = await AdminContext.OpenAsync(result, ct).ConfigureAwait(false);
            IReadOnlyList<UserInfo> users = await admin.ListUsersAsync(result.GetValue(domain), ct).ConfigureAwait(false);
            TextTable.Write(
                Console.Out,
                ["ADDRESS", "ACTIVE", "QUOTA", "MAILDIR", "NAME"],
                users.Select(u => new[]
                {
                    u.Address, u.Active ? "yes" : "no",
                    u.QuotaBytes == 0 ? "-" : u.QuotaBytes.ToString(CultureInfo.InvariantCulture), u.Maildir, u.Name,
                }));
            return 0;
        }));
        return command;
    }

    private static Command SetActive(string verb, bool active, string description)
    {
        Argument<string> address = Address();
        var command = new Command(verb, description) { address };
        command.SetAction((result, ct) => CommandLine.RunAsync(async () =>
        {
            DirectoryAdmin admin = await AdminContext.OpenAsync(result, ct).ConfigureAwait(false);
            await admin.SetUserActiveAsync(result.GetValue(address)!, active, ct).ConfigureAwait(false);
            await Console.Out.WriteLineAsync($"user {result.GetValue(address)!.ToLowerInvariant()} {verb}d").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command Remove()
    {
        Argument<string> address = Address();
        var command = new Command("remove", "Remove a mailbox from the directory (its mail files stay on disk).") { address };
        command.SetAction((result, ct) => CommandLine.RunAsync(async () =>
        {
            DirectoryAdmin admin = await AdminContext.OpenAsync(result, ct).ConfigureAwait(false);
            await admin.RemoveUserAsync(result.GetValue(address)!, ct).ConfigureAwait(false);
            await Console.Out.WriteLineAsync($"user {result.GetValue(address)!.ToLowerInvariant()} removed").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }
}
