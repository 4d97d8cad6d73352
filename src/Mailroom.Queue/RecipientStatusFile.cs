using System.Globalization;
using System.Text;

namespace Mailroom.Queue;

/// <summary>
/// Per-recipient progress of a queued message, so that a restart after delivering to some recipients does
/// not deliver to them again. The queue file itself is never rewritten; next to it an append-only sidecar
/// <c>&lt;id&gt;.status</c> holds one line per recipient that reached a final state:
/// <c>&lt;recipient index&gt; sent|bounced &lt;dsn&gt; &lt;text&gt;\n</c>.
/// <list type="bullet">
/// <item>A line is appended as soon as the recipient is final (it reaches the page cache, so it survives a
/// crash of the process), except for the last pending recipient: the message is then removed at once and
/// the line would be written only to be deleted.</item>
/// <item>The file is fsynced whenever the message stays in the queue after an attempt (deferred), so the
/// outcomes survive a crash of the machine too. Between those points an OS crash may repeat a delivery:
/// delivery is at-least-once, never at-most-once.</item>
/// <item>On load a line without its newline (torn by a crash) is ignored: that recipient is retried.</item>
/// </list>
/// </summary>
internal sealed class RecipientStatusFile : IDisposable
{
    public const string Extension = ".status";

    private readonly string _path;
    private FileStream? _stream;
    private bool _dirty;

    public RecipientStatusFile(string path)
    {
        _path = path;
    }

    public void Append(int index, DeliveryStatus status, string dsn, string text)
    {
        _stream ??= new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
        string word = status == DeliveryStatus.Sent ? "sent" : "bounced";
        string line = string.Create(CultureInfo.InvariantCulture, $"{index} {word} {dsn} {text.ReplaceLineEndings(" ")}\n");
        _stream.Write(Encoding.UTF8.GetBytes(line));
        _dirty = true;
    }

    /// <summary>fsyncs what was appended, if anything.</summary>
    public void Flush()
    {
        if (_stream is not null && _dirty)
        {
            _stream.Flush(flushToDisk: true);
            _dirty = false;
        }
    }

    public void Dispose() => _stream?.Dispose();

    /// <summary>Marks the recipients recorded as final in the file at <paramref name="path"/>, if it exists.</summary>
    public static void Load(string path, RecipientState[] states)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (FileNotFoundException)
        {
            return;
        }

        int lineStart = 0;
        while (lineStart < text.Length)
        {
            int end = text.IndexOf('\n', lineStart);
            if (end < 0)
            {
                break;
            }

            ReadOnlySpan<char> line = text.AsSpan(lineStart, end - lineStart);
            lineStart = end + 1;
            int space = line.IndexOf(' ');
            if (space <= 0 || !int.TryParse(line[..space], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
                || index >= states.Length)
            {
                continue;
            }

            ReadOnlySpan<char> rest = line[(space + 1)..];
            if (rest.StartsWith("sent ", StringComparison.Ordinal))
            {
                states[index] = RecipientState.Sent;
            }
            else if (rest.StartsWith("bounced ", StringComparison.Ordinal))
            {
                states[index] = RecipientState.Bounced;
            }
        }
    }
}
