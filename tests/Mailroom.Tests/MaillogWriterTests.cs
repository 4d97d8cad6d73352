using System.Text;
using Mailroom.Logging;

namespace Mailroom.Tests;

/// <summary>
/// The mail log's writer batches: lines logged while it lets a write's batch window pass go out in one write, and closing
/// it writes what is left at once.
/// </summary>
public sealed class MaillogWriterTests
{
    [Fact]
    public async Task LinesLoggedDuringTheBatchWindowAreWrittenTogetherWhenTheWriterCloses()
    {
        var console = new RecordingWriter();
        string[] burst = [.. Enumerable.Range(0, 50).Select(static i => $"line {i}\n")];
        await using (var writer = new MaillogWriter(path: null, console, batchWindow: TimeSpan.FromHours(1)))
        {
            // Nothing written yet: the first line goes out at once, and the hour-long window starts after it.
            writer.Write("first\n");
            await console.WaitForWritesAsync(1);
            foreach (string line in burst)
            {
                writer.Write(line);
            }
        }

        Assert.Equal(["first\n", string.Concat(burst)], console.Writes);
    }

    [Fact]
    public async Task EveryLineReachesTheFileWithTheDefaultWindow()
    {
        DirectoryInfo dir = System.IO.Directory.CreateTempSubdirectory("mailroom-maillog-");
        try
        {
            string path = Path.Combine(dir.FullName, "maillog");
            await using (var writer = new MaillogWriter(path, console: null))
            {
                for (int i = 0; i < 1000; i++)
                {
                    writer.Write($"line {i}\n");
                }
            }

            string[] lines = await File.ReadAllLinesAsync(path, TestContext.Current.CancellationToken);
            Assert.Equal(Enumerable.Range(0, 1000).Select(static i => $"line {i}"), lines);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>A console that records each write it is given.</summary>
    private sealed class RecordingWriter : TextWriter
    {
        private readonly Lock _gate = new();
        private readonly List<string> _writes = [];

        public override Encoding Encoding => Encoding.UTF8;

        public IReadOnlyList<string> Writes
        {
            get
            {
                lock (_gate)
                {
                    return [.. _writes];
                }
            }
        }

        public override Task WriteAsync(string? value)
        {
            lock (_gate)
            {
                _writes.Add(value ?? "");
            }

            return Task.CompletedTask;
        }

        /// <summary>Waits (at most 30 s) until <paramref name="count"/> writes arrived.</summary>
        public async Task WaitForWritesAsync(int count)
        {
            for (int i = 0; i < 3000 && Writes.Count < count; i++)
            {
                await Task.Delay(10, TestContext.Current.CancellationToken);
            }

            Assert.True(Writes.Count >= count, $"{count} writes did not arrive in time");
        }
    }
}
