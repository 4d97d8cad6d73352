using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Compilation;

/// <summary>An error or warning about a script, at its line and column (what ManageSieve's PUTSCRIPT and CHECKSCRIPT return).</summary>
public sealed record SieveDiagnostic(SourcePosition Position, bool IsError, string Message)
{
    public override string ToString() => $"{Position}: {(IsError ? "error" : "warning")}: {Message}.";
}
