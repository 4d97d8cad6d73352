using System.Text;
using System.Threading.Channels;

namespace Mailroom.Logging;

/// <summary>
/// Appends mail-log lines to the maillog file (and optionally the console) from one background task, so that
/// sessions never wait on log I/O. Lines are written in batches; the file is reopened when it was rotated away.
/// </summary>
/// <remarks>
/// After each write the task lets lines gather for <see cref="DefaultBatchWindow"/> before it writes again. A delivered
/// message logs about seven lines, a few at a time from its session's threads; written as they came, a line could wake
/// the task on another thread for one write of one line (at 10 sessions, 2.5 writes of the log per message before; one
/// per window after). A line that finds the task idle is still written at once, so a quiet server's log is not delayed.
/// </remarks>
internal sealed class MaillogWriter : IAsyncDisposable
{
    /// <summary>How long lines gather after a write: short enough for <c>tail -f</c>, long enough to batch a busy second.</summary>
    public static readonly TimeSpan DefaultBatchWindow = TimeSpan.FromMilliseconds(20);

    private static readonly TimeSpan RotationCheckInterval = TimeSpan.FromSeconds(1);

    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly string? _path;
    private readonly TextWriter? _console;
    private readonly TimeSpan _batchWindow;
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _pump;
    private FileStream? _file;
    private long _lastRotationCheck;

    public MaillogWriter(string? path, TextWriter? console)
        : this(path, console, DefaultBatchWindow)
    {
    }

    /// <param name="path">The maillog file; null writes none.</param>
    /// <param name="console">Where lines are copied too; null copies them nowhere.</param>
    /// <param name="batchWindow">How long lines gather after each write (closing the writer cuts it short).</param>
    internal MaillogWriter(string? path, TextWriter? console, TimeSpan batchWindow)
    {
        _path = path;
        _console = console;
        _batchWindow = batchWindow;
        if (_path is not null)
        {
            string? dir = Path.GetDirectoryName(Path.GetFullPath(_path));
            if (dir is not null)
            {
                System.IO.Directory.CreateDirectory(dir);
            }

            _file = Open(_path);
        }

        _pump = Task.Run(PumpAsync);
    }

    public void Write(string line) => _lines.Writer.TryWrite(line);

    public async ValueTask DisposeAsync()
    {
        _lines.Writer.TryComplete();
        await _closing.CancelAsync().ConfigureAwait(false);
        await _pump.ConfigureAwait(false);
        _closing.Dispose();
        if (_file is not null)
        {
            await _file.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static FileStream Open(string path) =>
        new(path, new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.ReadWrite | FileShare.Delete, BufferSize = 0 });

    private async Task PumpAsync()
    {
        var batch = new StringBuilder();
        ChannelReader<string> reader = _lines.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Length < 64 * 1024 && reader.TryRead(out string? line))
            {
                batch.Append(line);
            }

            string text = batch.ToString();
            WriteToFile(text);
            if (_console is not null)
            {
                await _console.WriteAsync(text).ConfigureAwait(false);
                await _console.FlushAsync().ConfigureAwait(false);
            }

            await GatherAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Lets lines gather for the batch window; closing cuts it short so the last lines go out at once.</summary>
    private async Task GatherAsync()
    {
        if (_closing.IsCancellationRequested)
        {
            return;
        }

        try
        {
            await Task.Delay(_batchWindow, _closing.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Closing: the loop drains what is left and ends.
        }
    }

    private void WriteToFile(string text)
    {
        if (_path is null || _file is null)
        {
            return;
        }

        try
        {
            long now = Environment.TickCount64;
            if (now - _lastRotationCheck > RotationCheckInterval.TotalMilliseconds)
            {
                _lastRotationCheck = now;
                if (!OpenFileIdentity.StillNamedBy(_file.SafeFileHandle, _path))
                {
                    _file.Dispose();
                    _file = Open(_path);
                }
            }

            byte[] bytes = Encoding.UTF8.GetBytes(text);
            _file.Write(bytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The mail log must never take the server down; say so once on stderr and keep serving.
            Console.Error.WriteLine($"mailroom: cannot write the mail log {_path}: {ex.Message}");
        }
    }
}
