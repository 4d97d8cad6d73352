using Mailroom.Sieve.Runtime;

namespace Mailroom.Sieve.Compilation;

/// <summary>The outcome of compiling a script: the script when it is valid, and every error and warning.</summary>
public sealed record SieveCompilation(CompiledScript? Script, IReadOnlyList<SieveDiagnostic> Diagnostics)
{
    public bool Success => Script is not null;

    public IEnumerable<SieveDiagnostic> Errors => Diagnostics.Where(d => d.IsError);

    /// <summary>The diagnostics one per line, as ManageSieve returns them (RFC 5804 §2.6).</summary>
    public string Describe() => string.Join("\r\n", Diagnostics.Select(d => d.ToString()));
}
