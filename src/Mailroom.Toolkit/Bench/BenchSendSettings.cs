namespace Mailroom.Toolkit.Bench;

/// <summary>What <c>mailroom bench send</c> does; mirrors smtp-benchmark's smtpsend flags.</summary>
internal sealed record BenchSendSettings
{
    /// <summary>Host name or address of the server under test.</summary>
    public required string Server { get; init; }

    /// <summary>TCP port (<c>-p</c>); default 25.</summary>
    public int Port { get; init; } = 25;

    /// <summary>Parallel senders (<c>-s</c>); default 1.</summary>
    public int Senders { get; init; } = 1;

    /// <summary>Sequential connections each sender opens (<c>-c</c>); default 1.</summary>
    public int ConnectionsPerSender { get; init; } = 1;

    /// <summary>Messages sent on each connection (<c>-m</c>); default 1.</summary>
    public int MessagesPerConnection { get; init; } = 1;

    /// <summary>Body size in bytes (<c>-b</c>); default 1024.</summary>
    public int BodySize { get; init; } = 1024;

    /// <summary>Stop starting new messages after this long (<c>-t</c>); null runs to completion.</summary>
    public TimeSpan? TimeLimit { get; init; }

    /// <summary>Envelope and header sender (<c>-F</c>).</summary>
    public string From { get; init; } = "bench@mailroom.invalid";

    /// <summary>Recipients (<c>-T</c>, repeatable).</summary>
    public IReadOnlyList<string> To { get; init; } = ["sink@mailroom.invalid"];

    /// <summary>Subject header (<c>-S</c>).</summary>
    public string Subject { get; init; } = "mailroom bench";

    /// <summary>Name sent in EHLO.</summary>
    public string HeloName { get; init; } = "mailroom-bench";

    public TlsMode Tls { get; init; } = TlsMode.None;

    /// <summary>AUTH PLAIN user name; null sends no AUTH.</summary>
    public string? AuthUser { get; init; }

    public string? AuthPassword { get; init; }

    /// <summary>Use RFC 2920 pipelining when the server offers it; default true.</summary>
    public bool Pipelining { get; init; } = true;

    /// <summary>0 quiet, 1 per-connection errors, 2 every failed reply.</summary>
    public int Verbosity { get; init; }

    /// <summary>Socket connect and per-reply timeout; default 30 s, long enough for a loaded server.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}
