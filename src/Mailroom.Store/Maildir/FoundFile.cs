namespace Mailroom.Store.Maildir;

/// <summary>What reading a message file the index did not know found (<see cref="FoundFileReader"/>).</summary>
/// <param name="LastWriteUtc">Its modification time: the message's internal date.</param>
/// <param name="Size">Its size: the name's <c>S=</c> field, else the file's length.</param>
/// <param name="Values">The indexer's fields of its header, or null (not asked for, or not computable).</param>
internal readonly record struct FoundFile(DateTime LastWriteUtc, long Size, byte[]?[]? Values);
