namespace Mailroom.Fuzz.Sessions;

/// <summary>
/// A protocol session brought to a state and then fed the fuzzed bytes, as mox fuzzes its servers
/// (<c>smtpserver/fuzz_test.go</c>). The first input byte picks the state; the server starts on first use.
/// </summary>
internal abstract class SessionTarget : FuzzTarget
{
    private LoopbackSessions? _sessions;

    // A session's fixed cost (connection, handler, store, logging) is well above a parser's.
    public override long AllocationAllowance => 64L * 1024 * 1024;

    protected LoopbackSessions Sessions => _sessions ??= new LoopbackSessions();

    public override void Run(ReadOnlySpan<byte> input)
    {
        if (!input.IsEmpty)
        {
            RunSession(input[0], input[1..]);
        }
    }

    /// <summary>One session in the deepest state, ended by the client's QUIT or LOGOUT.</summary>
    public override void Warm() => RunSession(0xFF, "QUIT\r\nz LOGOUT\r\n"u8);

    /// <summary>Runs one session in the state chosen by <paramref name="state"/> (taken modulo the states there are).</summary>
    protected abstract void RunSession(byte state, ReadOnlySpan<byte> input);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sessions?.Dispose();
        }

        base.Dispose(disposing);
    }
}
