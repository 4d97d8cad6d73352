using Mailroom.Core;

namespace Mailroom.Queue.Tests;

/// <summary>A queue stand-in that keeps each committed message's envelope and content (or fails, when told to).</summary>
internal sealed class RecordingSubmitter : IMessageSubmitter
{
    public List<(Envelope Envelope, byte[] Content)> Committed { get; } = [];

    public bool Fail { get; set; }

    public ValueTask<IMessageSubmission> BeginAsync(Envelope envelope, CancellationToken cancellationToken)
    {
        if (Fail)
        {
            throw new IOException("spool unavailable");
        }

        return ValueTask.FromResult<IMessageSubmission>(new Submission(this, envelope));
    }

    private sealed class Submission(RecordingSubmitter owner, Envelope envelope) : IMessageSubmission
    {
        private MemoryStream _content = new();

        public string QueueId => "REC0001";

        public Stream Content => _content;

        public Stream OpenWrittenContent() => new MemoryStream(_content.ToArray(), writable: false);

        public void Annotate(MessageAnnotation annotation)
        {
        }

        public async ValueTask ReplaceContentAsync(Func<Stream, CancellationToken, ValueTask> write, CancellationToken cancellationToken)
        {
            var replacement = new MemoryStream();
            await write(replacement, cancellationToken);
            await _content.DisposeAsync();
            _content = replacement;
        }

        public ValueTask CommitAsync(CancellationToken cancellationToken)
        {
            owner.Committed.Add((envelope, _content.ToArray()));
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync() => _content.DisposeAsync();
    }
}
