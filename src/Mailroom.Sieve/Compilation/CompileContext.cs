using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Compilation;

/// <summary>What validation knows while it walks one script: the required extensions, declared globals, the findings.</summary>
internal sealed class CompileContext
{
    // Past this many errors the rest are noise (Pigeonhole stops too).
    private const int MaxErrors = 20;

    private readonly IReadOnlySet<string> _available;
    private readonly Stack<HashSet<string>> _ihave = new();

    public CompileContext(string scriptName, IReadOnlySet<string> available)
    {
        ScriptName = scriptName;
        _available = available;
    }

    public string ScriptName { get; }

    public List<SieveDiagnostic> Diagnostics { get; } = [];

    public int ErrorCount { get; private set; }

    /// <summary>Extensions named by <c>require</c>.</summary>
    public HashSet<string> Required { get; } = new(StringComparer.Ordinal);

    /// <summary>Names declared by <c>global</c> so far (RFC 6609 §3.4.1: later references are to the global variable).</summary>
    public HashSet<string> Globals { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Names given a value by <c>set</c> so far, to refuse a later <c>global</c> of the same name.</summary>
    public HashSet<string> SetLocals { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every extension used (required ones and those of ihave blocks), for the compiled script.</summary>
    public HashSet<string> Used { get; } = new(StringComparer.Ordinal);

    public bool TooManyErrors => ErrorCount >= MaxErrors;

    public bool IsAvailable(string extension) => _available.Contains(extension) || extension is SieveExtensions.Octet or SieveExtensions.AsciiCasemap;

    /// <summary>The extension was required (or is tested for by an enclosing <c>ihave</c>).</summary>
    public bool IsEnabled(string extension)
    {
        if (Required.Contains(extension))
        {
            return true;
        }

        foreach (HashSet<string> block in _ihave)
        {
            if (block.Contains(extension))
            {
                return true;
            }
        }

        return false;
    }

    public void EnterIhave(IEnumerable<string> extensions)
    {
        var set = new HashSet<string>(extensions, StringComparer.Ordinal);
        Used.UnionWith(set);
        _ihave.Push(set);
    }

    public void LeaveIhave() => _ihave.Pop();

    public void Error(SourcePosition position, string message)
    {
        ErrorCount++;
        if (ErrorCount <= MaxErrors)
        {
            Diagnostics.Add(new SieveDiagnostic(position, true, message));
        }
    }

    public void Warning(SourcePosition position, string message) => Diagnostics.Add(new SieveDiagnostic(position, false, message));
}
