using System.Text;
using MimeKit;

namespace Mailroom.Sieve.Language.Tests;

/// <summary>
/// The addresses in a header field as the address test sees them (RFC 5228 §5.1): each mailbox, group members
/// included, parsed up to the first invalid one; a field with no valid address at all is compared as its whole raw
/// value (Pigeonhole does both, so that <c>undisclosed-recipients:;</c> or junk can still be matched).
/// </summary>
internal static class HeaderAddresses
{
    /// <param name="Local">The local part.</param>
    /// <param name="Domain">The domain, empty for a value that is not an address.</param>
    /// <param name="Raw">The whole value when the field held no valid address.</param>
    public readonly record struct Entry(string Local, string Domain, string? Raw);

    public static List<Entry> Parse(Header header)
    {
        var entries = new List<Entry>();
        string raw = header.RawValue is { } bytes ? Encoding.UTF8.GetString(bytes) : header.Value;
        foreach (string piece in SplitTopLevel(raw))
        {
            if (piece.Trim().Length == 0)
            {
                continue;
            }

            if (!InternetAddressList.TryParse(ParserOptions.Default, piece, out InternetAddressList? list))
            {
                break;
            }

            foreach (MailboxAddress mailbox in list.Mailboxes)
            {
                entries.Add(new Entry(mailbox.LocalPart, mailbox.Domain ?? "", null));
            }
        }

        if (entries.Count == 0)
        {
            entries.Add(new Entry("", "", Runtime.SieveMessage.Decode(header)));
        }

        return entries;
    }

    /// <summary>Splits an address list at the commas between addresses (not inside quotes, comments, angle brackets or groups).</summary>
    private static List<string> SplitTopLevel(string value)
    {
        var pieces = new List<string>();
        int depth = 0;
        bool quoted = false;
        bool angle = false;
        bool group = false;
        int start = 0;
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (quoted)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }

                continue;
            }

            switch (c)
            {
                case '"' when depth == 0:
                    quoted = true;
                    break;
                case '(':
                    depth++;
                    break;
                case ')' when depth > 0:
                    depth--;
                    break;
                case '<' when depth == 0:
                    angle = true;
                    break;
                case '>' when depth == 0:
                    angle = false;
                    break;
                case ':' when depth == 0 && !angle:
                    group = true;
                    break;
                case ';' when depth == 0 && !angle && group:
                    group = false;
                    break;
                case ',' when depth == 0 && !angle && !group:
                    pieces.Add(value[start..i]);
                    start = i + 1;
                    break;
            }
        }

        pieces.Add(value[start..]);
        return pieces;
    }
}
