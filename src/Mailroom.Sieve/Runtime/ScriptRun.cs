using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Runtime;

/// <summary>One script running (the main one or an included one): its own variables and match values (RFC 6609 §3.4).</summary>
internal sealed class ScriptRun
{
    private List<string> _matchValues = [];

    public ScriptRun(SieveExecution execution, CompiledScript script, int depth)
    {
        Execution = execution;
        Script = script;
        Depth = depth;
        Locals = new VariableScope(execution.Settings.MaxVariables, execution.Settings.MaxVariableSize);
        MatchValuesEnabled = script.Extensions.Contains(SieveExtensions.Variables);
    }

    public SieveExecution Execution { get; }

    public CompiledScript Script { get; }

    /// <summary>0 for a script of the sequence, 1 for a script it includes, and so on.</summary>
    public int Depth { get; }

    public VariableScope Locals { get; }

    /// <summary>The script required <c>variables</c>, so <c>:matches</c> and <c>:regex</c> keep match values.</summary>
    public bool MatchValuesEnabled { get; }

    public SieveResult Result => Execution.Result;

    public SieveMessage Message => Execution.Message;

    public SieveEnvelope Envelope => Execution.Envelope;

    public SieveRuntimeSettings Settings => Execution.Settings;

    public ISieveHost Host => Execution.Host;

    public string GetVariable(string name, bool global) => (global ? Execution.Globals : Locals).Get(name);

    public void SetVariable(string name, bool global, string value, SourcePosition position)
    {
        VariableScope scope = global ? Execution.Globals : Locals;
        if (!scope.TrySet(name, value))
        {
            throw new SieveRuntimeException(position, $"number of variables exceeds the maximum ({scope.MaxVariables})");
        }
    }

    /// <summary>RFC 5229 §3.2: out of range is the empty string.</summary>
    public string GetMatchValue(int index) => index < _matchValues.Count ? _matchValues[index] : "";

    public void SetMatchValues(List<string> values)
    {
        var copy = new List<string>(values.Count);
        foreach (string value in values)
        {
            copy.Add(VariableScope.Truncate(value, Settings.MaxVariableSize));
        }

        _matchValues = copy;
    }

    public void Step(SourcePosition position)
    {
        if (!Execution.Step())
        {
            throw new SieveRuntimeException(position, "execution exceeded the step limit (script too costly for this message)");
        }
    }

    public void CountComparison()
    {
        if (!Execution.Step())
        {
            throw new SieveRuntimeException(default, "execution exceeded the step limit (script too costly for this message)");
        }
    }

    /// <summary>Splits an address into local part and domain for the address parts (a bare name has no domain).</summary>
    public static (string Local, string Domain) SplitAddress(string address)
    {
        int at = address.LastIndexOf('@');
        return at < 0 ? (address, "") : (address[..at], address[(at + 1)..]);
    }
}
