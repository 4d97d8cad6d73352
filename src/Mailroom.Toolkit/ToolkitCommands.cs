using System.CommandLine;
using Mailroom.Toolkit.Bench;
using Mailroom.Toolkit.Check;
using Mailroom.Toolkit.Mail;

namespace Mailroom.Toolkit;

/// <summary>The toolkit's CLI verbs, added by the <c>mailroom</c> executable to its root command.</summary>
public static class ToolkitCommands
{
    /// <summary>Returns <c>check</c>, <c>bench</c> (with <c>send</c> and <c>sink</c>) and <c>mail</c>.</summary>
    public static IEnumerable<Command> Create()
    {
        var bench = new Command("bench", "Benchmark an SMTP server: send load to it, or be a sink that accepts and discards mail.");
        bench.Subcommands.Add(BenchSendCommand.Create());
        bench.Subcommands.Add(BenchSinkCommand.Create());
        return [CheckCommand.Create(), bench, MailCommand.Create()];
    }
}
