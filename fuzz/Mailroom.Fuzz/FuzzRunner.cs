using System.Globalization;

namespace Mailroom.Fuzz;

/// <summary>
/// Runs one input through a target and adds the check every target shares: memory proportional to the input
/// (DESIGN invariant 7, "linear cost, bounded memory"). The same path serves libFuzzer, the replay mode and the
/// corpus replay test, so a saved input fails the same way everywhere.
/// </summary>
internal static class FuzzRunner
{
    /// <summary>
    /// Allocation allowed per input byte on top of the target's fixed allowance: generous for parsers that copy
    /// their input a few times into strings and trees, far below what a quadratic or amplifying path allocates.
    /// </summary>
    public const long AllocationPerInputByte = 512;

    public static void Execute(FuzzTarget target, ReadOnlySpan<byte> input)
    {
        ArgumentNullException.ThrowIfNull(target);
        long before = GC.GetTotalAllocatedBytes(precise: false);
        target.Run(input);
        long allocated = GC.GetTotalAllocatedBytes(precise: false) - before;
        long allowed = target.AllocationAllowance + (AllocationPerInputByte * input.Length);
        if (allocated > allowed)
        {
            throw new FuzzFailureException(string.Create(
                CultureInfo.InvariantCulture,
                $"{target.Name}: allocated {allocated:N0} bytes for an input of {input.Length:N0} bytes (allowed {allowed:N0})"));
        }
    }
}
