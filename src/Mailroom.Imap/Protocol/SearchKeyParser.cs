using Mailroom.Store.Mailboxes;

namespace Mailroom.Imap.Protocol;

/// <summary>
/// Parses search-keys (RFC 9051 §9, RFC 3501 §9, RFC 7162 §7): recursion bounded by the nesting limit, and the keys of
/// one command counted against the key limit (each costs a pass over every message searched).
/// </summary>
internal sealed class SearchKeyParser(int maxDepth, int maxKeys)
{
    private int _keys;

    public SearchKey ParseKey(ImapArgumentReader reader, int depth)
    {
        if (depth >= maxDepth)
        {
            throw new ImapParseException("Search criteria nested too deeply");
        }

        if (++_keys > maxKeys)
        {
            throw new ImapLimitException("Too many search keys.");
        }

        int next = reader.PeekByte();
        if (next == '(')
        {
            reader.ReadChar('(');
            List<SearchKey> keys = [ParseKey(reader, depth + 1)];
            while (reader.TryReadSpace())
            {
                keys.Add(ParseKey(reader, depth + 1));
            }

            reader.ReadChar(')');
            return keys.Count == 1 ? keys[0] : new SearchKey.And(keys);
        }

        if (next is (>= '0' and <= '9') or '*' or '$')
        {
            return new SearchKey.Sequence(reader.ReadSequenceSet());
        }

        if (next == -1)
        {
            throw new ImapParseException("Missing search criteria");
        }

        string name = reader.ReadAtom().ToUpperInvariant();
        return name switch
        {
            "ALL" => new SearchKey.All(),
            "ANSWERED" => new SearchKey.Flag(MessageFlags.Answered, true),
            "DELETED" => new SearchKey.Flag(MessageFlags.Deleted, true),
            "DRAFT" => new SearchKey.Flag(MessageFlags.Draft, true),
            "FLAGGED" => new SearchKey.Flag(MessageFlags.Flagged, true),
            "SEEN" => new SearchKey.Flag(MessageFlags.Seen, true),
            "UNANSWERED" => new SearchKey.Flag(MessageFlags.Answered, false),
            "UNDELETED" => new SearchKey.Flag(MessageFlags.Deleted, false),
            "UNDRAFT" => new SearchKey.Flag(MessageFlags.Draft, false),
            "UNFLAGGED" => new SearchKey.Flag(MessageFlags.Flagged, false),
            "UNSEEN" => new SearchKey.Flag(MessageFlags.Seen, false),
            "RECENT" => new SearchKey.Recent(true),
            "OLD" => new SearchKey.Recent(false),
            // RFC 3501: NEW = RECENT UNSEEN.
            "NEW" => new SearchKey.And([new SearchKey.Recent(true), new SearchKey.Flag(MessageFlags.Seen, false)]),
            "KEYWORD" => new SearchKey.Keyword(ReadArgument(reader, static r => ReadFlagKeyword(r)), true),
            "UNKEYWORD" => new SearchKey.Keyword(ReadArgument(reader, static r => ReadFlagKeyword(r)), false),
            "BCC" or "CC" or "FROM" or "TO" => new SearchKey.Header(HeaderName(name), ReadArgument(reader, static r => r.ReadAString()), IsAddressSearch: true),
            "SUBJECT" => new SearchKey.Header("Subject", ReadArgument(reader, static r => r.ReadAString())),
            "HEADER" => new SearchKey.Header(ReadArgument(reader, static r => r.ReadAString()), ReadArgument(reader, static r => r.ReadAString())),
            "BODY" => new SearchKey.Body(ReadArgument(reader, static r => r.ReadAString())),
            "TEXT" => new SearchKey.Text(ReadArgument(reader, static r => r.ReadAString())),
            "BEFORE" => new SearchKey.InternalDate(SearchKey.DateComparison.Before, ReadArgument(reader, static r => r.ReadDate())),
            "ON" => new SearchKey.InternalDate(SearchKey.DateComparison.On, ReadArgument(reader, static r => r.ReadDate())),
            "SINCE" => new SearchKey.InternalDate(SearchKey.DateComparison.Since, ReadArgument(reader, static r => r.ReadDate())),
            "SENTBEFORE" => new SearchKey.SentDate(SearchKey.DateComparison.Before, ReadArgument(reader, static r => r.ReadDate())),
            "SENTON" => new SearchKey.SentDate(SearchKey.DateComparison.On, ReadArgument(reader, static r => r.ReadDate())),
            "SENTSINCE" => new SearchKey.SentDate(SearchKey.DateComparison.Since, ReadArgument(reader, static r => r.ReadDate())),
            "LARGER" => new SearchKey.Size(true, ReadArgument(reader, static r => r.ReadNumber64())),
            "SMALLER" => new SearchKey.Size(false, ReadArgument(reader, static r => r.ReadNumber64())),
            "UID" => new SearchKey.Uid(ReadArgument(reader, static r => r.ReadSequenceSet())),
            "NOT" => new SearchKey.Not(ReadArgument(reader, r => ParseKey(r, depth + 1))),
            "OR" => ParseOr(reader, depth),
            "MODSEQ" => ParseModSeq(reader),
            "EMAILID" => new SearchKey.EmailId(ReadArgument(reader, static r => ReadObjectId(r))),
            "THREADID" => new SearchKey.ThreadId(ReadArgument(reader, static r => ReadObjectId(r))),
            "SAVEDBEFORE" => new SearchKey.SaveDate(SearchKey.DateComparison.Before, ReadArgument(reader, static r => r.ReadDate())),
            "SAVEDON" => new SearchKey.SaveDate(SearchKey.DateComparison.On, ReadArgument(reader, static r => r.ReadDate())),
            "SAVEDSINCE" => new SearchKey.SaveDate(SearchKey.DateComparison.Since, ReadArgument(reader, static r => r.ReadDate())),
            "SAVEDATESUPPORTED" => new SearchKey.SaveDateSupported(),
            _ => throw new ImapParseException("Unknown search criterion " + name),
        };
    }

