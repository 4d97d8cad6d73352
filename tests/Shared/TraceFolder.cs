using Mailroom.Net.Trace;

namespace Mailroom.Testing;

/// <summary>A <see cref="SessionTracer"/> writing into a temporary directory, and the transcripts it wrote.</summary>
internal sealed class TraceFolder : IDisposable
{
    public TraceFolder(params string[] peers)
    {
        Path = System.IO.Directory.CreateTempSubdirectory("mailroom-trace-").FullName;
        Tracer = new SessionTracer(new SessionTraceSettings(peers, Path, SessionTraceSettings.DefaultMaxFileSize, 10), TimeProvider.System);
    }

    public string Path { get; }

    public SessionTracer Tracer { get; }

    public string[] Files => System.IO.Directory.GetFiles(Path, "*.trace");

    /// <summary>The one transcript, once its session has closed (waits a bounded time for the server to finish).</summary>
    public async Task<string> FinishedTranscriptAsync()
    {
        for (int i = 0; i < 3000; i++)
        {
            if (Files is [string file] && Read(file) is { } text && text.Contains("# connection closed", StringComparison.Ordinal))
            {
                return text;
            }

            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        throw new InvalidOperationException($"no finished transcript in {Path}: {string.Join(", ", Files)}");
    }

    /// <summary>The transcript's lines without their time stamps.</summary>
    public static string[] Lines(string transcript) =>
        [.. transcript.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[(l.IndexOf(' ', StringComparison.Ordinal) + 1)..])];

    public void Dispose() => System.IO.Directory.Delete(Path, recursive: true);

    private static string Read(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
