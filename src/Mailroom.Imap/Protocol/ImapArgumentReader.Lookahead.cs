namespace Mailroom.Imap.Protocol;

/// <summary>Reading a fixed piece of syntax only when it is next (a grammar's optional part that two rules could start).</summary>
internal sealed partial class ImapArgumentReader
{
    /// <summary>
    /// Reads <paramref name="text"/> (ASCII, letters in any case) when it is next and, when it ends in a letter, not
    /// followed by another atom character; otherwise leaves the cursor alone.
    /// </summary>
    public bool TryReadText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int end = _position + text.Length;
        if (end > _data.Length)
        {
            return false;
        }

        for (int i = 0; i < text.Length; i++)
        {
            if (char.ToUpperInvariant((char)Span[_position + i]) != char.ToUpperInvariant(text[i]))
            {
                return false;
            }
        }

        if (text.Length > 0 && char.IsAsciiLetter(text[^1]) && end < _data.Length && IsAtomChar(Span[end]))
        {
            return false;
        }

        _position = end;
        return true;
    }
}
