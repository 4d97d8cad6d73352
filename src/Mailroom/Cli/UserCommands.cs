using System.CommandLine;
using System.Globalization;
using Mailroom.Directory.Admin;

namespace Mailroom.Cli;

/// <summary><c>mailroom user add|passwd|list|quota|limits|disable|enable|remove</c>.</summary>
internal static class UserCommands
{
    public static Command Create()
    {
        var command = new Command("user", "Manage mailboxes (virtual users).");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(Passwd());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Quota());
        command.Subcommands.Add(Limits());
        command.Subcommands.Add(Junk());
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
        var quota = new Option<string?>("--quota") { Description = "Mailbox quota: bytes, or with K/M/G (e.g. 100M); 0 or absent: unlimited.", HelpName = "SIZE" };
        var command = new Command("add", "Add a mailbox; the password is prompted for without echo, or read with --password-stdin.") { address, stdin, name, quota };
        command.SetAction((result, ct) => CommandLine.RunAsync(async () =>
        {
            long? quotaBytes = result.GetValue(quota) is { } size ? ByteSize.Parse(size, "--quota") : null;
            DirectoryAdmin admin = await AdminContext.OpenAsync(result, ct).ConfigureAwait(false);
            string password = ReadPassword(result, stdin);
            await admin.AddUserAsync(result.GetValue(address)!, password, result.GetValue(name), quotaBytes, ct).ConfigureAwait(false);
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

    private static Command Quota()
    {
        Argument<string> address = Address();
        var size = new Argument<string>("size") { Description = "The quota: bytes, or with K/M/G (e.g. 100M); 0 = unlimited." };
        var command = new Command("quota", "Set a mailbox's quota (mail over it is refused with 552 5.2.2).") { address, size };
        command.SetAction((result, ct) => CommandLine.RunAsync(async () =>
        {
            long bytes = ByteSize.Parse(result.GetValue(size)!, "size");
            DirectoryAdmin admin = await AdminContext.OpenAsync(result, ct).ConfigureAwait(false);
            await admin.SetQuotaAsync(result.GetValue(address)!, bytes, ct).ConfigureAwait(false);
            string shown = bytes == 0 ? "unlimited" : bytes.ToString(CultureInfo.InvariantCulture) + " bytes";
            await Console.Out.WriteLineAsync($"quota of {result.GetValue(address)!.ToLowerInvariant()} set to {shown}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command Limits()
    {
        Argument<string> address = Address();
        var messages = new Option<string?>("--messages") { Description = "Messages per hour: a number, 0 = unlimited, or 'default' (SendingLimits:UserMessagesPerHour).", HelpName = "N" };
        var recipients = new Option<string?>("--recipients") { Description = "Recipients per hour: a number, 0 = unlimited, or 'default' (SendingLimits:UserRecipientsPerHour).", HelpName = "N" };
        var command = new Command("limits", "Set a user's own hourly sending limits (past them: 450 4.7.1); an option left out is the default.") { address, messages, recipients };
        command.SetAction((result, ct) => CommandLine.RunAsync(async () =>
        {
            int? perHourMessages = ParseLimit(result.GetValue(messages), "--messages");
            int? perHourRecipients = ParseLimit(result.GetValue(recipients), "--recipients");
            DirectoryAdmin admin = await AdminContext.OpenAsync(result, ct).ConfigureAwait(false);
            await admin.SetSendingLimitsAsync(result.GetValue(address)!, perHourMessages, perHourRecipients, ct).ConfigureAwait(false);
            await Console.Out.WriteLineAsync($"sending limits of {result.GetValue(address)!.ToLowerInvariant()} set to {Shown(perHourMessages)} messages and {Shown(perHourRecipients)} recipients per hour").ConfigureAwait(false);
            return 0;
        }));
        return command;

        static string Shown(int? limit) => limit switch
        {
            null => "the default",
            0 => "unlimited",
            _ => limit.Value.ToString(CultureInfo.InvariantCulture),
        };
    }

    private static Command Junk()
    {
        Argument<string> address = Address();
        Argument<string> setting = new("on|off|default") { Description = "on: spam-marked mail goes to the Junk folder; off: to INBOX; default: as Delivery:SpamToJunk says." };
        var command = new Command("junk", "Set where mail a filter marked as spam (Smtp:SpamHeaders) goes for a user: Junk or INBOX.") { address, setting };
        command.SetAction((result, ct) => CommandLine.RunAsync(async () =>
        {
            string text = result.GetValue(setting)!;
            bool? toJunk = text.ToLowerInvariant() switch
            {
                "on" => true,
                "off" => false,
                "default" => null,
                _ => throw new CliException($"'{text}' is not on, off or default"),
            };
            DirectoryAdmin admin = await AdminContext.OpenAsync(result, ct).ConfigureAwait(false);
            await admin.SetSpamToJunkAsync(result.GetValue(address)!, toJunk, ct).ConfigureAwait(false);
            string shown = toJunk switch { null => "the default (Delivery:SpamToJunk)", true => "the Junk folder", false => "INBOX" };
            await Console.Out.WriteLineAsync($"spam-marked mail to {result.GetValue(address)!.ToLowerInvariant()} goes to {shown}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static int? ParseLimit(string? text, string option)
    {
        if (text is null || text.Equals("default", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new CliException($"{option}: '{text}' is not a number of messages (or 'default')");
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
