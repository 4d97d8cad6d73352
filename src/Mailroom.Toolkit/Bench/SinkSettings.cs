using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Mailroom.Toolkit.Bench;

/// <summary>What <c>mailroom bench sink</c> does; mirrors Postfix smtp-sink.</summary>
internal sealed record SinkSettings
{
    /// <summary>Address to listen on (<c>--listen</c>); default 127.0.0.1 so a test sink is never exposed.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>Port (<c>-p</c>); default 2525, an unprivileged port; 0 picks an ephemeral one.</summary>
    public int Port { get; init; } = 2525;

    /// <summary>Host name in the greeting and EHLO reply.</summary>
    public string HostName { get; init; } = "mailroom-sink";

    /// <summary>Answer a share of MAIL commands with an error.</summary>
    public FailureRule? MailFailure { get; init; }

    /// <summary>Answer a share of RCPT commands with an error.</summary>
    public FailureRule? RcptFailure { get; init; }

    /// <summary>Answer a share of DATA commands with an error (before any content).</summary>
    public FailureRule? DataFailure { get; init; }

    /// <summary>Answer a share of messages with an error after their content (end of DATA, last BDAT).</summary>
    public FailureRule? MessageFailure { get; init; }

    /// <summary>Wait this long before answering each DATA command (Postfix smtp-sink <c>-w</c>); default none.</summary>
    public TimeSpan DataDelay { get; init; }

    /// <summary>Offer STARTTLS with a generated self-signed certificate; default true.</summary>
    public bool StartTls { get; init; } = true;

    /// <summary>Speak TLS from the first byte (an SMTPS 465 stand-in); default false.</summary>
    public bool ImplicitTls { get; init; }

    /// <summary>Certificate for TLS instead of a generated self-signed one (null: generate).</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>Stop after this many accepted messages (<c>--count</c>); null runs until interrupted.</summary>
    public long? Count { get; init; }

    /// <summary>
    /// Most sessions served by blocking threads of their own (default 256: more than any benchmark's concurrent
    /// connections here, few enough for the memory of their stacks). Past it, and with implicit TLS, sessions are
    /// asynchronous.
    /// </summary>
    public int MaxSessionThreads { get; init; } = 256;

    /// <summary>Longest command line accepted (RFC 5321 §4.5.3.1.4: 512, doubled for extensions).</summary>
    public int MaxLineLength { get; init; } = 1024;
}
