using System.Globalization;
using System.Text;

namespace Mailroom.Queue;

/// <summary>
/// Per-recipient progress of a queued message, so that a restart after delivering to some recipients does
/// not deliver to them again. The queue file itself is never rewritten; next to it an append-only sidecar
/// <c>&lt;id&gt;.status</c> holds one line per event:
/// <c>&lt;recipient index&gt; sent|bounced &lt;dsn&gt; &lt;text&gt;\n</c>. The same format serves the defer log
/// <c>defer/&lt;id&gt;</c> (Postfix keeps deferral reasons there too), which adds <c>deferred</c> lines,
/// <c>retry &lt;unix ms&gt; &lt;attempts&gt;\n</c> for the schedule (so that a restart keeps it, as Postfix keeps it
/// in the file's mtime) and <c>warned\n</c> once a delay warning went out.
/// <list type="bullet">
/// <item>A final line is appended as soon as the recipient is final (it reaches the page cache, so it survives
/// a crash of the process), except for the last pending recipient: the message is then removed at once and
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
        string word = status switch
        {
            DeliveryStatus.Sent => "sent",
            DeliveryStatus.Bounced => "bounced",
            _ => "deferred",
        };
        Write(string.Create(CultureInfo.InvariantCulture, $"{index} {word} {dsn} {text.ReplaceLineEndings(" ")}\n"));
    }

    public void AppendRetry(DateTimeOffset next, int attempts) =>
        Write(string.Create(CultureInfo.InvariantCulture, $"retry {next.ToUnixTimeMilliseconds()} {attempts}\n"));

    public void AppendWarned() => Write("warned\n");

    private void Write(string line)
    {
        _stream ??= new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
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
        var snapshot = new StatusSnapshot(states.Length);
        Load(path, snapshot);
        snapshot.States.CopyTo(states, 0);
    }

    /// <summary>Adds what the file at <paramref name="path"/> records, if it exists, to <paramref name="snapshot"/>.</summary>
    public static void Load(string path, StatusSnapshot snapshot)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
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
            if (line.SequenceEqual("warned"))
            {
                snapshot.Warned = true;
                continue;
            }

            if (line.StartsWith("retry ", StringComparison.Ordinal))
            {
                LoadRetry(line[6..], snapshot);
                continue;
            }

            int space = line.IndexOf(' ');
            if (space <= 0 || !int.TryParse(line[..space], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
                || index >= snapshot.States.Length)
            {
                continue;
            }

            ReadOnlySpan<char> rest = line[(space + 1)..];
            int wordEnd = rest.IndexOf(' ');
            if (wordEnd <= 0)
            {
                continue;
            }

            ReadOnlySpan<char> word = rest[..wordEnd];
            ReadOnlySpan<char> detail = rest[(wordEnd + 1)..];
            int dsnEnd = detail.IndexOf(' ');
            string dsn = (dsnEnd < 0 ? detail : detail[..dsnEnd]).ToString();
            string reason = dsnEnd < 0 ? "" : detail[(dsnEnd + 1)..].ToString();
            DeliveryStatus status;
            if (word.SequenceEqual("sent"))
            {
                snapshot.States[index] = RecipientState.Sent;
                status = DeliveryStatus.Sent;
            }
            else if (word.SequenceEqual("bounced"))
            {
                snapshot.States[index] = RecipientState.Bounced;
                status = DeliveryStatus.Bounced;
            }
            else if (word.SequenceEqual("deferred"))
            {
                status = DeliveryStatus.Deferred;
            }
            else
            {
                continue;
            }

            snapshot.LastOutcomes[index] = new Delivery.RecipientOutcome(status, dsn, reason);
        }
    }

    private static void LoadRetry(ReadOnlySpan<char> value, StatusSnapshot snapshot)
    {
        int space = value.IndexOf(' ');
        if (space > 0
            && long.TryParse(value[..space], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long ms)
            && int.TryParse(value[(space + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int attempts))
        {
            snapshot.NextAttempt = DateTimeOffset.FromUnixTimeMilliseconds(ms);
            snapshot.Attempts = attempts;
        }
    }
}
