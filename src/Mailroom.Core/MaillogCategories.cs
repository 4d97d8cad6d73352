namespace Mailroom.Core;

/// <summary>
/// Logger categories whose Information-level events are mail-log lines. The host writes every event of
/// these categories to the maillog with the syslog prefix Postfix's <c>maillog_file</c> uses
/// (<c>Nov 25 12:05:21 myhost mailroom/smtpd[1234]: </c>), so the message text of such an event must be
/// exactly the Postfix/Dovecot line body (for example <c>5E4A5BA2D4: client=localhost[::1]</c>).
/// </summary>
public static class MaillogCategories
{
    /// <summary>Prefix shared by every mail-log category.</summary>
    public const string Prefix = "mailroom/";

    public const string Smtpd = "mailroom/smtpd";
    public const string Cleanup = "mailroom/cleanup";
    public const string Qmgr = "mailroom/qmgr";
    public const string Local = "mailroom/local";
    public const string Smtp = "mailroom/smtp";
    public const string Bounce = "mailroom/bounce";
    public const string Master = "mailroom/master";
    public const string Tls = "mailroom/tls";
    public const string Pop3 = "mailroom/pop3";
    public const string Imap = "mailroom/imap";
    public const string Directory = "mailroom/directory";
    public const string Sieve = "mailroom/sieve";
    public const string ManageSieve = "mailroom/managesieve";

    /// <summary>Screening of port-25 clients before they may send (pregreet test, DNSBL ranks), in postscreen's wording.</summary>
    public const string Postscreen = "mailroom/postscreen";

    /// <summary>DKIM signing and verification, in OpenDKIM's wording.</summary>
    public const string Dkim = "mailroom/dkim";

    /// <summary>DMARC (and ARC) verdicts, in OpenDMARC's wording.</summary>
    public const string Dmarc = "mailroom/dmarc";

    /// <summary>SPF results, in policyd-spf's wording.</summary>
    public const string Spf = "mailroom/spf";

    public static bool IsMaillog(string category) => category.StartsWith(Prefix, StringComparison.Ordinal);
}
