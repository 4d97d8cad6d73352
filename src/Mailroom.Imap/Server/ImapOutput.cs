using System.Buffers;
using System.IO.Pipelines;

namespace Mailroom.Imap.Server;

/// <summary>
/// The session's response writer: forwards to the connection's current output (it changes after STARTTLS) and
/// counts the bytes, for Dovecot's <c>out=</c> on the logout line.
/// </summary>
internal sealed class ImapOutput : IBufferWriter<byte>
{
    private readonly Func<PipeWriter> _output;

    public ImapOutput(Func<PipeWriter> output)
    {
        _output = output;
    }

    public long BytesWritten { get; set; }

    public void Advance(int count)
    {
        _output().Advance(count);
        BytesWritten += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => _output().GetMemory(sizeHint);

    public Span<byte> GetSpan(int sizeHint = 0) => _output().GetSpan(sizeHint);
}
