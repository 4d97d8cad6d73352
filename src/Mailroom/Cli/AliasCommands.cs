using System.CommandLine;
using Mailroom.Directory.Admin;

namespace Mailroom.Cli;

/// <summary><c>mailroom alias add|list|remove</c> and <c>mailroom alias-domain add|list|remove</c>.</summary>
internal static class AliasCommands
{
    public static Command Create()
    {
        var command = new Command("alias", "Manage aliases: forwarding addresses, several targets, and catch-alls (@example.org).");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Remove());
        return command;
    }

    public static Command CreateAliasDomain()
    {
        var command = new Command("alias-domain", "Manage alias domains: mail to x@alias.example goes to x@target.example.");
        var alias = new Argument<string>("alias-domain") { Description = "The alias domain." };
        var target = new Argument<string>("target-domain") { Description = "The local domain it maps to." };
        var add = new Command("add", "Map every address of an alias domain onto a local domain.") { alias, target };
        add.SetAction((result, ct) => CommandLine.RunAsync(async () =>
        {
            DirectoryAdmin admin = await AdminContext.OpenAsync(result, ct).ConfigureAwait(false);
            await admin.AddAliasDomainAsync(result.GetValue(alias)!, result.GetValue(target)!, ct).ConfigureAwait(false);
            await Console.Out.WriteLineAsync($"alias domain {result.GetValue(alias)!.ToLowerInvariant()} -> {result.GetValue(target)!.ToLowerInvariant()} added").ConfigureAwait(false);
            return 0;
        }));
        var list = new Command("list", "List alias domains.");
        list.SetAction((result, ct) => CommandLine.RunAsync(async () =>
        {
            DirectoryAdmin admin = await AdminContext.OpenAsync(result, ct).ConfigureAwait(false);
            IReadOnlyList<AliasDomainInfo> rows = await admin.ListAliasDomainsAsync(ct).ConfigureAwait(false);
            TextTable.Write(Console.Out, ["ALIAS DOMAIN", "TARGET DOMAIN", "ACTIVE"], rows.Select(r => new[] { r.AliasDomain, r.TargetDomain, r.Active ? "yes" : "no" }));
            return 0;
        }));
        var removeAlias = new Argument<string>("alias-domain") { Description = "The alias domain to remove." };
        var remove = new Command("remove", "Remove an alias domain.") { removeAlias };
        remove.SetAction((result, ct) => CommandLine.RunAsync(async () =>
        {
            DirectoryAdmin admin = await AdminContext.OpenAsync(result, ct).ConfigureAwait(false);
            await admin.RemoveAliasDomainAsync(result.GetValue(removeAlias)!, ct).ConfigureAwait(false);
            await Console.Out.WriteLineAsync($"alias domain {result.GetValue(removeAlias)!.ToLowerInvariant()} removed").ConfigureAwait(false);
            return 0;
        }));
        command.Subcommands.Add(add);
        command.Subcommands.Add(list);
        command.Subcommands.Add(remove);
        return command;
    }

    private static Command Add()
    {
        var address = new Argument<string>("address") { Description = "The alias, e.g. postmaster@example.org, or @example.org for a catch-all." };
        var targets = new Argument<string[]>("targets") { Description = "Where its mail goes (local or remote addresses).", Arity = ArgumentArity.OneOrMore };
        var command = new Command("add", "Add an alias, or more targets to an existing one.") { address, targets };
        command.SetAction((result, ct) => CommandLine.RunAsync(async () =>
        {
            DirectoryAdmin admin = await AdminContext.OpenAsync(result, ct).ConfigureAwait(false);
            string[] to = result.GetValue(targets)!;
            await admin.AddAliasAsync(result.GetValue(address)!, to, ct).ConfigureAwait(false);
            await Console.Out.WriteLineAsync($"alias {result.GetValue(address)!.ToLowerInvariant()} -> {string.Join(", ", to).ToLowerInvariant()} added").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command List()
    {
        var domain = new Argument<string?>("domain") { Description = "Only this domain.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("list", "List aliases (not the self-aliases every mailbox has).") { domain };
        command.SetAction((result, ct) => CommandLine.RunAsync(async () =>
        {
            DirectoryAdmin admin = await AdminContext.OpenAsync(result, ct).ConfigureAwait(false);
            IReadOnlyList<AliasInfo> aliases = await admin.ListAliasesAsync(result.GetValue(domain), ct).ConfigureAwait(false);
            TextTable.Write(Console.Out, ["ALIAS", "ACTIVE", "TARGETS"], aliases.Select(a => new[] { a.Address, a.Active ? "yes" : "no", string.Join(", ", a.Targets) }));
            return 0;
        }));
        return command;
    }

    private static Command Remove()
    {
        var address = new Argument<string>("address") { Description = "The alias to remove." };
        var target = new Argument<string?>("target") { Description = "Remove only this target (default: the whole alias).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("remove", "Remove an alias or one of its targets.") { address, target };
        command.SetAction((result, ct) => CommandLine.RunAsync(async () =>
        {
            DirectoryAdmin admin = await AdminContext.OpenAsync(result, ct).ConfigureAwait(false);
            await admin.RemoveAliasAsync(result.GetValue(address)!, result.GetValue(target), ct).ConfigureAwait(false);
            await Console.Out.WriteLineAsync($"alias {result.GetValue(address)!.ToLowerInvariant()} removed").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }
}
