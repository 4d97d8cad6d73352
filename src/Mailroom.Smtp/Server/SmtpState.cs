namespace Mailroom.Smtp.Server;

/// <summary>Where a session is in RFC 5321 §4.1.4's command sequence; flags so the command table can list several.</summary>
[Flags]
internal enum SmtpState
{
    /// <summary>Greeted by the server; no HELO/EHLO yet.</summary>
    Connected = 1,

    /// <summary>After HELO/EHLO, outside a mail transaction.</summary>
    Greeted = 2,

    /// <summary>After an accepted MAIL, before any accepted RCPT.</summary>
    Mail = 4,

    /// <summary>At least one RCPT accepted.</summary>
    Rcpt = 8,

    /// <summary>BDAT chunks are being received (RFC 3030): only BDAT, RSET, NOOP, QUIT and HELP.</summary>
    Bdat = 16,

    Any = Connected | Greeted | Mail | Rcpt | Bdat,
}
