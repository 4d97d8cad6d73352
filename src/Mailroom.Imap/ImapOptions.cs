using System.ComponentModel.DataAnnotations;
using Mailroom.Net;

namespace Mailroom.Imap;

/// <summary>IMAP server settings (configuration section <c>Imap</c>).</summary>
public sealed partial class ImapOptions
{
    public const string SectionName = "Imap";

    /// <summary>IMAP port. Default 143 (RFC 9051 §2.1). 0 = ephemeral (tests); -1 = disabled.</summary>
    [Range(-1, 65535)]
    public int Port { get; set; } = 143;

    /// <summary>IMAP over implicit TLS. Default 993 (RFC 8314 §7.3). 0 = ephemeral (tests); -1 = disabled.</summary>
    [Range(-1, 65535)]
    public int ImapsPort { get; set; } = 993;

    /// <summary>Addresses to listen on. Default all IPv4 and IPv6 addresses (<c>0.0.0.0</c>, <c>::</c>).</summary>
    [IPAddressList]
    public IList<string> BindAddresses { get; } = ["0.0.0.0", "::"];

    /// <summary>
    /// Longest command line in bytes, excluding CRLF (literals are not part of a line). Default 65536, Dovecot's
    /// figure: RFC 2971 lets an ID command carry 30 fields of 1024 octets as quoted strings (some 32 KiB on one line),
    /// and clients send long UID sets; a line is buffered only while it is read. A longer line is answered with a
    /// tagged <c>BAD [TOOBIG]</c> when its tag was read, with <c>* BYE [TOOBIG]</c> otherwise.
    /// </summary>
    [Range(1024, 1024 * 1024)]
    public int MaxLineLength { get; set; } = 65536;

    /// <summary>
    /// Largest APPEND message literal in bytes. Default 50 MiB, the same as the SMTP message size limit: a message
    /// that could be delivered can be saved too (Sent copies, moving mail between servers). Checked before the
    /// literal is read; a larger synchronising literal gets <c>NO [TOOBIG]</c>.
    /// </summary>
    [Range(typeof(long), "1024", "2147483647")]
    public long MaxLiteralSize { get; set; } = 50L * 1024 * 1024;

    /// <summary>
    /// Largest command other than APPEND, literals included, in bytes. Default 1 MiB: search strings and long
    /// sequence sets fit easily, while a client cannot make the server hold more than this per command.
    /// </summary>
    [Range(typeof(long), "1024", "2147483647")]
    public long MaxCommandSize { get; set; } = 1024 * 1024;

    /// <summary>
    /// Items in one FETCH (macros count as the items they stand for). Default 100, several times what any client asks
    /// for at once (Thunderbird and MailKit send under 20): items are answered one after the other from the file, but
    /// some cost a scan of the message for a few bytes of answer (BINARY.SIZE, HEADER.FIELDS), so the count bounds
    /// the work a single command can ask per message. More get <c>NO [LIMIT]</c>.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxFetchItems { get; set; } = 100;

    /// <summary>
    /// Keys in one SEARCH, nested ones included (each NOT, OR, parenthesised list and criterion counts). Default
    /// 1000: clients build long OR chains, but each key costs a pass over every message searched, so the count bounds
    /// the work per message. More get <c>NO [LIMIT]</c>.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxSearchKeys { get; set; } = 1000;

    /// <summary>
    /// Search and sort contexts a session keeps updated at once (SEARCH/SORT RETURN (UPDATE), RFC 5267 §4.3). Default
    /// 10 (Dovecot's figure): each holds its result and costs an evaluation of every changed message, so the count
    /// bounds a session's memory and the work per change. One more gets <c>* NO [NOUPDATE "tag"]</c> and its result
    /// without updates; 0 refuses every update.
    /// </summary>
    [Range(0, 1000)]
    public int MaxSearchUpdateContexts { get; set; } = 10;

    /// <summary>
    /// Nesting of SEARCH keys (parentheses, NOT and OR together). Default 64: deep enough for clients that chain ORs,
    /// shallow enough that parsing and matching, which recurse, cannot exhaust the stack. Deeper gets <c>BAD</c>.
    /// </summary>
    [Range(1, 256)]
    public int MaxSearchDepth { get; set; } = 64;

    /// <summary>
    /// Message-IDs of References kept per message for THREAD=REFERENCES (RFC 5256 §3), the nearest ones. Default 100:
    /// clients trim References to a few dozen; a hostile header of thousands costs no more than this. Applies to keys
    /// computed from then on (they are kept in the index).
    /// </summary>
    [Range(1, 10_000)]
    public int MaxThreadReferences { get; set; } = 100;

