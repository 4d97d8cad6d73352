namespace Mailroom.Imap.Commands;

/// <summary>APPEND's CATENATE form (RFC 4469 §5).</summary>
internal sealed partial class AppendCommand
{
    /// <summary>
    /// <c>"CATENATE" SP "(" cat-part *(SP cat-part) ")"</c>, with <c>cat-part = "TEXT" SP literal / "URL" SP astring</c>;
    /// the cursor is after the keyword. Data parts stay where the session put them (buffer or spool file).
    /// </summary>
    private static List<CatenatePart> ReadCatenateParts(Protocol.ImapArgumentReader reader)
    {
        var parts = new List<CatenatePart>();
        try
        {
            reader.ReadSpace();
            reader.ReadChar('(');
            while (true)
            {
                if (reader.TryReadKeyword("TEXT"))
                {
                    reader.ReadSpace();
                    if (!reader.PeekChar('{') && !reader.PeekChar('~'))
                    {
                        throw new Protocol.ImapParseException("CATENATE TEXT takes a literal");
                    }

                    parts.Add(CatenatePart.FromText(reader.ReadMessage(out _)));
                }
                else if (reader.TryReadKeyword("URL"))
                {
                    reader.ReadSpace();
                    parts.Add(CatenatePart.FromUrl(reader.ReadAString()));
                }
                else
                {
                    throw new Protocol.ImapParseException("Expected TEXT or URL in CATENATE");
                }

                if (reader.PeekChar(')'))
                {
                    reader.ReadChar(')');
                    return parts;
                }

                reader.ReadSpace();
            }
        }
        catch
        {
            foreach (CatenatePart part in parts)
            {
                part.Text?.Dispose();
            }

            throw;
        }
    }
}
