using System.CommandLine;
using Mailroom.Policy.Dkim;
using Microsoft.Extensions.Configuration;

namespace Mailroom.Cli;

/// <summary>
/// <c>mailroom dkim keygen|list|show|rotate|remove</c> (OpenDKIM's opendkim-genkey plus a key table). Keys are files
/// in <c>Dkim:KeyDirectory</c>; a running server picks up changes at the next message.
/// </summary>
internal static class DkimCommands
{
    public static Command Create()
    {
        var command = new Command("dkim", "Manage the DKIM keys outgoing mail is signed with.");
        command.Subcommands.Add(Keygen());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Rotate());
        command.Subcommands.Add(Remove());
        return command;
    }

    private static DkimKeyStore Store(ParseResult result)
    {
        IConfigurationRoot configuration = GlobalOptions.Configuration(result);
        string directory = configuration["Dkim:KeyDirectory"] is { Length: > 0 } configured ? configured : GlobalOptions.Paths(result).Dkim;
        return new DkimKeyStore(directory);
    }

    private static Command Keygen()
    {
        var domain = new Argument<string>("domain") { Description = "The signing domain (d=), e.g. example.org." };
        var selector = new Option<string?>("--selector") { Description = "The selector (s=); default: year and month plus r (RSA) or e (Ed25519)." };
        var algorithm = new Option<string?>("--algorithm") { Description = "rsa (2048 bits) or ed25519; default: one key of each." };
        var command = new Command("keygen", "Generate a key; the first of its algorithm signs at once, a later one after 'dkim rotate'.") { domain, selector, algorithm };
        command.SetAction((result, ct) => CommandLine.RunAsync(async () =>
        {
            string? wanted = result.GetValue(algorithm)?.ToLowerInvariant();
            DkimAlgorithm[] algorithms = wanted switch
            {
                null => [DkimAlgorithm.Rsa, DkimAlgorithm.Ed25519],
                "rsa" => [DkimAlgorithm.Rsa],
                "ed25519" => [DkimAlgorithm.Ed25519],
                _ => throw new CliException($"--algorithm must be rsa or ed25519, not '{wanted}'"),
            };
            if (algorithms.Length > 1 && result.GetValue(selector) is not null)
            {
                throw new CliException("--selector names one key: give --algorithm too");
            }

            DkimKeyStore store = Store(result);
            foreach (DkimAlgorithm each in algorithms)
            {
                DkimKey key = Generate(store, result.GetValue(domain)!, each, result.GetValue(selector));
                await Console.Out.WriteLineAsync($"{key.Domain}: {Name(key.Algorithm)} key {key.Selector} {(key.Active ? "signs now" : "is the next key (publish it, then 'mailroom dkim rotate')")}; publish:").ConfigureAwait(false);
                await Console.Out.WriteLineAsync(key.ZoneLine).ConfigureAwait(false);
            }

            return 0;
        }));
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List the domains' keys and which of them sign.");
        command.SetAction((result, ct) => CommandLine.RunAsync(() =>
        {
            DkimKeyStore store = Store(result);
            TextTable.Write(
                Console.Out,
                ["DOMAIN", "SELECTOR", "ALGORITHM", "STATE", "FILE"],
                store.Domains().SelectMany(store.Keys).Select(k => new[] { k.Domain, k.Selector, Name(k.Algorithm), k.Active ? "signing" : "next/old", k.Path }));
            return Task.FromResult(0);
        }));
        return command;
    }

    private static Command Show()
    {
        var domain = new Argument<string>("domain") { Description = "The domain." };
        var command = new Command("show", "Print the DNS TXT records to publish for a domain's keys.") { domain };
        command.SetAction((result, ct) => CommandLine.RunAsync(async () =>
        {
            IReadOnlyList<DkimKey> keys = Store(result).Keys(result.GetValue(domain)!);
            if (keys.Count == 0)
            {
                throw new CliException($"{result.GetValue(domain)} has no DKIM key (mailroom dkim keygen {result.GetValue(domain)})");
            }

            foreach (DkimKey key in keys)
            {
                await Console.Out.WriteLineAsync(key.ZoneLine).ConfigureAwait(false);
            }

            return 0;
        }));
        return command;
    }

    private static Command Rotate()
    {
        var domain = new Argument<string>("domain") { Description = "The domain." };
        var command = new Command("rotate", "Sign with the newest key of each algorithm (publish it first).") { domain };
        command.SetAction((result, ct) => CommandLine.RunAsync(async () =>
        {
            foreach (DkimKey key in Store(result).Rotate(result.GetValue(domain)!))
            {
                await Console.Out.WriteLineAsync($"{key.Domain}: {Name(key.Algorithm)} key {key.Selector} signs").ConfigureAwait(false);
            }

            return 0;
        }));
        return command;
    }

    private static Command Remove()
    {
        var domain = new Argument<string>("domain") { Description = "The domain." };
        var selector = new Argument<string>("selector") { Description = "The selector of a key that no longer signs." };
        var command = new Command("remove", "Delete a key that no longer signs.") { domain, selector };
        command.SetAction((result, ct) => CommandLine.RunAsync(async () =>
        {
            try
            {
                Store(result).Remove(result.GetValue(domain)!, result.GetValue(selector)!);
            }
            catch (ArgumentException ex)
            {
                throw new CliException(ex.Message, ex);
            }

            await Console.Out.WriteLineAsync($"key {result.GetValue(selector)} of {result.GetValue(domain)} removed").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static DkimKey Generate(DkimKeyStore store, string domain, DkimAlgorithm algorithm, string? selector)
    {
        try
        {
            return store.Generate(domain, algorithm, selector, TimeProvider.System);
        }
        catch (ArgumentException ex)
        {
            throw new CliException(ex.Message, ex);
        }
    }

    private static string Name(DkimAlgorithm algorithm) => algorithm == DkimAlgorithm.Rsa ? "rsa-sha256" : "ed25519-sha256";
}
