using System.Text;
using Mailroom.Smtp.Cleanup;

namespace Mailroom.Smtp.Tests.Cleanup;

/// <summary>RFC 8601 §5: results claiming this server's authserv-id are removed on the way in; all others stay.</summary>
public sealed class ForeignAuthenticationResultsTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { "Authentication-Results: mx.example.org; dkim=pass\r\nSubject: s\r\n\r\nb", "Subject: s\r\n\r\nb" },
        { "authentication-results:\r\n MX.Example.Org;\r\n\tspf=pass\r\nSubject: s\r\n\r\nb", "Subject: s\r\n\r\nb" },
        { "Authentication-Results: mx.example.org.evil; spf=pass\r\n\r\nb", "Authentication-Results: mx.example.org.evil; spf=pass\r\n\r\nb" },
        { "Authentication-Results: other.test; spf=pass\r\nAuthentication-Results: mx.example.org (forged); spf=pass\r\n\r\nb", "Authentication-Results: other.test; spf=pass\r\n\r\nb" },
        { "Subject: s\r\nAuthentication-Results: mx.example.org; none\r\n\r\nAuthentication-Results: mx.example.org; body line\r\n", "Subject: s\r\n\r\nAuthentication-Results: mx.example.org; body line\r\n" },
        { "Authentication-Results: mx.example.org; spf=pass", "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task OurAuthservIdIsRemovedWhereverTheInputIsSplit(string input, string expected)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(input);
        for (int split = 0; split <= bytes.Length; split++)
        {
            var output = new MemoryStream();
            var writer = new CleanupWriter(output, missingHeaders: null, authservId: "mx.example.org");
            await writer.WriteAsync(bytes.AsMemory(0, split), TestContext.Current.CancellationToken);
            await writer.WriteAsync(bytes.AsMemory(split), TestContext.Current.CancellationToken);
            await writer.CompleteAsync(TestContext.Current.CancellationToken);
            Assert.Equal(expected, Encoding.ASCII.GetString(output.ToArray()));
        }
    }

    [Fact]
    public async Task WithoutAnAuthservIdEveryFieldPassesUnchanged()
    {
        var output = new MemoryStream();
        var writer = new CleanupWriter(output, missingHeaders: null);
        await writer.WriteAsync("Authentication-Results: mx.example.org; dkim=pass\r\n\r\nb"u8.ToArray(), TestContext.Current.CancellationToken);
        await writer.CompleteAsync(TestContext.Current.CancellationToken);
        Assert.Equal("Authentication-Results: mx.example.org; dkim=pass\r\n\r\nb", Encoding.ASCII.GetString(output.ToArray()));
    }

    [Fact]
    public async Task AFieldTooLongToShowItsAuthservIdIsKept()
    {
        string input = "Authentication-Results: " + new string('a', 2000) + "\r\n\r\nb";
        var output = new MemoryStream();
        var writer = new CleanupWriter(output, missingHeaders: null, authservId: "mx.example.org");
        await writer.WriteAsync(Encoding.ASCII.GetBytes(input), TestContext.Current.CancellationToken);
        await writer.CompleteAsync(TestContext.Current.CancellationToken);
        Assert.Equal(input, Encoding.ASCII.GetString(output.ToArray()));
    }
}
