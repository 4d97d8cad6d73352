namespace Mailroom.Store.Mailboxes;

/// <summary>
/// Computes the protocol data a folder keeps in its index (<see cref="CachedField"/>) from a message's content. The
/// protocol layer that defines the data implements it (IMAP: ENVELOPE, BODY, BODYSTRUCTURE, SORT keys) and the host
/// gives it to the store, which calls it inside its save transaction while the message is at hand (delivery, APPEND,
/// Sieve's fileinto) and when it first meets a file another program put in a folder, so the first SELECT + FETCH reads
/// the index instead of every message file. Without one, the data is computed at the first FETCH that needs it.
/// Must be thread-safe: the store calls it from several threads at once.
/// </summary>
public interface IMessageIndexer
{
    /// <summary>
    /// Every field the message has, as an array indexed by <see cref="CachedField"/> (null for a field not computed),
    /// reading <paramref name="content"/> from its position to its end; null when the content cannot be described
    /// (the field is then computed, and its failure reported, when a client asks for it).
    /// </summary>
    byte[]?[]? Describe(Stream content);

    /// <summary>
    /// The fields that come from the header alone (<see cref="CachedField.Envelope"/>, <see cref="CachedField.SortKeys"/>),
    /// reading no further than the header's end: the cheap indexing of files the store did not write itself.
    /// </summary>
    byte[]?[]? DescribeHeader(Stream content);
}
