using System.Text;
using System.Threading.Channels;

namespace Mailroom.Logging;

/// <summary>
/// Appends mail-log lines to the maillog file (and optionally the console) from one background task, so that
/// sessions never wait on log I/O. Lines are written in batches; the file is reopened when it was rotated away.
/// </summary>
internal sealed class MaillogWriter : IAsyncDisposable
{
    private static readonly TimeSpan RotationCheckInterval = TimeSpan.FromSeconds(1);

    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly string? _path;
    private readonly TextWriter? _console;
    private readonly Task _pump;
    private FileStream? _file;
    private long _lastRotationCheck;

    public MaillogWriter(string? path, TextWriter? console)
    {
        _path = path;
        _console = console;
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
        await _pump.ConfigureAwait(false);
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
