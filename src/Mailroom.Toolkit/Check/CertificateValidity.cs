using System.Globalization;

namespace Mailroom.Toolkit.Check;

/// <summary>
/// A certificate's issuer and remaining life in words, told the same way by <c>mailroom check</c> (the certificate a
/// server presents in its handshake) and <c>mailroom status</c> (the one this server serves).
/// </summary>
public static class CertificateValidity
{
    /// <summary>Whole days left until <paramref name="notAfter"/>, rounded down (negative once it has expired).</summary>
    public static int DaysLeft(DateTimeOffset notAfter, DateTimeOffset now) => (int)Math.Floor((notAfter - now).TotalDays);

    /// <summary><c>issuer CN=R11, O=Let's Encrypt, C=US; 61 days to expiry</c>.</summary>
    public static string Describe(string issuer, DateTimeOffset notAfter, DateTimeOffset now) =>
        string.Create(CultureInfo.InvariantCulture, $"issuer {issuer}; {DaysLeft(notAfter, now)} days to expiry");
}
