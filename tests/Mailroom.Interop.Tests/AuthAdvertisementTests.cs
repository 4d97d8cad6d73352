using Mailroom.Interop.Tests.Support;

namespace Mailroom.Interop.Tests;

/// <summary>DESIGN invariant 3: no credentials in clear, so AUTH appears only once the session is encrypted.</summary>
public sealed class AuthAdvertisementTests(SharedServer shared)
{
    private readonly MailroomServer _server = shared.Server;

    [Fact]
    public async Task SubmissionOffersAuthOnlyAfterStarttls()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var (smtp, _) = await RawSmtpConnection.ConnectAsync(_server.SubmissionPort, ct);
        await using (smtp)
        {
            IReadOnlyList<string> plain = await smtp.CommandAsync("EHLO client.example.org", ct);
            Assert.Contains(plain, l => l[4..] == "STARTTLS");
            Assert.DoesNotContain(plain, l => l[4..].StartsWith("AUTH", StringComparison.Ordinal));
            IReadOnlyList<string> early = await smtp.CommandAsync("AUTH PLAIN AHNhbXRAZXhhbXBsZS5vcmcAc2VjcmV0", ct);
            Assert.StartsWith("5", early[0], StringComparison.Ordinal);

            Assert.StartsWith("220 ", (await smtp.StartTlsAsync(ct))[0], StringComparison.Ordinal);
            IReadOnlyList<string> secured = await smtp.CommandAsync("EHLO client.example.org", ct);
            string auth = Assert.Single(secured, l => l[4..].StartsWith("AUTH ", StringComparison.Ordinal));
            Assert.Contains("PLAIN", auth, StringComparison.Ordinal);
            Assert.Contains("LOGIN", auth, StringComparison.Ordinal);
            Assert.DoesNotContain(secured, l => l[4..] == "STARTTLS");
        }
    }
}
