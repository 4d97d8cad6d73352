namespace Mailroom.Imap.Protocol;

/// <summary>The section-text of a BODY[...] section (RFC 9051 §6.4.5); <see cref="Full"/> when there is none.</summary>
internal enum SectionKind
{
    Full,
    Header,
    HeaderFields,
    HeaderFieldsNot,
    Text,
    Mime,
}
