namespace Mailroom.Imap.Protocol.Mime;

/// <summary>
/// One header field as the file has it: its name, and its value's bytes after the colon up to the end of the field,
/// folding line ends included and the final line end excluded (RFC 5322 §2.2).
/// </summary>
internal sealed record HeaderField(string Name, byte[] RawValue);
