using System.Collections.Concurrent;
using Mailroom.Core;

namespace Mailroom.Smtp.Tests.Support;

/// <summary>An in-memory queue: each submission writes to a MemoryStream (or only counts bytes).</summary>
internal sealed class FakeSubmitter : IMessageSubmitter
{
    private int _next;

    public ConcurrentQueue<FakeSubmission> Submissions { get; } = new();

    public bool FailBegin { get; set; }

    public bool FailCommit { get; set; }

    /// <summary>Failures say ENOSPC, as a full disk does.</summary>
    public bool DiskFull { get; set; }

    /// <summary>What <see cref="HasRoomFor"/> answers (the free-space floor).</summary>
    public bool HasRoom { get; set; } = true;

    /// <summary>The declared sizes <see cref="HasRoomFor"/> was asked about.</summary>
    public ConcurrentQueue<long> RoomRequests { get; } = new();

    /// <summary>Count bytes without keeping them (to show nothing buffers an oversized message).</summary>
    public bool CountOnly { get; set; }

    public IEnumerable<FakeSubmission> Committed => Submissions.Where(s => s.Committed);

    public ValueTask<IMessageSubmission> BeginAsync(Envelope envelope, CancellationToken cancellationToken)
    {
        if (FailBegin)
        {
            throw Failure("spool unavailable");
        }

        var submission = new FakeSubmission(this, envelope, $"ABCDEF{Interlocked.Increment(ref _next):X6}", CountOnly);
        Submissions.Enqueue(submission);
        return ValueTask.FromResult<IMessageSubmission>(submission);
    }

    public bool HasRoomFor(long declaredSize)
    {
        RoomRequests.Enqueue(declaredSize);
        return HasRoom;
    }

    // .NET on Linux gives an IOException the errno as its HResult; 28 is ENOSPC.
    private IOException Failure(string text) => DiskFull ? new IOException("No space left on device", 28) : new IOException(text);

    internal sealed class FakeSubmission(FakeSubmitter owner, Envelope envelope, string queueId, bool countOnly) : IMessageSubmission
    {
        private Stream _content = countOnly ? new CountingStream() : new MemoryStream();

        public Envelope Envelope { get; } = envelope;

        public string QueueId { get; } = queueId;

        public Stream Content => _content;

        public bool Committed { get; private set; }

        public bool Disposed { get; private set; }

        public long BytesWritten => _content.Length;

        public string Text => System.Text.Encoding.UTF8.GetString(((MemoryStream)_content).ToArray());

        public MessageAnnotation? Annotation { get; private set; }

        public Stream OpenWrittenContent() =>
            new MemoryStream(_content is MemoryStream memory ? memory.ToArray() : [], writable: false);

        public void Annotate(MessageAnnotation annotation) => Annotation = annotation;

        public async ValueTask ReplaceContentAsync(Func<Stream, CancellationToken, ValueTask> write, CancellationToken cancellationToken)
        {
            var replacement = new MemoryStream();
            await write(replacement, cancellationToken);
            _content = replacement;
        }

        public ValueTask CommitAsync(CancellationToken cancellationToken)
        {
            if (owner.FailCommit)
            {
                throw owner.Failure("fsync failed");
            }

            Committed = true;
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }

    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => _length += count;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _length += buffer.Length;
            return ValueTask.CompletedTask;
        }
    }
}
