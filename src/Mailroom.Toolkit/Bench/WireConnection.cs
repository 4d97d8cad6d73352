using Mailroom.Toolkit.Smtp;

namespace Mailroom.Toolkit.Bench;

/// <summary>The asynchronous <see cref="SmtpWireClient"/> as a bench connection; used where TLS is involved.</summary>
internal sealed class WireConnection(SmtpWireClient client) : IBenchConnection
{
    public bool Pipelining
    {
        get => client.Pipelining;
        set => client.Pipelining = value;
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data) => client.WriteAsync(data);

    public ValueTask<SmtpReply> ReadReplyAsync(bool keepLines = false) => client.ReadReplyAsync(keepLines);

    public ValueTask<SmtpReply> CommandAsync(string command, bool keepLines = false) => client.CommandAsync(command, keepLines);

    public ValueTask DisposeAsync() => client.DisposeAsync();
}
