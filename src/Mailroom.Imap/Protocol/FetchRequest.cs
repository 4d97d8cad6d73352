namespace Mailroom.Imap.Protocol;

/// <summary>
/// The items and modifiers of a FETCH command (RFC 9051 §6.4.5, RFC 3516 BINARY, RFC 7162 §3.1.4 CHANGEDSINCE,
/// RFC 7162 §3.2.6 VANISHED).
/// </summary>
internal sealed class FetchRequest
{
    private readonly List<FetchItem> _items;

    private FetchRequest(List<FetchItem> items, ulong? changedSince, bool vanished)
    {
        _items = items;
        ChangedSince = changedSince;
        Vanished = vanished;
    }

    public IReadOnlyList<FetchItem> Items => _items;

    /// <summary>CHANGEDSINCE: only messages with a greater mod-sequence are returned; MODSEQ is then implied
    /// (RFC 7162 §3.1.4.1) and is already in <see cref="Items"/>.</summary>
    public ulong? ChangedSince { get; }

    /// <summary>VANISHED modifier (RFC 7162 §3.2.6): only valid with UID FETCH and CHANGEDSINCE, the caller checks.</summary>
    public bool Vanished { get; }

    /// <summary>Whether UID is among the items (UID FETCH adds it with <see cref="EnsureUid"/>, RFC 9051 §6.4.9).</summary>
    public bool Uid => _items.Exists(static i => i.Kind == FetchItemKind.Uid);

    /// <summary>Any item needing the message file: body sections, BINARY, RFC822, RFC822.HEADER/TEXT.</summary>
    public bool NeedsContent => _items.Exists(static i => i.Kind is FetchItemKind.BodySection or FetchItemKind.BinarySection
        or FetchItemKind.BinarySize or FetchItemKind.Rfc822 or FetchItemKind.Rfc822Header or FetchItemKind.Rfc822Text);

    /// <summary>
    /// Any item needing the parsed MIME structure: sections with a part, HEADER/TEXT/MIME sections, BINARY,
    /// RFC822.HEADER/TEXT, and ENVELOPE/BODY/BODYSTRUCTURE (these three only when not cached: see
    /// <see cref="NeedsStructure"/>). BODY[] and RFC822 are the whole file and need no parse.
    /// </summary>
    public bool NeedsParsedMessage => _items.Exists(static i => i.Kind switch
    {
        FetchItemKind.BodySection => i.Section!.Part.Count > 0 || i.Section.Kind != SectionKind.Full,
        FetchItemKind.BinarySection or FetchItemKind.BinarySize or FetchItemKind.Rfc822Header or FetchItemKind.Rfc822Text
            or FetchItemKind.Envelope or FetchItemKind.Body or FetchItemKind.BodyStructure => true,
        _ => false,
    });

    /// <summary>ENVELOPE, BODY or BODYSTRUCTURE is requested (served from the store's cache when present).</summary>
    public bool NeedsStructure => _items.Exists(static i => i.Kind is FetchItemKind.Envelope or FetchItemKind.Body or FetchItemKind.BodyStructure);

    /// <summary>Whether any item sets \Seen when fetched (so a read-write session must store it).</summary>
    public bool SetsSeen => _items.Exists(static i => i.SetsSeen);

    /// <summary>Adds the UID item if missing (UID FETCH always returns UID, RFC 9051 §6.4.9).</summary>
    public void EnsureUid()
    {
        if (!Uid)
        {
            _items.Insert(0, new FetchItem(FetchItemKind.Uid, null, false, null, null));
        }
    }

    /// <summary>
    /// Parses from just after the sequence set's following space: a macro (ALL, FAST, FULL), one item or a
    /// parenthesised list, then optional modifiers " (CHANGEDSINCE n VANISHED)". Does not read the end of the command.
    /// </summary>
    public static FetchRequest Parse(ref ImapArgumentReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        List<FetchItem> items = [];
        if (reader.PeekChar('('))
        {
            reader.ReadChar('(');
            while (true)
            {
                items.Add(FetchItemParser.ParseItem(reader));
                if (reader.PeekChar(')'))
                {
                    reader.ReadChar(')');
                    break;
                }

                reader.ReadSpace();
            }
        }
        else if (!TryExpandMacro(reader, items))
        {
            items.Add(FetchItemParser.ParseItem(reader));
        }

        ulong? changedSince = null;
        bool vanished = false;
        if (reader.TryReadSpace())
        {
            ParseModifiers(reader, ref changedSince, ref vanished);
        }

        if (changedSince is not null && !items.Exists(static i => i.Kind == FetchItemKind.ModSeq))
        {
            items.Add(new FetchItem(FetchItemKind.ModSeq, null, false, null, null));
        }

        return new FetchRequest(items, changedSince, vanished);
    }

    /// <summary>
    /// A parenthesised list of fetch-att and nothing else (NOTIFY's MessageNew attributes, RFC 5465 §8: no macros,
    /// no modifiers).
    /// </summary>
    public static FetchRequest ParseList(ImapArgumentReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        List<FetchItem> items = [];
        reader.ReadChar('(');
        while (true)
        {
            items.Add(FetchItemParser.ParseItem(reader));
            if (reader.PeekChar(')'))
            {
                reader.ReadChar(')');
                return new FetchRequest(items, null, false);
            }

            reader.ReadSpace();
        }
    }

    // RFC 9051 §6.4.5: ALL = (FLAGS INTERNALDATE RFC822.SIZE ENVELOPE), FAST = (FLAGS INTERNALDATE RFC822.SIZE),
    // FULL = (FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODY). Macros cannot be in a list.
    private static bool TryExpandMacro(ImapArgumentReader reader, List<FetchItem> items)
    {
        foreach (string macro in (string[])["ALL", "FAST", "FULL"])
        {
            if (!reader.TryReadKeyword(macro))
            {
                continue;
            }

            items.Add(new FetchItem(FetchItemKind.Flags, null, false, null, null));
            items.Add(new FetchItem(FetchItemKind.InternalDate, null, false, null, null));
            items.Add(new FetchItem(FetchItemKind.Rfc822Size, null, false, null, null));
            if (macro != "FAST")
            {
                items.Add(new FetchItem(FetchItemKind.Envelope, null, false, null, null));
            }

            if (macro == "FULL")
            {
                items.Add(new FetchItem(FetchItemKind.Body, null, false, null, null));
            }

            return true;
        }

        return false;
    }

    private static void ParseModifiers(ImapArgumentReader reader, ref ulong? changedSince, ref bool vanished)
    {
        reader.ReadChar('(');
        while (true)
        {
            string name = reader.ReadAtom().ToUpperInvariant();
            switch (name)
            {
                case "CHANGEDSINCE" when changedSince is null:
                    reader.ReadSpace();
                    changedSince = reader.ReadNumber64();
                    break;
                case "VANISHED" when !vanished:
                    vanished = true;
                    break;
                default:
                    throw new ImapParseException("Unknown or repeated FETCH modifier " + name);
            }

            if (reader.PeekChar(')'))
            {
                reader.ReadChar(')');
                return;
            }

            reader.ReadSpace();
        }
    }
}
