using Mailroom.Toolkit.Smtp;

namespace Mailroom.Toolkit.Bench;

/// <summary>
/// What the send loops need from a client connection, so one loop drives both the blocking plain-TCP connection
/// (<see cref="BlockingSmtpConnection"/>) and the asynchronous one used for TLS (<see cref="WireConnection"/>).
/// </summary>
internal interface IBenchConnection : IAsyncDisposable
{
    /// <summary>Set once EHLO showed PIPELINING and the user allowed it.</summary>
    bool Pipelining { get; set; }

    ValueTask WriteAsync(ReadOnlyMemory<byte> data);

    ValueTask<SmtpReply> ReadReplyAsync(bool keepLines = false);

    ValueTask<SmtpReply> CommandAsync(string command, bool keepLines = false);
}
