using System.Globalization;
using System.Text;

namespace Mailroom.Queue.Delivery.Remote;

/// <summary>The RFC 3461 §4.2 ORCPT parameter, <c>addr-type;xtext</c>, and its decoded parts.</summary>
internal static class OriginalRecipient
{
    public static bool TryParse(string? parameter, out string? addressType, out string? address)
    {
        addressType = null;
        address = null;
        int semicolon = parameter?.IndexOf(';', StringComparison.Ordinal) ?? -1;
        if (parameter is null || semicolon <= 0)
        {
            return false;
        }

        addressType = parameter[..semicolon];
        address = DecodeXtext(parameter[(semicolon + 1)..]);
        return address.Length > 0;
    }

    /// <summary>RFC 3461 §4: <c>+HH</c> encodes one byte.</summary>
    public static string DecodeXtext(string text)
    {
        if (!text.Contains('+', StringComparison.Ordinal))
        {
            return text;
        }

        var bytes = new List<byte>(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '+' && i + 2 < text.Length
                && byte.TryParse(text.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte b))
            {
                bytes.Add(b);
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }
}
