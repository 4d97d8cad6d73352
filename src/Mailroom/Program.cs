using System.CommandLine;
using Mailroom.Cli;

namespace Mailroom;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        RootCommand root = CommandLine.CreateRoot();
        ParseResult result = root.Parse(args);
        return await result.InvokeAsync().ConfigureAwait(false);
    }
}
