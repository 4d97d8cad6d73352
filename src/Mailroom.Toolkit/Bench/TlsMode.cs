namespace Mailroom.Toolkit.Bench;

/// <summary>How a benchmark connection secures itself.</summary>
internal enum TlsMode
{
    None,

    /// <summary>RFC 3207: plaintext connect, then STARTTLS after EHLO.</summary>
    StartTls,

    /// <summary>RFC 8314 §3.3: TLS from the first byte (port 465 style).</summary>
    Implicit,
}
