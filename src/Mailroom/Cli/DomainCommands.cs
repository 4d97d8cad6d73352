using System.CommandLine;
using Mailroom.Directory.Admin;

namespace Mailroom.Cli;

/// <summary><c>mailroom domain add|list|remove</c>.</summary>
internal static class DomainCommands
{
    public static Command Create()
    {
        var command = new Command("domain", "Manage the virtual domains this server receives mail for.");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Remove());
        return command;
    }

    private static Command Add()
    {
        var domain = new Argument<string>("domain") { Description = "The domain, e.g. example.org." };
        var description = new Option<string?>("--description") { Description = "Free text shown by 'domain list'." };
        var command = new Command("add", "Add a local domain.") { domain, description };
        command.SetAction((result, ct) => CommandLine.RunAsync(async () =>
        {
            DirectoryAdmin admin = await AdminContext.OpenAsync(result, ct).ConfigureAwait(false);
            await admin.AddDomainAsync(result.GetValue(domain)!, result.GetValue(description), ct).ConfigureAwait(false);
            await Console.Out.WriteLineAsync($"domain {result.GetValue(domain)!.ToLowerInvariant()} added").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List the local domains.");
        command.SetAction((result, ct) => CommandLine.RunAsync(async () =>
        {
            DirectoryAdmin admin = await AdminContext.OpenAsync(result, ct).ConfigureAwait(false);
            IReadOnlyList<DomainInfo> domains = await admin.ListDomainsAsync(ct).ConfigureAwait(false);
            TextTable.Write(
                Console.Out,
                ["DOMAIN", "ACTIVE", "MAILBOXES", "ALIASES", "DESCRIPTION"],
                domains.Select(d => new[] { d.Domain, d.Active ? "yes" : "no", d.Mailboxes.ToString(System.Globalization.CultureInfo.InvariantCulture), d.Aliases.ToString(System.Globalization.CultureInfo.InvariantCulture), d.Description }));
            return 0;
        }));
        return command;
    }

    private static Command Remove()
    {
        var domain = new Argument<string>("domain") { Description = "The domain to remove." };
        var force = new Option<bool>("--force") { Description = "Also remove its mailboxes and aliases from the directory (mail files stay on disk)." };
        var command = new Command("remove", "Remove a local domain.") { domain, force };
        command.SetAction((result, ct) => CommandLine.RunAsync(async () =>
        {
            DirectoryAdmin admin = await AdminContext.OpenAsync(result, ct).ConfigureAwait(false);
            await admin.RemoveDomainAsync(result.GetValue(domain)!, result.GetValue(force), ct).ConfigureAwait(false);
            await Console.Out.WriteLineAsync($"domain {result.GetValue(domain)!.ToLowerInvariant()} removed").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }
}
