namespace Mailroom.Toolkit.Bench;

/// <summary>Totals of a sink run, updated by every session.</summary>
internal sealed class SinkStats
{
    private long _connections;
    private long _messages;
    private long _bytes;
    private long _recipients;
    private long _rejectedMail;
    private long _rejectedRecipients;
    private long _rejectedData;
    private long _rejectedMessages;

    public long Connections => Interlocked.Read(ref _connections);

    public long Messages => Interlocked.Read(ref _messages);

    public long Bytes => Interlocked.Read(ref _bytes);

    public long Recipients => Interlocked.Read(ref _recipients);

    public long RejectedMail => Interlocked.Read(ref _rejectedMail);

    public long RejectedRecipients => Interlocked.Read(ref _rejectedRecipients);

    public long RejectedData => Interlocked.Read(ref _rejectedData);

    public long RejectedMessages => Interlocked.Read(ref _rejectedMessages);

    public void AddConnection() => Interlocked.Increment(ref _connections);

    public long AddMessage() => Interlocked.Increment(ref _messages);

    public void AddBytes(long count) => Interlocked.Add(ref _bytes, count);

    public void AddRecipient() => Interlocked.Increment(ref _recipients);

    public void AddRejectedMail() => Interlocked.Increment(ref _rejectedMail);

    public void AddRejectedRecipient() => Interlocked.Increment(ref _rejectedRecipients);

    public void AddRejectedData() => Interlocked.Increment(ref _rejectedData);

    public void AddRejectedMessage() => Interlocked.Increment(ref _rejectedMessages);
}
