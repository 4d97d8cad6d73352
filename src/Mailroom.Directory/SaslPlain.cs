namespace Mailroom.Directory;

/// <summary>
/// The PLAIN mechanism (RFC 4616), decoded once for SMTP AUTH, POP3 AUTH and IMAP AUTHENTICATE, beside the
/// <see cref="LoginGate"/> that checks what it yields.
/// </summary>
public static class SaslPlain
{
    /// <summary>
    /// Decodes a PLAIN response from its base64. False when the response is not base64 of UTF-8 (the protocols answer
    /// that as a syntax error). Otherwise the credentials: RFC 4616 §2 <c>message = [authzid] NUL authcid NUL passwd</c>;
    /// acting for another identity is not supported, so an authzid must name the same user, and a malformed message
    /// yields an empty password, which the login gate fails like a wrong one (counted, throttled, logged).
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> base64, out SaslCredentials credentials)
    {
        if (!SaslResponse.TryDecode(base64, out string? text))
        {
            credentials = default;
            return false;
        }

        credentials = Parse(text);
        return true;
    }

    /// <summary>Splits decoded PLAIN text into its fields (one linear scan for the two NULs).</summary>
    public static SaslCredentials Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int first = text.IndexOf('\0', StringComparison.Ordinal);
        int second = first < 0 ? -1 : text.IndexOf('\0', first + 1);
        if (first < 0 || second < 0)
        {
            return new SaslCredentials("", "");
        }

        string authzid = text[..first];
        string user = text[(first + 1)..second];
        string password = text[(second + 1)..];
        bool wellFormed = user.Length > 0
            && !password.Contains('\0', StringComparison.Ordinal)
            && (authzid.Length == 0 || string.Equals(authzid, user, StringComparison.OrdinalIgnoreCase));
        return wellFormed ? new SaslCredentials(user, password) : new SaslCredentials(password.Contains('\0', StringComparison.Ordinal) ? "" : user, "");
    }
}