    /// <summary>
    /// Ancestors THREAD=REFERENCES walks to check that a link closes no loop (RFC 5256 §3 step 1). Default 1000: deeper
    /// than any real reply chain, and it bounds the cost of each link whatever loops and chains the headers of a
    /// mailbox build. A link whose check would go deeper is not made (the message starts its own thread, which
    /// subject merging may join again).
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxThreadDepth { get; set; } = 1000;

    /// <summary>
    /// Mailbox patterns in one LIST (RFC 5258 allows a list of them). Default 100: clients send one or a few; every
    /// mailbox name is matched against each pattern. More get <c>NO [LIMIT]</c>.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxListPatterns { get; set; } = 100;

    /// <summary>
    /// Keywords a message may carry (STORE +FLAGS and APPEND add them). Default 64: tagging clients use a handful,
    /// and every FETCH FLAGS, flag change and index update of the message handles them all. More get
    /// <c>NO [LIMIT]</c> (RFC 9051 §7.1, the example RFC 5530 gives for LIMIT).
    /// </summary>
    [Range(1, 10_000)]
    public int MaxKeywordsPerMessage { get; set; } = 64;

    /// <summary>
    /// URLs in one APPEND's CATENATE parts (RFC 4469), all its messages together. Default 100: a client forwarding or
    /// editing a message names a few parts; each URL costs opening, and for a section parsing, a stored message. More
    /// get <c>NO [LIMIT]</c>.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxCatenateUrls { get; set; } = 100;

    /// <summary>
    /// MIME nesting parsed in a message (multiparts and attached messages): deeper parts are shown as content.
    /// Default 64: real mail nests a few levels, and describing a message (BODYSTRUCTURE) recurses once per level
    /// (MimeKit's ParserOptions.MaxMimeDepth guards against nesting bombs the same way).
    /// </summary>
    [Range(1, 256)]
    public int MaxMimeDepth { get; set; } = 64;

    /// <summary>
    /// Body parts parsed in a message; past them the rest of the message is content of the last part, as RFC 2046
    /// lets a reader treat a part it does not parse. Default 10,000, where Dovecot's message parser stops too: any
    /// sender can put a hundred thousand empty parts in a message, and each one parsed costs memory and a line of
    /// BODYSTRUCTURE.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxMimeParts { get; set; } = 10_000;

    /// <summary>
    /// Addresses in each ENVELOPE address list (From, To, Cc...); the rest are left out (the header itself is
    /// unchanged, in BODY[HEADER]). Default 1000, more than a client shows: a sender can fill a 10 MB To: with
    /// five million two-byte addresses, which as ENVELOPE would be some 15 times that size.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxEnvelopeAddresses { get; set; } = 1000;

    /// <summary>
    /// Deadline for each command line once logged in (absolute from when the server starts waiting for it), IDLE
    /// included. Default 30 minutes, the least RFC 9051 §5.4 allows for an autologout timer (and what IDLE clients
    /// rely on, RFC 2177 re-issuing IDLE every 29 minutes).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Deadline for the whole dialogue before login, from the connection until LOGIN or AUTHENTICATE succeeds
    /// (STARTTLS and failed attempts included): absolute, so a client trickling bytes or sending NOOPs cannot hold an
    /// unauthenticated slot. Default 60 seconds: a real client logs in at once, and an unauthenticated connection
    /// should not hold a slot for long; RFC 9051 §5.4 sets no minimum before login.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LoginTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// <c>BAD</c> replies before the session is ended with <c>* BYE Too many invalid commands.</c>. Default 10, as
    /// <c>Pop3:MaxErrors</c>: no well-behaved client gets near it, and an abuser wastes little.
    /// </summary>
    [Range(1, 1000)]
    public int MaxErrors { get; set; } = 10;

    /// <summary>
    /// Allow LOGIN and AUTHENTICATE on connections without TLS from any address. Default false (DESIGN invariant 3,
    /// Dovecot's <c>disable_plaintext_auth = yes</c>): passwords never cross the network in clear.
    /// </summary>
    public bool AllowPlaintextAuth { get; set; }

    /// <summary>
    /// Allow LOGIN and AUTHENTICATE without TLS from loopback clients. Default true: the password never leaves the
    /// machine, and the classic telnet test on the mail host works (Dovecot treats local connections as secured).
    /// </summary>
    public bool AllowPlaintextAuthOnLoopback { get; set; } = true;
}
