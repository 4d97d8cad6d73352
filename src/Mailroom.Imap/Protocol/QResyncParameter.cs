namespace Mailroom.Imap.Protocol;

/// <summary>
/// The QRESYNC select parameter (RFC 7162 §3.2.5, §7 <c>select-param</c>): what the client remembers of the mailbox,
/// <c>QRESYNC (uidvalidity mod-sequence [known-uids] [(known-sequence-set known-uid-set)])</c>.
/// </summary>
internal sealed record QResyncParameter(uint UidValidity, ulong ModSeq, SequenceSet? KnownUids, SequenceSet? KnownSequenceNumbers, SequenceSet? KnownSequenceUids)
{
    /// <summary>Parses from just after the <c>QRESYNC</c> atom: <c>SP "(" … ")"</c>.</summary>
    /// <exception cref="ImapParseException">The syntax is wrong.</exception>
    public static QResyncParameter Parse(ref ImapArgumentReader reader)
    {
        reader.ReadSpace();
        reader.ReadChar('(');
        long uidValidity = reader.ReadNumber();
        if (uidValidity == 0)
        {
            throw new ImapParseException("QRESYNC UIDVALIDITY must not be 0.");
        }

        reader.ReadSpace();
        ulong modSeq = reader.ReadNumber64();
        SequenceSet? knownUids = null;
        SequenceSet? knownSequenceNumbers = null;
        SequenceSet? knownSequenceUids = null;
        if (reader.TryReadSpace())
        {
            if (!reader.PeekChar('('))
            {
                knownUids = ReadSet(ref reader);
                if (!reader.TryReadSpace())
                {
                    reader.ReadChar(')');
                    return new QResyncParameter((uint)uidValidity, modSeq, knownUids, null, null);
                }
            }

            // seq-match-data = "(" known-sequence-set SP known-uid-set ")"
            reader.ReadChar('(');
            knownSequenceNumbers = ReadSet(ref reader);
            reader.ReadSpace();
            knownSequenceUids = ReadSet(ref reader);
            reader.ReadChar(')');
        }

        reader.ReadChar(')');
        return new QResyncParameter((uint)uidValidity, modSeq, knownUids, knownSequenceNumbers, knownSequenceUids);
    }

    private static SequenceSet ReadSet(ref ImapArgumentReader reader)
    {
        SequenceSet set = reader.ReadSequenceSet();
        if (set.IsSavedResult)
        {
            // "$" is a search result (RFC 5182), not a set the client remembers.
            throw new ImapParseException("Invalid QRESYNC UID set.");
        }

        return set;
    }
}
