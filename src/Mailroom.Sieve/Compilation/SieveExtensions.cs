using System.Collections.Frozen;

namespace Mailroom.Sieve.Compilation;

/// <summary>
/// The capability strings this interpreter implements (RFC 5228 §3.2 <c>require</c>, RFC 5804's SIEVE capability),
/// in the order ManageSieve announces them.
/// </summary>
public static class SieveExtensions
{
    public const string Fileinto = "fileinto";
    public const string Reject = "reject";
    public const string Ereject = "ereject";
    public const string Envelope = "envelope";
    public const string EncodedCharacter = "encoded-character";
    public const string Variables = "variables";
    public const string Body = "body";
    public const string Relational = "relational";
    public const string AsciiNumeric = "comparator-i;ascii-numeric";
    public const string Octet = "comparator-i;octet";
    public const string AsciiCasemap = "comparator-i;ascii-casemap";
    public const string Regex = "regex";
    public const string Subaddress = "subaddress";
    public const string Imap4flags = "imap4flags";
    public const string Copy = "copy";
    public const string Mailbox = "mailbox";
    public const string Date = "date";
    public const string Index = "index";
    public const string Include = "include";
    public const string Duplicate = "duplicate";
    public const string Spamtest = "spamtest";
    public const string Spamtestplus = "spamtestplus";
    public const string Virustest = "virustest";
    public const string Vacation = "vacation";
    public const string VacationSeconds = "vacation-seconds";
    public const string Ihave = "ihave";
    public const string Environment = "environment";

    /// <summary>Every capability, in announcement order.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        Fileinto, Reject, Ereject, Envelope, EncodedCharacter, Vacation, VacationSeconds, Subaddress, AsciiNumeric, Relational,
        Regex, Imap4flags, Copy, Include, Variables, Body, Environment, Mailbox, Date, Index, Ihave, Duplicate,
        Spamtest, Spamtestplus, Virustest,
    ];

    /// <summary>The SIEVE capability value: the extension list separated by spaces.</summary>
    public static readonly string Capability = string.Join(' ', All);

    private static readonly FrozenSet<string> Known = All.Concat([Octet, AsciiCasemap]).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>RFC 5228 §3.2: capability names are case-sensitive; the two base comparators are always there.</summary>
    public static bool IsKnown(string capability) => Known.Contains(capability);
}
