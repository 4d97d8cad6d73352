using System.Text;
using Mailroom.Policy.Srs;
using Microsoft.Extensions.Time.Testing;

namespace Mailroom.Policy.Tests.Srs;

public sealed class SrsRewriterTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(1_727_776_800));

    private SrsRewriter Rewriter(params string[] secrets) => new([.. secrets.Select(Encoding.UTF8.GetBytes)], 21, _time);

    [Fact]
    public void ForwardedSenderIsReversedToTheOriginal()
    {
        SrsRewriter srs = Rewriter("secret");

        string rewritten = srs.Forward("ann@example.com", "forward.example.org");

        Assert.Matches(@"^SRS0=[A-Za-z0-9+/]{4}=[A-Z2-7]{2}=example\.com=ann@forward\.example\.org$", rewritten);
        Assert.Equal(new SrsReversal(SrsReversalStatus.Reversed, "ann@example.com"), srs.Reverse(rewritten));
    }

    [Fact]
    public void ReversalIgnoresCaseChangesOnTheWay()
    {
        SrsRewriter srs = Rewriter("secret");
        string rewritten = srs.Forward("Ann@Example.com", "forward.example.org");

        Assert.Equal(SrsReversalStatus.Reversed, srs.Reverse(rewritten.ToLowerInvariant()).Status);
    }

    [Fact]
    public void ForgedHashIsRefused()
    {
        SrsRewriter srs = Rewriter("secret");
        string rewritten = srs.Forward("ann@example.com", "forward.example.org");
        string forged = rewritten.Replace("=example.com=ann", "=example.com=eve", StringComparison.Ordinal);

        Assert.Equal(SrsReversalStatus.Invalid, srs.Reverse(forged).Status);
        Assert.Equal(SrsReversalStatus.Invalid, Rewriter("other").Reverse(rewritten).Status);
    }

    [Fact]
    public void AddressExpiresAfterMaxAgeButNotBefore()
    {
        SrsRewriter srs = Rewriter("secret");
        string rewritten = srs.Forward("ann@example.com", "forward.example.org");

        _time.Advance(TimeSpan.FromDays(21));
        Assert.Equal(SrsReversalStatus.Reversed, srs.Reverse(rewritten).Status);
        _time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(SrsReversalStatus.Invalid, srs.Reverse(rewritten).Status);
    }

    [Fact]
    public void OldSecretStillVerifiesAfterRotation()
    {
        string rewritten = Rewriter("old").Forward("ann@example.com", "forward.example.org");

        Assert.Equal(SrsReversalStatus.Reversed, Rewriter("new", "old").Reverse(rewritten).Status);
    }

    [Fact]
    public void SrsAddressOfAnotherForwarderBecomesSrs1AndReversesToIt()
    {
        SrsRewriter first = Rewriter("first");
        SrsRewriter second = Rewriter("second");
        string once = first.Forward("ann@example.com", "one.example");
        string twice = second.Forward(once, "two.example");

        Assert.StartsWith("SRS1=", twice, StringComparison.Ordinal);
        Assert.EndsWith("@two.example", twice, StringComparison.Ordinal);
        SrsReversal back = second.Reverse(twice);
        Assert.Equal(once, back.Address);
        Assert.Equal("ann@example.com", first.Reverse(back.Address!).Address);
    }

    [Fact]
    public void OrdinaryAddressIsNotSrs() =>
        Assert.Equal(SrsReversalStatus.NotSrs, Rewriter("secret").Reverse("ann@example.org").Status);
}
