using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Runtime;

namespace Mailroom.Sieve.Tests.Support;

/// <summary>An <see cref="ISieveHost"/> in memory: a fixed clock in UTC, a set of folders, tracking records, include scripts.</summary>
internal sealed class TestHost : ISieveHost
{
    public DateTimeOffset Now { get; set; } = new(2025, 4, 1, 12, 0, 0, TimeSpan.Zero);

    public TimeZoneInfo LocalZone { get; set; } = TimeZoneInfo.Utc;

    public string Phase { get; set; } = "post";

    public string DefaultFolder { get; set; } = "INBOX";

    public HashSet<string> Folders { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Tracked { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Personal { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Global { get; } = new(StringComparer.Ordinal);

    public SieveCompiler Compiler { get; set; } = new(SieveTestKit.AllExtensions);

    public bool FolderExists(string folder) => Folders.Contains(folder);

    public bool IsTracked(string key) => Tracked.Contains(key);

    public CompiledScript? LoadInclude(bool global, string name, out string? error)
    {
        error = null;
        if (!(global ? Global : Personal).TryGetValue(name, out string? text))
        {
            return null;
        }

        SieveCompilation compilation = Compiler.Compile(name, text);
        if (!compilation.Success)
        {
            error = compilation.Describe();
        }

        return compilation.Script;
    }
}
