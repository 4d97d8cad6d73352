namespace Mailroom.Fuzz.Targets;

/// <summary>
/// Checks that a formatted response fragment (ENVELOPE, BODYSTRUCTURE) is well-formed IMAP data (RFC 9051 §4):
/// balanced parentheses, quoted strings with only <c>\"</c> and <c>\\</c> escaped and no CR, LF or NUL, literals
/// whose announced length is there. A message's header text must never be able to break the response framing.
/// </summary>
internal static class ImapSyntax
{
    public static void CheckData(ReadOnlySpan<byte> data, string what)
    {
        int depth = 0;
        int i = 0;
        while (i < data.Length)
        {
            byte b = data[i];
            switch (b)
            {
                case (byte)'(':
                    depth++;
                    i++;
                    break;
                case (byte)')':
                    if (--depth < 0)
                    {
                        throw new FuzzFailureException($"{what}: unbalanced ')' at {i}");
                    }

                    i++;
                    break;
                case (byte)'"':
                    i = SkipQuoted(data, i, what);
                    break;
                case (byte)'{':
                    i = SkipLiteral(data, i, what);
                    break;
                case (byte)'\r' or (byte)'\n' or 0:
                    throw new FuzzFailureException($"{what}: CR, LF or NUL outside a literal at {i}");
                default:
                    i++;
                    break;
            }
        }

        if (depth != 0)
        {
            throw new FuzzFailureException($"{what}: {depth} unclosed '('");
        }
    }

    private static int SkipQuoted(ReadOnlySpan<byte> data, int start, string what)
    {
        for (int i = start + 1; i < data.Length; i++)
        {
            switch (data[i])
            {
                case (byte)'"':
                    return i + 1;
                case (byte)'\\':
                    if (i + 1 >= data.Length || data[i + 1] is not ((byte)'"' or (byte)'\\'))
                    {
                        throw new FuzzFailureException($"{what}: bad escape in a quoted string at {i}");
                    }

                    i++;
                    break;
                case (byte)'\r' or (byte)'\n' or 0:
                    throw new FuzzFailureException($"{what}: CR, LF or NUL in a quoted string at {i}");
            }
        }

        throw new FuzzFailureException($"{what}: unterminated quoted string at {start}");
    }

    private static int SkipLiteral(ReadOnlySpan<byte> data, int start, string what)
    {
        int close = data[start..].IndexOf((byte)'}');
        if (close < 0 || !long.TryParse(data.Slice(start + 1, close - 1).TrimEnd((byte)'+'), out long length))
        {
            throw new FuzzFailureException($"{what}: malformed literal at {start}");
        }

        int body = start + close + 3;
        if (body > data.Length || data[start + close + 1] != (byte)'\r' || data[start + close + 2] != (byte)'\n' || length > data.Length - body)
        {
            throw new FuzzFailureException($"{what}: literal at {start} is not followed by CRLF and its {length} bytes");
        }

        return body + (int)length;
    }
}
