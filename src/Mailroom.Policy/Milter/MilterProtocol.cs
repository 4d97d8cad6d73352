namespace Mailroom.Policy.Milter;

/// <summary>
/// The Sendmail milter protocol, version 6 (libmilter's <c>mfdef.h</c>, as Postfix's <c>milter8.c</c> speaks it): each
/// packet is a 4-byte big-endian length, a one-byte command or reply code, then data; strings are NUL-terminated.
/// </summary>
internal static class MilterProtocol
{
    public const uint Version = 6;

    // Commands, MTA to milter.
    public const byte Abort = (byte)'A';
    public const byte Body = (byte)'B';
    public const byte Connect = (byte)'C';
    public const byte Macro = (byte)'D';
    public const byte EndOfBody = (byte)'E';
    public const byte Helo = (byte)'H';
    public const byte Header = (byte)'L';
    public const byte Mail = (byte)'M';
    public const byte EndOfHeaders = (byte)'N';
    public const byte OptionNegotiation = (byte)'O';
    public const byte Quit = (byte)'Q';
    public const byte Recipient = (byte)'R';
    public const byte Data = (byte)'T';

    // Replies and modification actions, milter to MTA.
    public const byte AddRecipient = (byte)'+';
    public const byte DeleteRecipient = (byte)'-';
    public const byte AddRecipientWithParameters = (byte)'2';
    public const byte Shutdown = (byte)'4';
    public const byte Accept = (byte)'a';
    public const byte ReplaceBody = (byte)'b';
    public const byte Continue = (byte)'c';
    public const byte Discard = (byte)'d';
    public const byte ChangeSender = (byte)'e';
    public const byte ConnectionFailure = (byte)'f';
    public const byte AddHeader = (byte)'h';
    public const byte InsertHeader = (byte)'i';
    public const byte SetMacroList = (byte)'l';
    public const byte ChangeHeader = (byte)'m';
    public const byte Progress = (byte)'p';
    public const byte Quarantine = (byte)'q';
    public const byte Reject = (byte)'r';
    public const byte Skip = (byte)'s';
    public const byte TempFail = (byte)'t';
    public const byte ReplyCode = (byte)'y';

    /// <summary>Address families of the connect command.</summary>
    public const byte FamilyUnknown = (byte)'U';
    public const byte FamilyInet = (byte)'4';
    public const byte FamilyInet6 = (byte)'6';

    /// <summary>The largest body chunk (libmilter's MILTER_CHUNK_SIZE).</summary>
    public const int MaxBodyChunk = 65535;
}

/// <summary>What a milter may change (SMFIF_*), offered by the MTA and requested by the milter.</summary>
[Flags]
internal enum MilterActions : uint
{
    None = 0,
    AddHeaders = 0x1,
    ChangeBody = 0x2,
    AddRecipients = 0x4,
    DeleteRecipients = 0x8,
    ChangeHeaders = 0x10,
    Quarantine = 0x20,
    ChangeSender = 0x40,
    AddRecipientsWithParameters = 0x80,
    SetMacroList = 0x100,
    All = 0x1FF,
}

/// <summary>Protocol steps the milter does not want (SMFIP_NO*), steps it will not answer (SMFIP_NR_*), and extensions.</summary>
[Flags]
internal enum MilterSteps : uint
{
    None = 0,
    NoConnect = 0x1,
    NoHelo = 0x2,
    NoMail = 0x4,
    NoRecipient = 0x8,
    NoBody = 0x10,
    NoHeaders = 0x20,
    NoEndOfHeaders = 0x40,
    NoReplyHeader = 0x80,
    NoUnknown = 0x100,
    NoData = 0x200,
    Skip = 0x400,
    RejectedRecipients = 0x800,
    NoReplyConnect = 0x1000,
    NoReplyHelo = 0x2000,
    NoReplyMail = 0x4000,
    NoReplyRecipient = 0x8000,
    NoReplyData = 0x10000,
    NoReplyUnknown = 0x20000,
    NoReplyEndOfHeaders = 0x40000,
    NoReplyBody = 0x80000,
    HeaderLeadingSpace = 0x100000,

    /// <summary>What this client implements and offers (no unknown-command step: it is never sent; no rejected recipients: they are not sent).</summary>
    Offered = NoConnect | NoHelo | NoMail | NoRecipient | NoBody | NoHeaders | NoEndOfHeaders | NoReplyHeader | NoUnknown | NoData | Skip
        | NoReplyConnect | NoReplyHelo | NoReplyMail | NoReplyRecipient | NoReplyData | NoReplyUnknown | NoReplyEndOfHeaders | NoReplyBody
        | HeaderLeadingSpace,
}

/// <summary>The protocol stages a milter may ask macros for (SMFIM_*).</summary>
internal enum MilterStage
{
    Connect = 0,
    Helo = 1,
    Mail = 2,
    Recipient = 3,
    Data = 4,
    EndOfMessage = 5,
    EndOfHeaders = 6,
}
