namespace Mailroom.Policy.Milter;

/// <summary>One header field as it is in the message: its name and its exact bytes (name, colon, value, folding, final CRLF).</summary>
internal sealed record MessageHeaderField(string Name, byte[] Raw)
{
    /// <summary>The value as a milter gets it: after the colon, leading blanks removed unless asked to keep them, folds as LF, no final CRLF.</summary>
    public byte[] MilterValue(bool keepLeadingSpace)
    {
        ReadOnlySpan<byte> value = Raw.AsSpan(Name.Length + 1);
        if (value.EndsWith("\r\n"u8))
        {
            value = value[..^2];
        }

        if (!keepLeadingSpace)
        {
            value = value.TrimStart(" \t"u8);
        }

        var result = new byte[value.Length];
        int length = 0;
        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] == (byte)'\r' && i + 1 < value.Length && value[i + 1] == (byte)'\n')
            {
                continue;
            }

            result[length++] = value[i];
        }

        return result.AsSpan(0, length).ToArray();
    }
}
