using Mailroom.Imap.Protocol;

namespace Mailroom.Fuzz.Targets;

/// <summary>
/// One IMAP command as the session assembles it (lines and literals, RFC 9051 §4.3, literal+ and literal8), read with
/// the argument reader the way each command's handler reads it: tags, atoms, astrings, mailbox names (modified UTF-7
/// or UTF-8), SEARCH keys, FETCH items, sequence sets, flag lists, dates, APPEND message data. Malformed input may
/// only ever raise <see cref="ImapParseException"/>. The first byte picks UTF8=ACCEPT (bit 0) and the literal split.
/// </summary>
internal sealed class ImapCommandTarget : FuzzTarget
{
    // Smaller than the defaults (64 and 1000), so that fuzzed commands reach both limits.
    private const int MaxSearchDepth = 8;
    private const int MaxSearchKeys = 50;

    public override string Name => "imap-command";

    public override string Description => "IMAP command assembly and argument reader: literals, SEARCH, FETCH, STORE, APPEND, names";

    public override string? Dictionary => "imap.dict";

    public override void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }

        bool utf8 = (input[0] & 1) != 0;
        ImapCommandBuffer? command = ImapCommandAssembler.Assemble(input[1..], input[0]);
        if (command is null)
        {
            return;
        }

        try
        {
            Read(new ImapArgumentReader(command), utf8);
        }
        catch (ImapParseException)
        {
            // The session answers BAD with the message; the expected outcome for most inputs.
        }
        catch (ImapRefusalException)
        {
            // Valid syntax the server refuses (a mailbox name that is not modified UTF-7): the session answers NO.
        }
        finally
        {
            command.Reset();
        }
    }

    private static void Read(ImapArgumentReader reader, bool utf8)
    {
        reader.ReadTag();
        reader.ReadSpace();
        string name = reader.ReadAtom().ToUpperInvariant();
        if (name == "UID")
        {
            reader.ReadSpace();
            name = reader.ReadAtom().ToUpperInvariant();
        }

        switch (name)
        {
            case "SEARCH":
                reader.ReadSpace();
                CheckSearch(SearchRequest.Parse(ref reader, allowReturnOptions: true, MaxSearchDepth, MaxSearchKeys));
                break;
            case "FETCH":
                reader.ReadSpace();
                Use(reader.ReadSequenceSet());
                reader.ReadSpace();
                FetchRequest request = FetchRequest.Parse(ref reader);
                reader.ReadEnd();
                foreach (FetchItem item in request.Items)
                {
                    _ = item.ToResponseName();
                    _ = item.Section?.ToWireString();
                }

                break;
            case "STORE":
                reader.ReadSpace();
                Use(reader.ReadSequenceSet());
                reader.ReadSpace();
                if (reader.PeekChar('('))
                {
                    Use(reader.ReadParenthesizedAtoms());
                    reader.ReadSpace();
                }

                reader.ReadAtom();
                reader.ReadSpace();
                if (reader.PeekChar('('))
                {
                    Use(reader.ReadParenthesizedAtoms());
                }
                else
                {
                    reader.ReadAtom();
                }

                reader.ReadEnd();
                break;
            case "COPY" or "MOVE":
                reader.ReadSpace();
                Use(reader.ReadSequenceSet());
                reader.ReadSpace();
                reader.ReadMailboxName(utf8);
                reader.ReadEnd();
                break;
            case "APPEND":
                ReadAppend(reader, utf8);
                break;
            case "LIST" or "LSUB":
                reader.ReadSpace();
                if (reader.PeekChar('('))
                {
                    Use(reader.ReadParenthesizedAtoms());
                    reader.ReadSpace();
                }

                reader.ReadMailboxName(utf8);
                reader.ReadSpace();
                reader.ReadListMailbox(utf8);
                if (reader.TryReadSpace() && reader.TryReadKeyword("RETURN"))
                {
                    reader.ReadSpace();
                    Use(reader.ReadParenthesizedAtoms());
                }

                reader.ReadEnd();
                break;
            case "LOGIN":
                reader.ReadSpace();
                reader.ReadAString();
                reader.ReadSpace();
                reader.ReadAString();
                reader.ReadEnd();
                break;
            case "STATUS":
                reader.ReadSpace();
                reader.ReadMailboxName(utf8);
                reader.ReadSpace();
                Use(reader.ReadParenthesizedAtoms());
                reader.ReadEnd();
                break;
            case "RENAME":
                reader.ReadSpace();
                reader.ReadMailboxName(utf8);
                reader.ReadSpace();
                reader.ReadMailboxName(utf8);
                reader.ReadEnd();
                break;
            case "ID":
                reader.ReadSpace();
                if (!reader.TryReadNil())
                {
                    Use(reader.ReadParenthesizedAtoms());
                }

                reader.ReadEnd();
                break;
            default:
                // SELECT, EXAMINE, CREATE, DELETE, SUBSCRIBE and the rest: a mailbox name, then anything the
                // reader can read, in turn, until the end.
                reader.ReadSpace();
                reader.ReadMailboxName(utf8);
                while (reader.TryReadSpace())
                {
                    _ = reader.ReadNString();
                }

                reader.ReadEnd();
                break;
        }
    }

    private static void ReadAppend(ImapArgumentReader reader, bool utf8)
    {
        reader.ReadSpace();
        reader.ReadMailboxName(utf8);
        reader.ReadSpace();
        if (reader.PeekChar('('))
        {
            Use(reader.ReadParenthesizedAtoms());
            reader.ReadSpace();
        }

        if (reader.PeekChar('"'))
        {
            _ = reader.ReadDateTime();
            reader.ReadSpace();
        }

        using Stream message = reader.ReadMessage(out _);
        message.CopyTo(Stream.Null);
        reader.ReadEnd();
    }

    /// <summary>
    /// A parsed search stays within its limits: keys nested at most <see cref="MaxSearchDepth"/> deep and at most
    /// <see cref="MaxSearchKeys"/> of them (the top-level list and NEW, which is RECENT UNSEEN, add one level each).
    /// </summary>
    private static void CheckSearch(SearchRequest search)
    {
        int keys = 0;
        int deepest = 0;
        Stack<(SearchKey Key, int Depth)> pending = new([(search.Key, 0)]);
        while (pending.TryPop(out (SearchKey Key, int Depth) entry))
        {
            deepest = Math.Max(deepest, entry.Depth);
            switch (entry.Key)
            {
                case SearchKey.And and:
                    foreach (SearchKey key in and.Keys)
                    {
                        pending.Push((key, entry.Depth + 1));
                    }

                    break;
                case SearchKey.Or or:
                    pending.Push((or.Left, entry.Depth + 1));
                    pending.Push((or.Right, entry.Depth + 1));
                    break;
                case SearchKey.Not not:
                    pending.Push((not.Key, entry.Depth + 1));
                    break;
                default:
                    keys++;
                    break;
            }
        }

        if (keys > 2 * MaxSearchKeys || deepest > MaxSearchDepth + 2)
        {
            throw new FuzzFailureException($"a search of {keys} keys nested {deepest} deep passed limits of {MaxSearchKeys} keys and depth {MaxSearchDepth}");
        }
    }

    private static void Use(SequenceSet set)
    {
        if (!set.IsSavedResult)
        {
            _ = set.ToSequenceNumbers(20);
            _ = set.ToUids([1, 2, 3, 10, 4_000_000_000]);
            _ = set.ToString();
        }
    }

    private static void Use(List<string> atoms)
    {
        if (atoms.Count > 1 << 20)
        {
            throw new FuzzFailureException("more atoms than bytes");
        }
    }
}
