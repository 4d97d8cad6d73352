namespace Mailroom.Toolkit.Check;

/// <summary>The round trip's queue id appears in the mail log with <c>status=sent</c> (Postfix log format).</summary>
internal static class LogProbe
{
    public static async Task<CheckResult> RunAsync(string logFile, string? queueId, CancellationToken cancellationToken)
    {
        if (queueId is null)
        {
            return new CheckResult("log", logFile, CheckStatus.Warn, "no queue id in the 250 reply (\"queued as ID\"); nothing to look for");
        }

        try
        {
            string prefix = queueId + ": ";
            await foreach (string line in File.ReadLinesAsync(logFile, cancellationToken).ConfigureAwait(false))
            {
                if (line.Contains(prefix, StringComparison.Ordinal) && line.Contains("status=sent", StringComparison.Ordinal))
                {
                    return new CheckResult("log", logFile, CheckStatus.Pass, $"{queueId} logged with status=sent");
                }
            }

            return new CheckResult("log", logFile, CheckStatus.Fail, $"no line with {queueId} and status=sent");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new CheckResult("log", logFile, CheckStatus.Fail, ex.Message);
        }
    }
}
