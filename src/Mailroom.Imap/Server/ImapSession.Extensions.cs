namespace Mailroom.Imap.Server;

/// <summary>The extensions of RFC 4978 (COMPRESS).</summary>
internal sealed partial class ImapSession
{
    // Advertised after BaseCapabilities.
    private const string ExtensionCapabilities = " COMPRESS=DEFLATE";
}
