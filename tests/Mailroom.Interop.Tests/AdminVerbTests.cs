using Mailroom.Interop.Tests.Support;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace Mailroom.Interop.Tests;

/// <summary>The admin verbs as an admin runs them: on a data directory, and while the server is running.</summary>
public sealed class AdminVerbTests
{
    [Fact]
    public async Task DomainUserAndAliasVerbsManageTheDirectoryAndReportErrors()
    {
        await using MailroomServer data = await NotStartedAsync();
        await data.AddDomainAsync("example.org");
        await data.AddDomainAsync("other.example");
        Assert.Contains("other.example", (await data.AdminAsync("domain", "list")).StandardOutput, StringComparison.Ordinal);
        await data.AdminAsync("domain", "remove", "other.example");
        Assert.DoesNotContain("other.example", (await data.AdminAsync("domain", "list")).StandardOutput, StringComparison.Ordinal);

        await data.AddUserAsync("bob@example.org");
        ProcessResult passwd = await data.RunAdminAsync(["user", "passwd", "bob@example.org", "--password-stdin"], "a new password\n");
        Assert.True(passwd.ExitCode == 0, $"user passwd failed: {passwd}");
        Assert.Matches(@"(?m)^bob@example\.org\s+yes\b", (await data.AdminAsync("user", "list", "example.org")).StandardOutput);
        await data.AdminAsync("user", "disable", "bob@example.org");
        Assert.Matches(@"(?m)^bob@example\.org\s+no\b", (await data.AdminAsync("user", "list", "example.org")).StandardOutput);
        await data.AdminAsync("user", "enable", "bob@example.org");
        Assert.Matches(@"(?m)^bob@example\.org\s+yes\b", (await data.AdminAsync("user", "list", "example.org")).StandardOutput);

        await data.AddAliasAsync("postmaster@example.org", "bob@example.org");
        Assert.Matches(@"(?m)^postmaster@example\.org\s+yes\s+bob@example\.org", (await data.AdminAsync("alias", "list", "example.org")).StandardOutput);
        await data.AdminAsync("alias", "remove", "postmaster@example.org", "bob@example.org");
        Assert.DoesNotContain("postmaster@", (await data.AdminAsync("alias", "list", "example.org")).StandardOutput, StringComparison.Ordinal);
        await data.AdminAsync("user", "remove", "bob@example.org");
        Assert.DoesNotContain("bob@", (await data.AdminAsync("user", "list", "example.org")).StandardOutput, StringComparison.Ordinal);

        // Independent failures: run them side by side, each is a whole process start.
        await Task.WhenAll(
            AssertFailsAsync(data, ["domain", "add", "example.org"], "mailroom: domain example.org already exists"),
            AssertFailsAsync(data, ["user", "add", "bob@unknown.example", "--password-stdin"], "mailroom: domain unknown.example does not exist", "pw\n"),
            AssertFailsAsync(data, ["user", "remove", "bob@example.org"], "mailroom: user bob@example.org does not exist"),
            AssertFailsAsync(data, ["alias", "add", "x@nope.example", "bob@example.org"], "mailroom: domain nope.example does not exist"),
            AssertFailsAsync(data, ["user", "add", "bad address", "--password-stdin"], "mailroom: 'bad address' is not a valid address", "pw\n"));
    }

    [Fact]
    public async Task VerbsRunWhileTheServerRunsTakeEffectWithoutRestart()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using MailroomServer server = await MailroomServer.StartAsync(provision: s => s.AddDomainAsync("example.org"));
        const string newcomer = "newcomer@example.org";
        Assert.StartsWith("550 5.1.1 ", await RcptReplyAsync(server, newcomer), StringComparison.Ordinal);

        await server.AddUserAsync(newcomer);
        Assert.Equal("250 2.1.5 Ok", await RcptReplyAsync(server, newcomer));

        const string changed = "a changed password";
        ProcessResult passwd = await server.RunAdminAsync(["user", "passwd", newcomer, "--password-stdin"], changed + "\n");
        Assert.True(passwd.ExitCode == 0, $"user passwd failed: {passwd}");
        using (var client = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true })
        {
            await client.ConnectAsync("127.0.0.1", server.SubmissionPort, SecureSocketOptions.StartTls, ct);
            await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync(newcomer, MailroomServer.Password, ct));
            await client.AuthenticateAsync(newcomer, changed, ct);
            Assert.True(client.IsAuthenticated);
        }

        await server.AdminAsync("user", "disable", newcomer);
        Assert.StartsWith($"550 5.1.1 <{newcomer}>: Recipient address rejected", await RcptReplyAsync(server, newcomer), StringComparison.Ordinal);

        Assert.Equal(0, await server.StopAsync());
        await server.WaitForMaillogLineAsync(@"mailroom/master\[\d+\]: terminating on signal$");
    }

    private static async Task<string> RcptReplyAsync(MailroomServer server, string recipient)
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var (smtp, _) = await RawSmtpConnection.ConnectAsync(server.SmtpPort, ct);
        await using (smtp)
        {
            await smtp.CommandAsync("EHLO client.example.org", ct);
            await smtp.CommandAsync("MAIL FROM:<someone@client.example.org>", ct);
            IReadOnlyList<string> reply = await smtp.CommandAsync($"RCPT TO:<{recipient}>", ct);
            await smtp.CommandAsync("QUIT", ct);
            return reply[^1];
        }
    }

    private static async Task AssertFailsAsync(MailroomServer data, string[] arguments, string expected, string? standardInput = null)
    {
        ProcessResult result = await data.RunAdminAsync(arguments, standardInput);
        Assert.True(result.ExitCode == 1, $"mailroom {string.Join(' ', arguments)} should fail with exit code 1: {result}");
        // Every admin verb first names its data directory, then the one line of its failure.
        string[] lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"mailroom: using data directory {data.DataDirectory} (--data)", lines[0]);
        Assert.StartsWith(expected, lines[1], StringComparison.Ordinal);
    }

    /// <summary>A data directory for the verbs alone; the server is never started on it.</summary>
    private static Task<MailroomServer> NotStartedAsync() => Task.FromResult(MailroomServer.ForDataOnly());
}
