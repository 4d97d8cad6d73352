namespace Mailroom.Pop3;

/// <summary>Whether USER/PASS and AUTH may be used on a connection (Dovecot's <c>disable_plaintext_auth</c>).</summary>
internal static class Pop3PlaintextPolicy
{
    public static bool IsLoginAllowed(Pop3Options options, bool isSecure, bool isLoopback) =>
        isSecure || options.AllowPlaintextAuth || (isLoopback && options.AllowPlaintextAuthOnLoopback);
}
