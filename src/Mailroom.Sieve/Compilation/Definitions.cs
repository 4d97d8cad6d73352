using System.Collections.Frozen;
using Mailroom.Sieve.Language;
using Mailroom.Sieve.Language.Commands;
using Mailroom.Sieve.Language.Tests;
using Mailroom.Sieve.Syntax;

namespace Mailroom.Sieve.Compilation;

/// <summary>Every command and test by name, with the extension that must be required to use it (null: the base language).</summary>
internal static class Definitions
{
    public static readonly FrozenDictionary<string, (string? Extension, Func<AstNode, CompileContext, SieveCommand?> Compile)> Commands =
        new Dictionary<string, (string?, Func<AstNode, CompileContext, SieveCommand?>)>(StringComparer.Ordinal)
        {
            ["stop"] = (null, StopCommand.Compile),
            ["keep"] = (null, KeepCommand.Compile),
            ["discard"] = (null, DiscardCommand.Compile),
            ["redirect"] = (null, RedirectCommand.Compile),
            ["fileinto"] = (SieveExtensions.Fileinto, FileintoCommand.Compile),
            ["reject"] = (SieveExtensions.Reject, RejectCommand.Compile),
            ["ereject"] = (SieveExtensions.Ereject, RejectCommand.Compile),
            ["set"] = (SieveExtensions.Variables, SetCommand.Compile),
            ["setflag"] = (SieveExtensions.Imap4flags, FlagCommand.Compile),
            ["addflag"] = (SieveExtensions.Imap4flags, FlagCommand.Compile),
            ["removeflag"] = (SieveExtensions.Imap4flags, FlagCommand.Compile),
            ["vacation"] = (SieveExtensions.Vacation, VacationCommand.Compile),
            ["include"] = (SieveExtensions.Include, IncludeCommand.Compile),
            ["return"] = (SieveExtensions.Include, ReturnCommand.Compile),
            ["global"] = (SieveExtensions.Include, GlobalCommand.Compile),
            ["error"] = (SieveExtensions.Ihave, ErrorCommand.Compile),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    public static readonly FrozenDictionary<string, (string? Extension, Func<AstNode, CompileContext, SieveTest?> Compile)> Tests =
        new Dictionary<string, (string?, Func<AstNode, CompileContext, SieveTest?>)>(StringComparer.Ordinal)
        {
            ["true"] = (null, ConstantTest.Compile),
            ["false"] = (null, ConstantTest.Compile),
            ["not"] = (null, NotTest.Compile),
            ["allof"] = (null, AllofTest.Compile),
            ["anyof"] = (null, AnyofTest.Compile),
            ["exists"] = (null, ExistsTest.Compile),
            ["size"] = (null, SizeTest.Compile),
            ["header"] = (null, HeaderTest.Compile),
            ["address"] = (null, AddressTest.Compile),
            ["envelope"] = (SieveExtensions.Envelope, EnvelopeTest.Compile),
            ["body"] = (SieveExtensions.Body, BodyTest.Compile),
            ["string"] = (SieveExtensions.Variables, StringTest.Compile),
            ["hasflag"] = (SieveExtensions.Imap4flags, HasflagTest.Compile),
            ["date"] = (SieveExtensions.Date, DateTest.Compile),
            ["currentdate"] = (SieveExtensions.Date, DateTest.Compile),
            ["duplicate"] = (SieveExtensions.Duplicate, DuplicateTest.Compile),
            ["spamtest"] = (SieveExtensions.Spamtest, ScoreTest.Compile),
            ["virustest"] = (SieveExtensions.Virustest, ScoreTest.Compile),
            ["environment"] = (SieveExtensions.Environment, EnvironmentTest.Compile),
            ["mailboxexists"] = (SieveExtensions.Mailbox, MailboxExistsTest.Compile),
            ["ihave"] = (SieveExtensions.Ihave, IhaveTest.Compile),
        }.ToFrozenDictionary(StringComparer.Ordinal);
}
