using Mailroom.Sieve.Language;

namespace Mailroom.Sieve.Runtime;

/// <summary>
/// Runs a sequence of scripts on one message, as Pigeonhole's multiscript does: the site's "before" scripts, the user's
/// active script, the site's "after" scripts, each only while the implicit keep is still in effect, all adding to one
/// result. A script that fails at run time loses its own actions (those of the scripts before it stand) and the
/// message is kept: a failing script never loses mail.
/// </summary>
public sealed class SieveInterpreter
{
    private readonly SieveRuntimeSettings _settings;

    public SieveInterpreter(SieveRuntimeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
    }

    public SieveResult Run(IReadOnlyList<CompiledScript> sequence, SieveMessage message, SieveEnvelope envelope, ISieveHost host)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        var execution = new SieveExecution(_settings, message, envelope, host);
        SieveResult result = execution.Result;
        foreach (CompiledScript script in sequence)
        {
            int committed = result.Actions.Count;
            execution.IncludeStack.Clear();
            execution.IncludeStack.Add("sequence:" + script.Name);
            try
            {
                script.Body.Execute(new ScriptRun(execution, script, 0));
            }
            catch (SieveRuntimeException ex)
            {
                result.Truncate(committed);
                result.RestoreImplicitKeep();
                result.Error = ex.Position.Line > 0 ? $"{script.Name}: {ex.Position}: error: {ex.Message}" : $"{script.Name}: error: {ex.Message}";
                break;
            }

            if (!result.ImplicitKeep)
            {
                break;
            }
        }

        if (result.Error is null)
        {
            result.ImplicitKeepFlags = FlagList.ForStore(execution.InternalFlags);
            result.Marks = execution.Marks;
        }

        return result;
    }
}
