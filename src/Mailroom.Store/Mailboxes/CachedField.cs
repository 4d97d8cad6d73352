namespace Mailroom.Store.Mailboxes;

/// <summary>The protocol data the IMAP layer computes once per message and the index keeps.</summary>
public enum CachedField
{
    Envelope,
    BodyStructure,
    Body,
}
