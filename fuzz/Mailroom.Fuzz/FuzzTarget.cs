namespace Mailroom.Fuzz;

/// <summary>
/// One fuzz target: a parser (or a protocol session brought to a state) fed arbitrary bytes. <see cref="Run"/>
/// returns normally for every input the code handles as it should; anything else is a finding: an exception the
/// parser does not document, a <see cref="FuzzFailureException"/> from a broken invariant, or (checked by
/// <see cref="FuzzRunner"/>) allocating far more than the input's size warrants.
/// </summary>
internal abstract class FuzzTarget : IDisposable
{
    /// <summary>The name on the command line and of the corpus folders (<c>fuzz/corpus/&lt;name&gt;/</c>).</summary>
    public abstract string Name { get; }

    /// <summary>One line for <c>Mailroom.Fuzz --list</c>.</summary>
    public abstract string Description { get; }

    /// <summary>
    /// libFuzzer's <c>-max_len</c>: large enough that a cost worse than linear shows as a timeout, small enough to
    /// keep the target fast. Default 64 KiB.
    /// </summary>
    public virtual int MaxLength => 64 * 1024;

    /// <summary>A libFuzzer dictionary in <c>fuzz/dict/</c> (file name), or null.</summary>
    public virtual string? Dictionary => null;

    /// <summary>
    /// Bytes the target may allocate for one input beyond <see cref="FuzzRunner.AllocationPerInputByte"/> per input byte:
    /// the fixed cost of one run. Default 16 MiB.
    /// </summary>
    public virtual long AllocationAllowance => 16L * 1024 * 1024;

    public abstract void Run(ReadOnlySpan<byte> input);

    /// <summary>
    /// Runs once before fuzzing starts, outside libFuzzer's per-input timeout: builds what the target keeps for the
    /// whole run (a listener, a mail store) and compiles its code paths. Default: nothing.
    /// </summary>
    public virtual void Warm()
    {
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
