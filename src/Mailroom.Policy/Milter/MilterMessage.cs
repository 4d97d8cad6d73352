using System.Net;

namespace Mailroom.Policy.Milter;

/// <summary>What the milters are told at a stage: the SMTP session so far and the envelope, once there is one (the macros' values).</summary>
public sealed record MilterMessage
{
    /// <summary>This server's host name (macro <c>j</c>).</summary>
    public required string Hostname { get; init; }

    /// <summary>Which listener took it (<c>{daemon_name}</c>): <c>smtpd</c> for port 25, <c>submission</c> otherwise.</summary>
    public required string DaemonName { get; init; }

    public required IPEndPoint Client { get; init; }

    public required IPEndPoint Local { get; init; }

    /// <summary>The client's verified name, or <c>unknown</c> (<c>{client_name}</c>).</summary>
    public required string ClientName { get; init; }

    public required string Helo { get; init; }

    /// <summary>The queue id (<c>i</c>), once the message has one (from DATA on); empty before.</summary>
    public string QueueId { get; init; } = "";

    /// <summary>The reverse path without angle brackets; empty for the null sender (and before MAIL).</summary>
    public string Sender { get; init; } = "";

    /// <summary>The SASL identity (<c>{auth_authen}</c>) and mechanism (<c>{auth_type}</c>) of an authenticated session.</summary>
    public string? AuthenticatedUser { get; init; }

    public string? AuthMethod { get; init; }

    /// <summary><c>{tls_version}</c>, <c>{cipher}</c>, <c>{cipher_bits}</c> when the session is encrypted.</summary>
    public string? TlsVersion { get; init; }

    public string? TlsCipher { get; init; }

    public int TlsBits { get; init; }

    /// <summary>The message size in bytes (<c>{msg_size}</c>, sent with the end of the message).</summary>
    public long Size { get; init; }
}
