namespace Mailroom.Net;

/// <summary>
/// Symmetric key size of a negotiated cipher suite, derived from its IANA name (SslStream's CipherStrength is
/// obsolete); Postfix prints it in Received headers as "(256/256 bits)".
/// </summary>
internal static class TlsCipherStrength
{
    public static int KeyBits(string cipherSuiteName)
    {
        if (cipherSuiteName.Contains("AES_256", StringComparison.Ordinal)
            || cipherSuiteName.Contains("CHACHA20", StringComparison.Ordinal)
            || cipherSuiteName.Contains("CAMELLIA_256", StringComparison.Ordinal)
            || cipherSuiteName.Contains("ARIA_256", StringComparison.Ordinal))
        {
            return 256;
        }

        if (cipherSuiteName.Contains("AES_128", StringComparison.Ordinal)
            || cipherSuiteName.Contains("CAMELLIA_128", StringComparison.Ordinal)
            || cipherSuiteName.Contains("ARIA_128", StringComparison.Ordinal))
        {
            return 128;
        }

        return cipherSuiteName.Contains("3DES", StringComparison.Ordinal) ? 168 : 0;
    }
}
