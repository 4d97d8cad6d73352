using Mailroom.Core;

namespace Mailroom.Fuzz.Sessions;

/// <summary>The SMTP targets' queue: counts what a submission writes and keeps nothing.</summary>
internal sealed class CountingSubmitter : IMessageSubmitter
{
    public ValueTask<IMessageSubmission> BeginAsync(Envelope envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (envelope.Recipients.Count == 0)
        {
            throw new FuzzFailureException("a submission began with no recipient");
        }

        return ValueTask.FromResult<IMessageSubmission>(new Submission());
    }

    private sealed class Submission : IMessageSubmission
    {
        public string QueueId => "5E4A5BA2D4";

        public Stream Content { get; private set; } = new MemoryStream();

        // The session targets run without policy checks or milters, so nothing reads the content back, annotates
        // or replaces it; a copy keeps the contract for a caller that does.
        public Stream OpenWrittenContent() => new MemoryStream(((MemoryStream)Content).ToArray(), writable: false);

        public void Annotate(MessageAnnotation annotation) => ArgumentNullException.ThrowIfNull(annotation);

        public async ValueTask ReplaceContentAsync(Func<Stream, CancellationToken, ValueTask> write, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(write);
            var replacement = new MemoryStream();
            await write(replacement, cancellationToken).ConfigureAwait(false);
            await Content.DisposeAsync().ConfigureAwait(false);
            Content = replacement;
        }

        public ValueTask CommitAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => Content.DisposeAsync();
    }
}
