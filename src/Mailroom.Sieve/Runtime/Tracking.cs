using System.Security.Cryptography;
using System.Text;

namespace Mailroom.Sieve.Runtime;

/// <summary>Keys of the tracking records: a hash of what identifies the event, so the store holds no addresses or ids in clear.</summary>
internal static class Tracking
{
    public static string Key(string kind, string handle, string value)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\0', kind, handle, value)));
        return kind + ":" + Convert.ToHexStringLower(hash);
    }
}