    private SearchKey ParseOr(ImapArgumentReader reader, int depth)
    {
        reader.ReadSpace();
        SearchKey left = ParseKey(reader, depth + 1);
        reader.ReadSpace();
        SearchKey right = ParseKey(reader, depth + 1);
        return new SearchKey.Or(left, right);
    }

    // search-modsequence = "MODSEQ" [SP entry-name SP entry-type-req] SP mod-sequence-valzer (RFC 7162 §7)
    private static SearchKey ParseModSeq(ImapArgumentReader reader)
    {
        reader.ReadSpace();
        string? entryName = null;
        string? entryType = null;
        if (reader.PeekChar('"'))
        {
            entryName = reader.ReadAString();
            reader.ReadSpace();
            entryType = reader.ReadAtom().ToLowerInvariant();
            if (entryType is not ("priv" or "shared" or "all"))
            {
                throw new ImapParseException("Invalid MODSEQ entry type");
            }

            reader.ReadSpace();
        }

        return new SearchKey.ModSeq(reader.ReadNumber64(), entryName, entryType);
    }

    private static T ReadArgument<T>(ImapArgumentReader reader, Func<ImapArgumentReader, T> read)
    {
        reader.ReadSpace();
        return read(reader);
    }

    // RFC 8474 §7: objectid = 1*255(ALPHA / DIGIT / "_" / "-"), sent as an atom.
    private static string ReadObjectId(ImapArgumentReader reader)
    {
        string id = reader.ReadAtom();
        return ObjectIds.IsValid(id) ? id : throw new ImapParseException("Invalid object id");
    }

    // flag-keyword = atom; system flags ("\Seen") are not keywords.
    private static string ReadFlagKeyword(ImapArgumentReader reader) => reader.ReadAtom();

    private static string HeaderName(string key) => key switch
    {
        "BCC" => "Bcc",
        "CC" => "Cc",
        "FROM" => "From",
        _ => "To",
    };
}
