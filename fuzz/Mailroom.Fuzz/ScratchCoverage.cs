using System.Runtime.InteropServices;

namespace Mailroom.Fuzz;

/// <summary>
/// SharpFuzz's instrumentation counts edges into <c>SharpFuzz.Common.Trace.SharedMem</c>, which stays null until its
/// libFuzzer loop attaches the real map. A scratch map lets instrumented code run before that (a target's warm-up,
/// outside libFuzzer's per-input timeout) and without the fuzzer at all (replaying a finding with the instrumented
/// harness); uninstrumented code never touches it.
/// </summary>
internal static unsafe class ScratchCoverage
{
    private const int MapSize = 1 << 16;

    public static void Install()
    {
        if (SharpFuzz.Common.Trace.SharedMem == null)
        {
            SharpFuzz.Common.Trace.SharedMem = (byte*)NativeMemory.AllocZeroed(MapSize);
        }
    }
}
