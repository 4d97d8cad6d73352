using Mailroom.Store.Mailboxes;

namespace Mailroom.Store.Maildir;

/// <summary>Files the index does not know: put into the folder by another program, or numbered before a cache was lost.</summary>
internal sealed partial class MaildirFolder
{
    /// <summary>
    /// Reads the files the index does not know (<paramref name="numbered"/> have a UID in the uidlist, <paramref name="fresh"/>
    /// none) and adds their records; fresh ones get UIDs in delivery order, made durable in the uidlist before anyone sees
    /// them. A file gone meanwhile is left out. Returns their index entries: what a delivery computed while writing them
    /// (kept by base name until now), else, when <paramref name="describe"/> (a reader that shows them: not POP3, which
    /// never asks), the header fields read from the files, on every core at once (<see cref="FoundFileReader"/>).
    /// </summary>
    private List<(uint Uid, byte[]?[] Values)> AddFound(
        List<(uint Uid, string BaseName, string File)> numbered,
        List<(string BaseName, string File)> fresh,
        ulong modSeq,
        List<MessageRecord> messages,
        List<MessageRecord> upserts,
        bool describe)
    {
        var indexed = new List<(uint Uid, byte[]?[] Values)>();
        if (numbered.Count == 0 && fresh.Count == 0)
        {
            return indexed;
        }

        MaildirFileName.SortByDeliveryOrder(fresh, static f => f.BaseName);
        var files = new List<(string BaseName, string File)>(numbered.Count + fresh.Count);
        files.AddRange(numbered.Select(static n => (n.BaseName, n.File)));
        files.AddRange(fresh);
        Dictionary<string, byte[]?[]> delivered = FolderNames.IsInbox(_name)
            ? _owner.Index.TakeDelivered(_name, [.. files.Select(static f => f.BaseName)], _time.GetUtcNow())
            : [];
        IMessageIndexer? indexer = describe ? _owner.Store.Indexer : null;
        FoundFile?[] read = FoundFileReader.Read(_path, files, i => delivered.ContainsKey(files[i].BaseName) ? null : indexer, _logger);

        for (int i = 0; i < numbered.Count; i++)
        {
            if (read[i] is { } found)
            {
                // Known UID, no row: its mod-sequence is the folder's current one, as the rows the cache lost had at most.
                MessageRecord record = Record(numbered[i].Uid, numbered[i].BaseName, numbered[i].File, found, _highestModSeq);
                Add(record, numbered[i].File, delivered.GetValueOrDefault(record.BaseName) ?? found.Values);
            }
        }

        var added = new List<(MessageRecord Record, string File, byte[]?[]? Values)>(fresh.Count);
        for (int i = 0; i < fresh.Count; i++)
        {
            if (read[numbered.Count + i] is { } found)
            {
                added.Add((Record(0, fresh[i].BaseName, fresh[i].File, found, modSeq), fresh[i].File, delivered.GetValueOrDefault(fresh[i].BaseName) ?? found.Values));
            }
        }

        uint[] assigned = _uids!.Assign([.. added.Select(static a => a.Record.BaseName)]);
        for (int i = 0; i < assigned.Length; i++)
        {
            Add(added[i].Record with { Uid = assigned[i] }, added[i].File, added[i].Values);
        }

        return indexed;

        void Add(MessageRecord record, string file, byte[]?[]? values)
        {
            SetFile(record, file);
            messages.Add(record);
            upserts.Add(record);
            if (values is not null)
            {
                indexed.Add((record.Uid, values));
            }
        }
    }

    /// <summary>A message the cache does not know: size from the name's S= field (or the file), date from its mtime.</summary>
    private static MessageRecord Record(uint uid, string baseName, string file, FoundFile found, ulong modSeq) =>
        new(uid, baseName, found.Size, new DateTimeOffset(found.LastWriteUtc, TimeSpan.Zero), FlagsOf(file), [], modSeq)
        {
            WireSize = MaildirFileName.SizeField(baseName, 'W'),
        };
}
