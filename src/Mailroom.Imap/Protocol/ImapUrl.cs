using System.Globalization;
using System.Text;

namespace Mailroom.Imap.Protocol;

/// <summary>
/// An IMAP URL naming a message or a part of one (RFC 5092 §6 "imessagepart"), as CATENATE takes it (RFC 4469 §3):
/// absolute (<c>imap://[user[;AUTH=*]@]host[:port]/mailbox[;UIDVALIDITY=n]/;UID=n[/;SECTION=s][/;PARTIAL=o[.l]]</c>),
/// an absolute path (<c>/mailbox…</c>), or relative to the selected mailbox (<c>;UID=n…</c>, RFC 3986 §5.2 with the
/// selected mailbox's URL as base). Anything else (URLAUTH, a search, another server or user) is not one.
/// Parsing is one pass over a string the command size already bounds.
/// </summary>
internal sealed record ImapUrl(string? Mailbox, uint? UidValidity, uint Uid, string? Section, long? PartialOffset, long? PartialLength)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Parses <paramref name="text"/>; an absolute URL must name <paramref name="user"/> (or no user) and a host
    /// <paramref name="isThisServer"/> accepts. <see cref="Mailbox"/> is null for a URL relative to the selected mailbox.
    /// </summary>
    public static bool TryParse(string text, string user, Func<string, bool> isThisServer, out ImapUrl? url)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(isThisServer);
        url = null;
        foreach (char c in text)
        {
            // RFC 3986 §2: a URL is printable ASCII without spaces.
            if (c is <= ' ' or > '~')
            {
                return false;
            }
        }

        string path = text;
        if (text.StartsWith("imap://", StringComparison.OrdinalIgnoreCase))
        {
            int slash = text.IndexOf('/', 7);
            if (slash < 0 || !IsThisServer(text[7..slash], user, isThisServer))
            {
                return false;
            }

            path = text[slash..];
        }

        string[] chunks = path.Split(';');
        string? mailbox;
        if (chunks[0].Length == 0)
        {
            // ";UID=…": RFC 3986 §5.2.2 merges it with the base, the selected mailbox's URL.
            mailbox = null;
        }
        else if (chunks[0].Length > 1 && chunks[0][0] == '/' && TryDecode(chunks.Length > 1 && chunks[0].EndsWith('/') ? chunks[0][1..^1] : chunks[0][1..], out string decoded)
            && !decoded.Split('/').Contains(""))
        {
            mailbox = decoded.Equals("INBOX", StringComparison.OrdinalIgnoreCase) ? "INBOX" : decoded;
        }
        else
        {
            return false;
        }

        uint? uidValidity = null;
        uint uid = 0;
        string? section = null;
        long? offset = null;
        long? length = null;
        int stage = 0;
        for (int i = 1; i < chunks.Length; i++)
        {
            string previous = chunks[i - 1];
            bool slashBefore = previous.EndsWith('/');
            int equals = chunks[i].IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                return false;
            }

            // The "/" that ends a chunk belongs to the next parameter ("/;UID=", "/;SECTION=", "/;PARTIAL=").
            string key = chunks[i][..equals].ToUpperInvariant();
            string value = chunks[i][(equals + 1)..];
            if (i + 1 < chunks.Length && value.EndsWith('/'))
            {
                value = value[..^1];
            }

            switch (key)
            {
                // enc-mailbox [uidvalidity] iuid: UIDVALIDITY follows the name directly, the others a "/".
                case "UIDVALIDITY" when stage == 0 && mailbox is not null && !slashBefore && TryParseNumber(value, out uint validity):
                    uidValidity = validity;
                    stage = 1;
                    break;
                case "UID" when stage <= 1 && (slashBefore || (i == 1 && mailbox is null)) && TryParseNumber(value, out uint number):
                    uid = number;
                    stage = 2;
                    break;
                case "SECTION" when stage == 2 && slashBefore && TryDecode(value, out string decodedSection) && decodedSection.Length > 0:
                    section = decodedSection;
                    stage = 3;
                    break;
                case "PARTIAL" when stage is 2 or 3 && slashBefore && TryParsePartial(value, out offset, out length):
                    stage = 4;
                    break;
                default:
                    return false;
            }
        }

        if (uid == 0 || (chunks.Length > 1 && chunks[^1].EndsWith('/')))
        {
            return false;
        }

        url = new ImapUrl(mailbox, uidValidity, uid, section, offset, length);
        return true;
    }

    // iserver = [iuserinfo "@"] host [":" port]; iuserinfo = enc-user [iauth] / [enc-user] iauth (RFC 5092 §11).
    private static bool IsThisServer(string authority, string user, Func<string, bool> isThisServer)
    {
        int at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            string userInfo = authority[..at];
            int auth = userInfo.IndexOf(";AUTH=", StringComparison.OrdinalIgnoreCase);
            string encodedUser = auth >= 0 ? userInfo[..auth] : userInfo;
            if (encodedUser.Length > 0 && (!TryDecode(encodedUser, out string named) || !named.Equals(user, StringComparison.OrdinalIgnoreCase)))
            {
                return false;
            }
        }

        string host = authority[(at + 1)..];
        int colon = host.LastIndexOf(':');
        if (colon >= 0 && !host.EndsWith(']'))
        {
            if (!ushort.TryParse(host.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                return false;
            }

            host = host[..colon];
        }

        return host.Length > 0 && isThisServer(host.Trim('[', ']'));
    }

    // nz-number (RFC 9051 §9): no leading zero, fits 32 bits.
    private static bool TryParseNumber(string text, out uint value)
    {
        value = 0;
        return text.Length > 0 && text[0] != '0'
            && uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    // partial-range = number ["." nz-number] (RFC 5092 §11).
    private static bool TryParsePartial(string text, out long? offset, out long? length)
    {
        offset = null;
        length = null;
        int dot = text.IndexOf('.', StringComparison.Ordinal);
        string first = dot < 0 ? text : text[..dot];
        if (first.Length == 0 || (first.Length > 1 && first[0] == '0')
            || !uint.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out uint start))
        {
            return false;
        }

        offset = start;
        if (dot >= 0)
        {
            if (!TryParseNumber(text[(dot + 1)..], out uint count))
            {
                return false;
            }

            length = count;
        }

        return true;
    }

    // Percent-encoded UTF-8 (RFC 5092 §3.3, RFC 3986 §2.1).
    private static bool TryDecode(string text, out string decoded)
    {
        decoded = "";
        if (!text.Contains('%', StringComparison.Ordinal))
        {
            decoded = text;
            return true;
        }

        var bytes = new List<byte>(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] != '%')
            {
                bytes.Add((byte)text[i]);
                continue;
            }

            if (i + 2 >= text.Length
                || !byte.TryParse(text.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte value))
            {
                return false;
            }

            bytes.Add(value);
            i += 2;
        }

        try
        {
            decoded = StrictUtf8.GetString(bytes.ToArray());
            return !decoded.Contains('\0', StringComparison.Ordinal);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
