using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Language.Matching;
using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Language.Tests;

/// <summary>
/// <c>environment [COMPARATOR] [MATCH-TYPE] &lt;name&gt; &lt;key-list&gt;</c> (RFC 5183): facts about where the
/// script runs — domain, host, location ("MDA"), name, phase, remote-host, remote-ip, version. An unknown item matches nothing.
/// </summary>
internal sealed class EnvironmentTest(SieveString name, SieveStringList keys, MatchSpec match, SourcePosition position) : SieveTest(position)
{
    public const string ImplementationName = "Mailroom Sieve";
    public const string ImplementationVersion = "1.0";

    public static SieveTest? Compile(AstNode node, CompileContext context)
    {
        var reader = new ArgumentReader(node, context, isTest: true);
        var options = new MatchOptions();
        while (reader.NextTag(out AstTag tag))
        {
            if (!options.TryTake(tag, reader))
            {
                reader.UnknownTag(tag);
            }
        }

        SieveString? name = reader.String("name");
        SieveStringList? keys = reader.StringList("key list");
        if (!reader.Finish() || name is null || keys is null)
        {
            return null;
        }

        return new EnvironmentTest(name, keys, HeaderSelection.BuildMatch(options, reader, keys), node.Position);
    }

    public override bool Evaluate(ScriptRun run)
    {
        string? value = Item(run, name.Evaluate(run).ToLowerInvariant());
        return value is not null && match.Match(run, [value], keys);
    }

    private static string? Item(ScriptRun run, string item)
    {
        string host = run.Settings.HostName;
        return item switch
        {
            "domain" => host.Contains('.', StringComparison.Ordinal) ? host[(host.IndexOf('.', StringComparison.Ordinal) + 1)..] : host,
            "host" => host,
            "location" => "MDA",
            "name" => ImplementationName,
            "phase" => run.Host.Phase,
            "remote-host" => run.Envelope.RemoteHost.Length > 0 ? run.Envelope.RemoteHost : null,
            "remote-ip" => run.Envelope.RemoteIp.Length > 0 ? run.Envelope.RemoteIp : null,
            "version" => ImplementationVersion,
            _ => null,
        };
    }
}
