using Mailroom.Core.Text;

namespace Mailroom.Core.Tests.Text;

public sealed class HtmlTextTests
{
    [Fact]
    public void TagsScriptsStylesAndCommentsGoAndEntitiesAreDecoded()
    {
        string text = HtmlText.Extract("a<style>p {}</style><script>x()</script><!-- note --><b>b</b>&amp;&lt;c&gt;");

        Assert.Equal("ab&<c>", text);
    }

    [Fact]
    public void BlockElementsSeparateTheirWords()
    {
        string text = HtmlText.Extract("<p>one</p><div>two</div>three<br>four<table><tr><td>five</td><td>six</td></tr></table><ul><li>seven</li></ul>");

        Assert.Equal(["one", "two", "three", "four", "five", "six", "seven"], text.Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void TheDocumentHeadIsKeptAsDovecotKeepsItUnlessAskedToSkipIt()
    {
        const string html = "<html><head><title>Title</title></head><body>Body</body></html>";

        Assert.Equal("TitleBody", HtmlText.Extract(html));
        Assert.Equal("Body", HtmlText.Extract(html, skipDocumentHead: true));
    }

    [Fact]
    public void ReadingStopsOnceTheTextReachesItsBound()
    {
        string html = string.Concat(Enumerable.Repeat("<p>word</p>", 100_000));

        string text = HtmlText.Extract(html, maxLength: 50);

        Assert.InRange(text.Length, 50, 50 + "word".Length);
    }

    [Fact]
    public void AnUnclosedScriptHidesTheRestButNeverGoesNegativeOnStrayEndTags()
    {
        Assert.Equal("ab", HtmlText.Extract("</script></script>a<script></script>b"));
        Assert.Equal("a", HtmlText.Extract("a<script>never shown"));
    }
}
