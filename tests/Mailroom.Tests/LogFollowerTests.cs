using System.Text;
using Mailroom.Logging;

namespace Mailroom.Tests;

public sealed class LogFollowerTests : IDisposable
{
    private readonly DirectoryInfo _dir = System.IO.Directory.CreateTempSubdirectory("mailroom-follow-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task PrintsTheLastLinesLikeTail()
    {
        string path = Path.Combine(_dir.FullName, "maillog");
        await File.WriteAllTextAsync(path, string.Concat(Enumerable.Range(1, 30).Select(i => $"line {i}\n")), TestContext.Current.CancellationToken);
        var output = new StringWriter();
        int code = await new LogFollower(path, output).RunAsync(3, follow: false, CancellationToken.None);
        Assert.Equal(0, code);
        Assert.Equal("line 28\nline 29\nline 30\n", output.ToString());
    }

    [Fact]
    public async Task MissingLogIsAnErrorWhenNotFollowing()
    {
        int code = await new LogFollower(Path.Combine(_dir.FullName, "absent"), new StringWriter()).RunAsync(10, follow: false, CancellationToken.None);
        Assert.Equal(1, code);
    }

    [Fact]
    public async Task FollowingSurvivesRotation()
    {
        string path = Path.Combine(_dir.FullName, "maillog");
        await File.WriteAllTextAsync(path, "old 1\n", TestContext.Current.CancellationToken);
        var output = new SynchronizedWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Task<int> follower = new LogFollower(path, output).RunAsync(10, follow: true, stop.Token);

        await WaitForAsync(() => output.Text.Contains("old 1", StringComparison.Ordinal), stop.Token);
        await File.AppendAllTextAsync(path, "old 2\n", stop.Token);
        File.Move(path, path + ".1");
        await File.WriteAllTextAsync(path, "new 1\n", stop.Token);
        await WaitForAsync(() => output.Text.Contains("new 1", StringComparison.Ordinal), stop.Token);
        await stop.CancelAsync();
        await follower;

        Assert.Equal("old 1\nold 2\nnew 1\n", output.Text);
    }

    private static async Task WaitForAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(50, cancellationToken);
        }
    }

    private sealed class SynchronizedWriter : StringWriter
    {
        private readonly Lock _gate = new();

        public string Text
        {
            get
            {
                lock (_gate)
                {
                    return ToString();
                }
            }
        }

        public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
        {
            lock (_gate)
            {
                GetStringBuilder().Append(buffer.Span);
            }

            return Task.CompletedTask;
        }

        public override Encoding Encoding => Encoding.UTF8;
    }
}
