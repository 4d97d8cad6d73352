namespace Mailroom.Imap;

/// <summary>Whether LOGIN and AUTHENTICATE may be used on a connection (Dovecot's <c>disable_plaintext_auth</c>).</summary>
internal static class ImapPlaintextPolicy
{
    public static bool IsLoginAllowed(ImapOptions options, bool isSecure, bool isLoopback) =>
        isSecure || options.AllowPlaintextAuth || (isLoopback && options.AllowPlaintextAuthOnLoopback);
}
