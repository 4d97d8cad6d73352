using System.Text;
using MailKit;

namespace Mailroom.Toolkit.Check;

/// <summary>
/// <c>mailroom check --trace</c>: every line of every exchange the check makes, as <c>[target] C: …</c> and
/// <c>[target] S: …</c>, with passwords and SASL responses written <c>&lt;redacted&gt;</c>. Probes run side by side,
/// so each line names its connection and lines are written whole.
/// </summary>
internal sealed class CheckTrace(TextWriter output)
{
    private readonly Lock _gate = new();

    public void Client(string target, string line) => Write(target, "C: ", Redact(line));

    public void Server(string target, string line) => Write(target, "S: ", line);

    public void Note(string target, string text) => Write(target, "# ", text);

    /// <summary>A MailKit protocol logger for one connection; MailKit's own detector redacts what AUTH and LOGIN send.</summary>
    public IProtocolLogger Logger(string target) =>
        new ProtocolLogger(new LineStream(this, target), leaveOpen: false) { ClientPrefix = "C: ", ServerPrefix = "S: ", RedactSecrets = true };

    /// <summary>
    /// The secret part of a command line the probes write: SMTP, POP3 and ManageSieve <c>AUTH</c>/<c>AUTHENTICATE</c>
    /// initial responses, POP3 <c>PASS</c>, IMAP <c>LOGIN</c> and <c>AUTHENTICATE</c>.
    /// </summary>
    internal static string Redact(string line)
    {
        string[] words = line.Split(' ');
        int keep = words switch
        {
            [var first, _, _, ..] when first.Equals("AUTH", StringComparison.OrdinalIgnoreCase) || first.Equals("AUTHENTICATE", StringComparison.OrdinalIgnoreCase) => 2,
            [var first, _, ..] when first.Equals("PASS", StringComparison.OrdinalIgnoreCase) => 1,
            [_, var second, _, ..] when second.Equals("LOGIN", StringComparison.OrdinalIgnoreCase) => 2,
            [_, var second, _, _, ..] when second.Equals("AUTHENTICATE", StringComparison.OrdinalIgnoreCase) => 3,
            _ => -1,
        };
        return keep < 0 ? line : string.Join(' ', words[..keep]) + " <redacted>";
    }

    private void Write(string target, string prefix, string text)
    {
        lock (_gate)
        {
            output.WriteLine($"[{target}] {prefix}{text}");
        }
    }

    /// <summary>What MailKit's logger writes, cut into lines, each written whole under the trace's lock.</summary>
    private sealed class LineStream(CheckTrace trace, string target) : Stream
    {
        private readonly MemoryStream _pending = new();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            while (!buffer.IsEmpty)
            {
                int lf = buffer.IndexOf((byte)'\n');
                if (lf < 0)
                {
                    _pending.Write(buffer);
                    return;
                }

                _pending.Write(buffer[..lf]);
                buffer = buffer[(lf + 1)..];
                string line = Encoding.UTF8.GetString(_pending.GetBuffer(), 0, (int)_pending.Length).TrimEnd('\r');
                _pending.SetLength(0);
                lock (trace._gate)
                {
                    trace.Write(target, string.Empty, line);
                }
            }
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _pending.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
