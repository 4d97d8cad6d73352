namespace Mailroom.Net;

/// <summary>
/// The connection pool a listener draws from. Each class has its own connection limits, so that a flood on one
/// service (say, spam bots on port 25) cannot take the slots of another (users reading mail over IMAP), as Postfix's
/// per-service process limits and Dovecot's per-service client limits keep them apart.
/// </summary>
public enum ListenerClass
{
    /// <summary>SMTP from other mail servers (port 25).</summary>
    Mta,

    /// <summary>Mail submission by users (ports 587 and 465).</summary>
    Submission,

    /// <summary>POP3 (ports 110 and 995).</summary>
    Pop3,

    /// <summary>IMAP (ports 143 and 993).</summary>
    Imap,

    /// <summary>ManageSieve (port 4190): users managing their filters, apart from the mail they read.</summary>
    ManageSieve,
}
