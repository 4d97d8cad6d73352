using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Tests.Support;

namespace Mailroom.Sieve.Tests.Language;

/// <summary>Match types and comparators where the RFCs are exact (and, in two cases, Pigeonhole 0.5 is not).</summary>
public sealed class MatchingTests
{
    private static IEnumerable<string> Folders(SieveResult result) =>
        result.Actions.OfType<StoreMessageAction>().Select(s => s.Folder);

    [Fact]
    public void QuestionMarkBeforeALiteralAndAStarMatchesOnlyWhatItShould()
    {
        // Pigeonhole 0.5.19 matches "?udget*" against any subject; RFC 5228 §2.7.1 does not.
        SieveResult result = SieveTestKit.Run("require \"fileinto\"; if header :matches \"subject\" \"?udget*\" { fileinto \"m\"; }", """
            Subject: Cheap pills

            x
            """);

        Assert.Empty(Folders(result));
    }

    [Fact]
    public void QuestionMarkMatchesOneCharacterOfNonAsciiText()
    {
        SieveResult result = SieveTestKit.Run("require \"fileinto\"; if header :matches \"subject\" \"*r?view*\" { fileinto \"m\"; }", """
            Subject: =?utf-8?q?Budget_r=C3=A9view?=

            x
            """);

        Assert.Equal(["m"], Folders(result));
    }

    [Fact]
    public void AsciiCasemapOrdersByUpperCaseAsRfc4790Says()
    {
        // '[' (0x5B) sorts after 'M' (0x4D): the comparator folds to upper case.
        SieveResult result = SieveTestKit.Run("require [\"relational\", \"fileinto\"]; if header :value \"gt\" \"subject\" \"m\" { fileinto \"after\"; }", """
            Subject: [news] digest

            x
            """);

        Assert.Equal(["after"], Folders(result));
    }

    [Fact]
    public void MatchVariablesAreNonGreedyAsRfc5229Shows()
    {
        SieveResult result = SieveTestKit.Run("""
            require ["fileinto", "variables"];
            if address :matches "to" "coyote@**.com" { fileinto "${1}|${2}"; }
            """, """
            To: coyote@ACME.Example.COM

            x
            """);

        Assert.Equal(["|ACME.Example"], Folders(result));
    }

    [Fact]
    public void AsciiNumericTreatsNonNumbersAsEqualInfinities()
    {
        SieveResult result = SieveTestKit.Run("""
            require ["fileinto", "comparator-i;ascii-numeric", "relational"];
            if header :is :comparator "i;ascii-numeric" "x-a" "abc" { fileinto "infinite-equal"; }
            if header :value "gt" :comparator "i;ascii-numeric" "x-a" "99999999999999999999999" { fileinto "above-any-number"; }
            if header :is :comparator "i;ascii-numeric" "x-b" "7" { fileinto "leading-zeros"; }
            """, """
            X-A: none
            X-B: 007 apples

            x
            """);

        Assert.Equal(["infinite-equal", "above-any-number", "leading-zeros"], Folders(result));
    }

    [Fact]
    public void RegexCapturesFillMatchVariables()
    {
        SieveResult result = SieveTestKit.Run("""
            require ["fileinto", "variables", "regex"];
            if header :regex "subject" "^\\[([a-z]+)\\] (.*)$" { fileinto "${1}/${2}"; }
            """, """
            Subject: [dev] release 2

            x
            """);

        Assert.Equal(["dev/release 2"], Folders(result));
    }

    [Fact]
    public void DetailIsAbsentWithoutDelimiterAndEmptyAfterIt()
    {
        SieveResult result = SieveTestKit.Run("""
            require ["fileinto", "subaddress"];
            if address :detail :is "from" "" { fileinto "empty-detail"; }
            if address :detail :matches "to" "*" { fileinto "never"; }
            if address :user :is "to" "samt" { fileinto "user"; }
            """, """
            From: bob+@example.org
            To: samt@example.org

            x
            """);

        Assert.Equal(["empty-detail", "user"], Folders(result));
    }

    [Fact]
    public void EnvelopeToCarriesThePlusDetail()
    {
        SieveResult result = SieveTestKit.Run("""
            require ["fileinto", "subaddress", "envelope"];
            if envelope :detail "to" "lists" { fileinto "lists"; }
            """);

        Assert.Equal(["lists"], Folders(result));
    }
}
