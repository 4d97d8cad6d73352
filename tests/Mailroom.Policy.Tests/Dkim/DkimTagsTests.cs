using Mailroom.Policy.Dkim;

namespace Mailroom.Policy.Tests.Dkim;

/// <summary>The tag=value lists of RFC 6376 §3.2, as DKIM-Signature fields and key records carry them.</summary>
public sealed class DkimTagsTests
{
    [Fact]
    public void TagsLoseTheirWhiteSpaceAndTheFirstOfARepeatedTagCounts()
    {
        Dictionary<string, string> tags = DkimTags.Parse("v=1;\ta = rsa-sha256 ; d=example.org;; b=AB CD\r\n\tEF; d=other.example");

        Assert.Equal("rsa-sha256", tags["a"]);
        Assert.Equal("example.org", tags["d"]);
        Assert.Equal("ABCDEF", tags["b"]);
        Assert.Equal(4, tags.Count);
    }

    [Fact]
    public void FragmentWithoutATagNameIsNoTag()
    {
        // Found by fuzzing (policy-dkim): " =relaxed/s.org" was read as a tag named "".
        Dictionary<string, string> tags = DkimTags.Parse("v=1; =relaxed/s.org; \t =x; s=sel; =");

        Assert.Equal(["s", "v"], tags.Keys.Order(StringComparer.Ordinal));
    }
}
