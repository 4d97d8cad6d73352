namespace Mailroom.Store.Mailboxes;

/// <summary>Facts about <see cref="CachedField"/> that every indexer and store shares.</summary>
public static class CachedFields
{
    /// <summary>
    /// The number of cached fields (the last is <see cref="CachedField.Preview"/>): the length of every per-message
    /// array an <see cref="IMessageIndexer"/> returns and a store keeps. An entry of another length is not taken.
    /// </summary>
    public const int Count = (int)CachedField.Preview + 1;
}
