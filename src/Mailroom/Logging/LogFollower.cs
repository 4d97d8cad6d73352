using System.Text;

namespace Mailroom.Logging;

/// <summary>
/// <c>tail [-n N] [-f]</c> for the mail log: prints the last lines, then (when following) everything appended,
/// surviving rotation — when the name points at a new file, the old one is read to its end and the new one
/// from its start — and truncation, which restarts at the beginning as tail(1) does.
/// </summary>
internal sealed class LogFollower
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private readonly string _path;
    private readonly TextWriter _output;
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
    private readonly byte[] _buffer = new byte[16384];
    private readonly char[] _chars = new char[Encoding.UTF8.GetMaxCharCount(16384)];

    public LogFollower(string path, TextWriter output)
    {
        _path = path;
        _output = output;
    }

    public async Task<int> RunAsync(int lastLines, bool follow, CancellationToken cancellationToken)
    {
        while (!File.Exists(_path))
        {
            if (!follow)
            {
                await Console.Error.WriteLineAsync($"mailroom: no mail log at {_path} yet (has the server run with this --data directory?)").ConfigureAwait(false);
                return 1;
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }

        FileStream file = OpenShared(_path);
        try
        {
            file.Position = FindTailStart(file, lastLines);
            await CopyNewAsync(file, cancellationToken).ConfigureAwait(false);
            while (follow && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
                await CopyNewAsync(file, cancellationToken).ConfigureAwait(false);
                if (!OpenFileIdentity.StillNamedBy(file.SafeFileHandle, _path) && File.Exists(_path))
                {
                    await CopyNewAsync(file, cancellationToken).ConfigureAwait(false);
                    await file.DisposeAsync().ConfigureAwait(false);
                    file = OpenShared(_path);
                }
                else if (file.Length < file.Position)
                {
                    file.Position = 0;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            await file.DisposeAsync().ConfigureAwait(false);
        }

        return 0;
    }

    private static FileStream OpenShared(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

    /// <summary>Finds the offset where the last <paramref name="lines"/> lines start, reading backwards in blocks.</summary>
    internal static long FindTailStart(FileStream file, int lines)
    {
        long length = file.Length;
        if (lines <= 0 || length == 0)
        {
            return lines <= 0 ? length : 0;
        }

        var block = new byte[8192];
        long end = length;
        int newlines = 0;
        // A final newline terminates the last line; it does not start another one.
        long position = length;
        while (position > 0)
        {
            int size = (int)Math.Min(block.Length, position);
            position -= size;
            file.Position = position;
            file.ReadExactly(block, 0, size);
            for (int i = size - 1; i >= 0; i--)
            {
                if (block[i] == (byte)'\n' && position + i != end - 1)
                {
                    newlines++;
                    if (newlines == lines)
                    {
                        return position + i + 1;
                    }
                }
            }
        }

        return 0;
    }

    private async Task CopyNewAsync(FileStream file, CancellationToken cancellationToken)
    {
        int read;
        while ((read = await file.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            // The decoder keeps a UTF-8 sequence split across reads whole.
            int count = _decoder.GetChars(_buffer, 0, read, _chars, 0);
            await _output.WriteAsync(_chars.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
        }

        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
