namespace Mailroom.Queue.Delivery.Remote;

/// <summary>How the SMTP client uses TLS towards a destination (Postfix's <c>smtp_tls_security_level</c>).</summary>
public enum TlsPolicy
{
    /// <summary>Plaintext only; STARTTLS is never issued (<c>none</c>).</summary>
    None,

    /// <summary>STARTTLS when the server offers it, any certificate accepted, plaintext otherwise (<c>may</c>).</summary>
    Opportunistic,

    /// <summary>STARTTLS is mandatory, any certificate accepted (<c>encrypt</c>); without it the mail is deferred.</summary>
    Required,

    /// <summary>STARTTLS is mandatory and the certificate must be valid for the host name (<c>secure</c>).</summary>
    Verify,
}
