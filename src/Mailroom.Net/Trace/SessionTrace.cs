using System.Buffers;
using System.Globalization;
using System.Text;

namespace Mailroom.Net.Trace;

/// <summary>
/// One session's transcript: every line both ways after TLS is off, as <c>C: </c>/<c>S: </c> lines with the time,
/// secrets cut by the protocol (<see cref="Client"/>'s <c>secretStart</c>), message bodies and literals summarised by
/// size, and at most <c>maxFileSize</c> bytes (0600). Thread-safe: IMAP IDLE updates are written from other threads.
/// </summary>
public sealed partial class SessionTrace : IDisposable
{
    /// <summary>Longest line written; longer ones are cut and marked (the protocols' own limits are far below).</summary>
    internal const int MaxShownLine = 8192;

    private readonly Lock _gate = new();
    private readonly StreamWriter _writer;
    private readonly long _maxFileSize;
    private readonly TimeProvider _timeProvider;
    private long _written;
    private bool _full;
    private bool _disposed;

    internal SessionTrace(string path, long maxFileSize, TimeProvider timeProvider)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.Read };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        _writer = new StreamWriter(new FileStream(path, options), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        Path = path;
        _maxFileSize = maxFileSize;
        _timeProvider = timeProvider;
    }

    /// <summary>The transcript file.</summary>
    public string Path { get; }

    /// <summary>
    /// IMAP and ManageSieve: a server line ending in <c>{N}</c> announces a literal, whose N bytes are summarised rather
    /// than written (FETCH bodies, GETSCRIPT scripts).
    /// </summary>
    public bool SummariseServerLiterals { get; set; }

    /// <summary>
    /// A line from the client. From <paramref name="secretStart"/> on (when not negative) it is written as
    /// <c>&lt;redacted&gt;</c>: the protocol knows where a password or SASL response starts.
    /// </summary>
    public void Client(ReadOnlySpan<byte> line, int secretStart)
    {
        var text = new StringBuilder(Math.Min(line.Length, MaxShownLine) + 16);
        if (secretStart >= 0 && secretStart < line.Length)
        {
            Append(text, line[..secretStart]);
            text.Append("<redacted>");
        }
        else
        {
            Append(text, line);
        }

        Write("C: ", text.ToString());
    }

    /// <summary>Content the client sent that is summarised by size, e.g. <c>&lt;message body: 12345 bytes&gt;</c>.</summary>
    public void ClientSummary(string what, long bytes) =>
        Write("C: ", string.Create(CultureInfo.InvariantCulture, $"<{what}: {bytes} bytes>"));

    /// <summary>An event that is not a line of the protocol (start, TLS, login, end).</summary>
    public void Note(string text) => Write("# ", text);

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            FlushPartialServerLine();
            _disposed = true;
            try
            {
                _writer.Dispose();
            }
            catch (IOException)
            {
                // The disk is full or gone: the transcript ends here either way.
            }
        }
    }

    private void Write(string prefix, string text)
    {
        lock (_gate)
        {
            WriteLocked(prefix, text);
        }
    }

    private void WriteLocked(string prefix, string text)
    {
        if (_disposed || _full)
        {
            return;
        }

        string line = _timeProvider.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z' ", CultureInfo.InvariantCulture) + prefix + text + "\n";
        long size = Encoding.UTF8.GetByteCount(line);
        try
        {
            if (_written + size > _maxFileSize - 128)
            {
                _full = true;
                _writer.Write(string.Create(CultureInfo.InvariantCulture, $"# trace cut here: Log:TraceMaxFileSize ({_maxFileSize} bytes) reached\n"));
                _writer.Flush();
                return;
            }

            _writer.Write(line);
            _writer.Flush();
            _written += size;
        }
        catch (IOException)
        {
            _full = true;
        }
    }

    /// <summary>Printable text: control bytes as <c>\xNN</c> (a bare CR shows), the rest as UTF-8; long lines cut.</summary>
    private static void Append(StringBuilder text, ReadOnlySpan<byte> bytes)
    {
        bool cut = bytes.Length > MaxShownLine;
        if (cut)
        {
            bytes = bytes[..MaxShownLine];
        }

        while (!bytes.IsEmpty)
        {
            int control = bytes.IndexOfAnyInRange((byte)0, (byte)0x1F);
            int del = bytes.IndexOf((byte)0x7F);
            int stop = control < 0 ? del : del < 0 ? control : Math.Min(control, del);
            if (stop < 0)
            {
                text.Append(Encoding.UTF8.GetString(bytes));
                break;
            }

            text.Append(Encoding.UTF8.GetString(bytes[..stop]));
            text.Append(CultureInfo.InvariantCulture, $"\\x{bytes[stop]:X2}");
            bytes = bytes[(stop + 1)..];
        }

        if (cut)
        {
            text.Append("...<line cut>");
        }
    }
}
