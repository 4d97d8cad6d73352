namespace Mailroom.Smtp;

/// <summary>What DATA/BDAT does with a CR or LF that is not part of a CRLF pair (Postfix's smtpd_forbid_bare_newline).</summary>
public enum BareLineEndingHandling
{
    /// <summary>Read to the end of the message, then refuse it with <c>550 5.5.2 Error: bare &lt;CR&gt; or &lt;LF&gt; received</c>.</summary>
    Reject,

    /// <summary>Accept the message and store each bare CR or LF as CRLF.</summary>
    Normalize,
}
