namespace Mailroom.Smtp.Cleanup;

/// <summary>What the Received: header says about the session (RFC 5321 §4.4).</summary>
internal sealed record TraceInfo
{
    public required string Helo { get; init; }

    public required string ClientName { get; init; }

    public required string ClientAddress { get; init; }

    public required string Hostname { get; init; }

    /// <summary>RFC 3848 / RFC 6531 §3.7.3 WITH keyword: ESMTP, ESMTPSA, UTF8SMTPS…</summary>
    public required string Protocol { get; init; }

    public required string QueueId { get; init; }

    /// <summary>e.g. <c>TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)</c>; null without TLS.</summary>
    public string? Tls { get; init; }

    /// <summary>The recipient for the FOR clause: only when the message has exactly one (RFC 5321 §4.4).</summary>
    public string? SingleRecipient { get; init; }

    public required DateTimeOffset Time { get; init; }
}
