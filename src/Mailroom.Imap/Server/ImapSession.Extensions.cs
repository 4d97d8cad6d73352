namespace Mailroom.Imap.Server;

/// <summary>The extensions of RFC 4978 (COMPRESS), RFC 6855 (UTF8=ACCEPT) and RFC 4469 (CATENATE).</summary>
internal sealed partial class ImapSession
{
    // Advertised after BaseCapabilities.
    private const string ExtensionCapabilities = " COMPRESS=DEFLATE UTF8=ACCEPT CATENATE";

    /// <summary>
    /// RFC 6855 §3: ENABLE UTF8=ACCEPT. Mailbox names travel as UTF-8 (<see cref="Utf8Names"/>), APPEND takes the
    /// <c>UTF8 (~{n})</c> form, and a SEARCH with a CHARSET is refused with BAD (RFC 6855 §3, erratum 4029).
    /// </summary>
    public bool Utf8Accepted { get; set; }
}
