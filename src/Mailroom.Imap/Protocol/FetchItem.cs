using System.Globalization;

namespace Mailroom.Imap.Protocol;

/// <summary>One requested FETCH item. <paramref name="Section"/> is set for BODY[...]/BINARY[...]/BINARY.SIZE[...];
/// for BINARY items only its part path is meaningful.</summary>
internal sealed record FetchItem(FetchItemKind Kind, BodySection? Section, bool Peek, long? PartialOffset, long? PartialLength)
{
    /// <summary>RFC 8970 §3 PREVIEW (LAZY): a preview not computed yet is answered NIL rather than computed now.</summary>
    public bool Lazy { get; init; }

    /// <summary>
    /// The item's name in the FETCH response, e.g. <c>BODY[1.TEXT]&lt;0&gt;</c>, <c>BINARY.SIZE[2]</c>, <c>RFC822.HEADER</c>.
    /// BODY.PEEK and BINARY.PEEK answer as BODY and BINARY; a partial echoes only its origin (RFC 9051 §7.5.2).
    /// </summary>
    public string ToResponseName()
    {
        string origin = PartialOffset is long offset ? "<" + offset.ToString(CultureInfo.InvariantCulture) + ">" : string.Empty;
        return Kind switch
        {
            FetchItemKind.Flags => "FLAGS",
            FetchItemKind.InternalDate => "INTERNALDATE",
            FetchItemKind.Rfc822Size => "RFC822.SIZE",
            FetchItemKind.Envelope => "ENVELOPE",
            FetchItemKind.Body => "BODY",
            FetchItemKind.BodyStructure => "BODYSTRUCTURE",
            FetchItemKind.Uid => "UID",
            FetchItemKind.Rfc822 => "RFC822",
            FetchItemKind.Rfc822Header => "RFC822.HEADER",
            FetchItemKind.Rfc822Text => "RFC822.TEXT",
            FetchItemKind.BodySection => "BODY[" + Section!.ToWireString() + "]" + origin,
            FetchItemKind.BinarySection => "BINARY[" + Section!.ToWireString() + "]" + origin,
            FetchItemKind.BinarySize => "BINARY.SIZE[" + Section!.ToWireString() + "]",
            FetchItemKind.ModSeq => "MODSEQ",
            FetchItemKind.EmailId => "EMAILID",
            FetchItemKind.ThreadId => "THREADID",
            FetchItemKind.SaveDate => "SAVEDATE",
            FetchItemKind.Preview => "PREVIEW",
            _ => throw new InvalidOperationException("Unknown fetch item kind."),
        };
    }

    /// <summary>
    /// Whether fetching the item sets \Seen (RFC 9051 §6.4.5: BODY[...], BINARY[...], RFC822 and RFC822.TEXT do;
    /// the .PEEK forms, RFC822.HEADER and BINARY.SIZE do not).
    /// </summary>
    public bool SetsSeen => !Peek && Kind is FetchItemKind.BodySection or FetchItemKind.BinarySection
        or FetchItemKind.Rfc822 or FetchItemKind.Rfc822Text;
}
