using System.Globalization;

namespace Mailroom.Toolkit.Bench;

/// <summary>
/// Answers a share of one command with an error, for testing a client's retry paths. Parsed from
/// <c>PERCENT%:CODE</c> (<c>10%:451</c>) or <c>CODE</c> (every time). The choice is deterministic, spread
/// evenly over the sequence of commands, so 50% of 100 messages fails exactly 50.
/// </summary>
internal sealed class FailureRule
{
    // Share in basis points (1/10000) so the arithmetic is exact.
    private readonly long _basisPoints;
    private long _count;

    private FailureRule(long basisPoints, int code)
    {
        _basisPoints = basisPoints;
        Code = code;
    }

    public int Code { get; }

    public double Percent => _basisPoints / 100.0;

    public static bool TryParse(string text, out FailureRule? rule, out string? error)
    {
        rule = null;
        error = null;
        string[] parts = text.Split(':', 2, StringSplitOptions.TrimEntries);
        double percent = 100;
        string codeText = parts[^1];
        if (parts.Length == 2)
        {
            if (!double.TryParse(parts[0].TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out percent) || percent is < 0 or > 100)
            {
                error = $"'{text}': the share must be a percentage from 0 to 100, as in 10%:451.";
                return false;
            }
        }

        if (!int.TryParse(codeText, NumberStyles.None, CultureInfo.InvariantCulture, out int code) || code is < 400 or > 599)
        {
            error = $"'{text}': the code must be a 4xx or 5xx reply code, as in 10%:451.";
            return false;
        }

        rule = new FailureRule((long)Math.Round(percent * 100), code);
        return true;
    }

    /// <summary>True when this occurrence must fail: the n-th call fails when floor(n·share) steps up.</summary>
    public bool ShouldFail()
    {
        long n = Interlocked.Increment(ref _count);
        return n * _basisPoints / 10000 > (n - 1) * _basisPoints / 10000;
    }

    /// <summary>The reply line, with an enhanced status code of the same class (RFC 3463).</summary>
    public string Reply(string what) => string.Create(CultureInfo.InvariantCulture, $"{Code} {Code / 100}.0.0 Error: injected {what} failure\r\n");
}
