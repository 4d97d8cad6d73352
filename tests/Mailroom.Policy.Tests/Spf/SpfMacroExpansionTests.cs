using System.Net;
using Mailroom.Policy.Spf;
using Mailroom.Policy.Tests.Support;

namespace Mailroom.Policy.Tests.Spf;

/// <summary>
/// Macro expansion of RFC 7208 §7 at its size limits: a domain-spec longer than 253 octets loses labels on the left
/// (§7.3), an explanation is cut to what an SMTP reply line holds. Found by fuzzing
/// (fuzz/regressions/policy-spf/long-expansion): a record of 1,800 <c>%{s}</c> and a sender of 100 labels expanded to
/// 380,000 characters, cut one label at a time, copying the rest each time (some 40 s of CPU per message), and the
/// explanation went into the reply whole.
/// </summary>
public sealed class SpfMacroExpansionTests
{
    private static readonly string DottedSender = string.Join('.', Enumerable.Repeat("a", 100)) + "@example.org";

    private static SpfContext Context(string sender) =>
        new(new FakeDns(), IPAddress.Parse("192.0.2.25"), sender, "mail.example.org", "mx.example.org", DateTimeOffset.UnixEpoch, new SpfLimits());

    private static Task<string> ExpandAsync(string text, string sender, bool explanation) =>
        SpfMacro.ExpandAsync(text, Context(sender), "example.org", explanation, TestContext.Current.CancellationToken).AsTask();

    [Fact]
    public async Task DomainSpecOfManySenderMacrosKeepsTheLast253OctetsAtALabelBoundary()
    {
        string spec = string.Concat(Enumerable.Repeat("%{s}", 1800)) + ".example.org";

        string expanded = await ExpandAsync(spec, DottedSender, explanation: false);

        Assert.InRange(expanded.Length, 240, 253);
        Assert.EndsWith("a@example.org.example.org", expanded, StringComparison.Ordinal);
        string full = string.Concat(Enumerable.Repeat(DottedSender, 1800)) + ".example.org";
        Assert.EndsWith("." + expanded, full, StringComparison.Ordinal);
    }

    [Fact]
    public void DomainSpecIsCutOnlyPast253Octets()
    {
        string kept = "c." + new string('d', 250);
        string exactly253 = "e." + new string('f', 251);

        Assert.Equal(exactly253, SpfMacro.DropLeftLabels(exactly253));
        Assert.Equal(kept, SpfMacro.DropLeftLabels("a." + kept));
        Assert.Equal(kept, SpfMacro.DropLeftLabels("ab." + kept));
    }

    [Fact]
    public void DomainSpecWithoutLabelBoundaryInItsLast253OctetsKeepsItsLastLabel()
    {
        string name = "a." + new string('b', 300);

        Assert.Equal(new string('b', 300), SpfMacro.DropLeftLabels(name));
        Assert.Equal(new string('c', 300), SpfMacro.DropLeftLabels(new string('c', 300)));
    }

    [Fact]
    public async Task ExplanationIsCutToWhatAReplyLineHolds()
    {
        string text = string.Concat(Enumerable.Repeat("%{s} ", 1700));

        string explanation = await ExpandAsync(text, DottedSender, explanation: true);
        string short1 = await ExpandAsync("%{s} is not allowed", "user@example.org", explanation: true);

        Assert.Equal(SpfMacro.MaxExplanationLength, explanation.Length);
        Assert.Equal((DottedSender + " " + DottedSender)[..SpfMacro.MaxExplanationLength], explanation);
        Assert.Equal("user@example.org is not allowed", short1);
    }

    [Fact]
    public void DigitTransformerLongerThanAnIntIsValidAndOnlyZerosAreNot()
    {
        // Found by fuzzing (fuzz/regressions/policy-spf/huge-digit-transformer): parsing the digits as an int threw
        // OverflowException out of the record parser, and out of the whole check of the message.
        Assert.True(SpfRecordParser.TryParse("v=spf1 exists:%{d12345678901234567890}.example.org -all", out SpfRecord? record, out _));
        Assert.Equal("%{d12345678901234567890}.example.org", record!.Terms[0].DomainSpec);
        Assert.False(SpfRecordParser.TryParse("v=spf1 exists:%{d00000000000000000000}.example.org -all", out _, out string? error));
        Assert.NotNull(error);
    }

    [Fact]
    public async Task DigitTransformerLongerThanAnIntKeepsEveryLabel()
    {
        Assert.Equal("a.b.example.org", await ExpandAsync("%{o99999999999999}", "user@a.b.example.org", explanation: false));
        Assert.Equal("example.org", await ExpandAsync("%{o2}", "user@a.b.example.org", explanation: false));
    }
}
