namespace Mailroom.Smtp;

/// <summary>What a listener is for; decides whether AUTH is required and who may send as whom.</summary>
public enum SmtpListenerRole
{
    /// <summary>Port 25: mail from other servers to local users needs no AUTH; AUTH is offered after TLS.</summary>
    Mta,

    /// <summary>Port 587 (RFC 6409): AUTH required before MAIL; STARTTLS before AUTH.</summary>
    Submission,

    /// <summary>Port 465 (RFC 8314 implicit TLS): AUTH required before MAIL.</summary>
    Smtps,
}
