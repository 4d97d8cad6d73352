namespace Mailroom.Imap;

/// <summary>What an IMAP listener is: plain with STARTTLS (143) or implicit TLS (993).</summary>
public enum ImapListenerRole
{
    /// <summary>Port 143: plaintext, upgraded with STARTTLS (RFC 9051 §6.2.1).</summary>
    Imap,

    /// <summary>Port 993: TLS before the greeting (RFC 8314 §3.3); STARTTLS is not offered.</summary>
    Imaps,
}
