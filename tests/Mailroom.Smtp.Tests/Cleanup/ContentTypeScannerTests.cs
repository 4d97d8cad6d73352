using System.Text;
using Mailroom.Smtp.Cleanup;

namespace Mailroom.Smtp.Tests.Cleanup;

/// <summary>The Content-Type reading behind the body-part header meter: boundaries, carried messages, and any bytes a client sends.</summary>
public sealed class ContentTypeScannerTests
{
    [Theory]
    [InlineData("multipart/mixed; boundary=b1", "b1")]
    [InlineData("Multipart/Alternative (a \\) comment); boundary=\"q\\\"b\" (after)", "q\"b")]
    [InlineData("multipart/mixed; boundary*0=\"se\"; boundary*1*=c%74ions", "sections")]
    [InlineData("multipart/mixed; boundary*1=\"se\"; boundary*1*=c%74ions", "sections")]
    [InlineData("multipart/mixed; boundary*2=c; boundary*0*=us-ascii'en'a%62", "abc")]
    public void AMultipartsBoundaryIsRead(string value, string boundary) =>
        Assert.Equal(new ContentType(false, boundary), ContentTypeScanner.Scan(Encoding.ASCII.GetBytes(value)));

    [Theory]
    [InlineData("multipart/mixed; (a \\")]
    [InlineData("multipart/mixed; boundary=b (\\")]
    [InlineData("multipart/mixed; (\\")]
    [InlineData("(\\")]
    public void ABackslashThatEndsTheValueInsideACommentQuotesNothing(string value)
    {
        // A fuzzer found the scanner stepping past the end of the value here, an exception at DATA.
        ContentType type = ContentTypeScanner.Scan(Encoding.ASCII.GetBytes(value));

        Assert.False(type.CarriesMessage);
    }

    [Fact]
    public void ADigestSaysSo() =>
        Assert.Equal(new ContentType(false, "d", Digest: true), ContentTypeScanner.Scan("multipart/digest; boundary=d"u8));
}
