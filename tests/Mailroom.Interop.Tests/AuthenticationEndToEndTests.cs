using System.Net;
using System.Net.Sockets;
using System.Text;
using Mailroom.Interop.Tests.Support;
using Mailroom.Policy.Dkim;
using MimeKit;

namespace Mailroom.Interop.Tests;

/// <summary>
/// The real program with its checks on (loopback untrusted, DNS from dnsmasq): a spoofed From: of a local domain is
/// refused at end of DATA, quarantine files in Junk, forged results of our authserv-id are removed; and an alias
/// forwarding off-site sends with an SRS sender, an ARC seal and our DKIM signature to a second server, whose bounce
/// comes back through the SRS address to the original sender.
/// </summary>
public sealed class AuthenticationEndToEndTests : IDisposable
{
    private readonly string _keys = System.IO.Directory.CreateTempSubdirectory("mailroom-e2e-keys-").FullName;

    public void Dispose() => System.IO.Directory.Delete(_keys, recursive: true);

    [Fact]
    public async Task SpoofedFromOfALocalDomainSentFromOutsideIsRejectedAndOthersAreLabelled()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using TestDnsServer dns = await new TestDnsServer()
            .RejectingDomain("example.test")
            .Txt("quar.test", "v=spf1 -all")
            .Txt("_dmarc.quar.test", "v=DMARC1; p=quarantine")
            .Txt("other.test", "v=spf1 ip4:127.0.0.0/8 -all")
            .StartAsync();
        await using MailroomServer server = await MailroomServer.StartAsync(
            ["Smtp:TrustedNetworks=", .. MailroomServer.PolicyChecks(dns.Server), "Smtp:Hostname=mx.example.test"],
            async s =>
            {
                await s.AddDomainAsync("example.test");
                await s.AddUserAsync("ann@example.test");
            });

        string spoofed = await SendAsync(server.SmtpPort, null, "ceo@example.test", "ann@example.test", "From: CEO <ceo@example.test>\r\nSubject: wire transfer\r\n\r\nPay now.\r\n", ct);
        Assert.StartsWith("550 5.7.1 Rejected by DMARC policy for example.test", spoofed, StringComparison.Ordinal);
        await server.WaitForMaillogLineAsync(@"mailroom/dmarc\[\d+\]: [0-9A-F]+: dmarc=fail \(p=reject dis=reject\) header\.from=example\.test");
        await server.WaitForMaillogLineAsync(@"mailroom/spf\[\d+\]: [0-9A-F]+: prepend Received-SPF: Fail \(mailfrom\) identity=mailfrom; client-ip=127\.0\.0\.1");

        (RawSmtpConnection smtp, _) = await RawSmtpConnection.ConnectAsync(server.SmtpPort, ct);
        await using (smtp)
        {
            await smtp.CommandAsync("EHLO client.other.test", ct);
            await smtp.CommandAsync("MAIL FROM:<>", ct);
            string forged = (await smtp.CommandAsync("RCPT TO:<SRS0=abcd=AA=victim.test=ann@example.test>", ct))[^1];
            Assert.StartsWith("550 5.1.1 <SRS0=abcd=AA=victim.test=ann@example.test>: Recipient address rejected: SRS0 hash does not match", forged, StringComparison.Ordinal);
        }

        string labelled = await SendAsync(server.SmtpPort, null, "bob@other.test", "ann@example.test",
            "Authentication-Results: mx.example.test; dkim=pass header.d=example.test\r\nAuthentication-Results: elsewhere.test; spf=pass\r\nFrom: <bob@other.test>\r\nSubject: hello\r\n\r\nHi.\r\n", ct);
        Assert.StartsWith("250 2.0.0", labelled, StringComparison.Ordinal);
        string delivered = Encoding.UTF8.GetString(await Maildir.WaitForMessageAsync(server.DataDirectory, "ann@example.test", "Subject: hello", TimeSpan.FromSeconds(60)));
        Assert.Contains("Authentication-Results: mx.example.test;\r\n\tspf=pass smtp.mailfrom=bob@other.test", delivered, StringComparison.Ordinal);
        Assert.Contains("Authentication-Results: elsewhere.test; spf=pass", delivered, StringComparison.Ordinal);
        Assert.DoesNotContain("dkim=pass header.d=example.test", delivered, StringComparison.Ordinal);
        Assert.Contains("Received-SPF: Pass (mailfrom)", delivered, StringComparison.Ordinal);

        string quarantined = await SendAsync(server.SmtpPort, null, "eve@quar.test", "ann@example.test", "From: <eve@quar.test>\r\nSubject: junk me\r\n\r\nOffer.\r\n", ct);
        Assert.StartsWith("250 2.0.0", quarantined, StringComparison.Ordinal);
        string junk = Path.Combine(Maildir.PathOf(server.DataDirectory, "ann@example.test"), ".Junk");
        await Eventually.WaitForAsync(
            () => System.IO.Directory.Exists(Path.Combine(junk, "cur")) ? System.IO.Directory.EnumerateFiles(Path.Combine(junk, "cur")).FirstOrDefault() : null,
            TimeSpan.FromSeconds(60), "the quarantined message in Junk");
        Assert.DoesNotContain(Maildir.Messages(server.DataDirectory, "ann@example.test"), path => File.ReadAllText(path).Contains("junk me", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AliasForwardsOffSiteWithSrsArcAndDkimAndTheBounceComesBackThroughSrs()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var keys = new DkimKeyStore(_keys);
        keys.Generate("forward.test", DkimAlgorithm.Rsa, "fwd", TimeProvider.System);
        keys.Generate("forward.test", DkimAlgorithm.Ed25519, "fwded", TimeProvider.System);
        DkimKey senderKey = keys.Generate("sender.test", DkimAlgorithm.Ed25519, "snd", TimeProvider.System);
        var dns = new TestDnsServer()
            .Txt("sender.test", "v=spf1 ip4:127.0.0.5 -all")
            .Txt("_dmarc.sender.test", "v=DMARC1; p=reject")
            .Txt("forward.test", "v=spf1 ip4:127.0.0.1 -all");
        foreach (DkimKey key in keys.Domains().SelectMany(keys.Keys))
        {
            dns.Txt($"{key.Selector}._domainkey.{key.Domain}", key.TxtRecord);
        }

        await using TestDnsServer zone = await dns.StartAsync();
        int portA = FreePort();
        int portB = FreePort();
        string[] common = ["Smtp:TrustedNetworks=", .. MailroomServer.PolicyChecks(zone.Server)];
        await using MailroomServer final = await MailroomServer.StartAsync(
            [.. common, $"Smtp:Port={portB}", "Smtp:Hostname=mx.remote.test", "Queue:HostName=mx.remote.test", $"Dkim:KeyDirectory={_keys}-b",
                "Delivery:Transports:dead.test=error:mailbox unavailable", $"Delivery:Transports:forward.test=smtp:[127.0.0.1]:{portA}"],
            async s =>
            {
                await s.AddDomainAsync("remote.test");
                await s.AddDomainAsync("sender.test");
                await s.AddUserAsync("bob@remote.test");
                await s.AddUserAsync("ann@sender.test");
                await s.AddAliasAsync("gone@remote.test", "nobody@dead.test");
            });
        await using MailroomServer forwarder = await MailroomServer.StartAsync(
            [.. common, $"Smtp:Port={portA}", "Smtp:Hostname=mx.forward.test", "Queue:HostName=mx.forward.test", $"Dkim:KeyDirectory={_keys}",
                $"Delivery:Transports:remote.test=smtp:[127.0.0.1]:{portB}", $"Delivery:Transports:sender.test=smtp:[127.0.0.1]:{portB}"],
            async s =>
            {
                await s.AddDomainAsync("forward.test");
                await s.AdminAsync("alias", "add", "fwd@forward.test", "bob@remote.test", "gone@remote.test");
            });

        string original = Signed(senderKey, "From: Ann <ann@sender.test>\r\nTo: fwd@forward.test\r\nSubject: forwarded\r\nDate: Tue, 1 Oct 2024 10:00:00 +0000\r\nMessage-ID: <fwd@sender.test>\r\n\r\nThrough the alias.\r\n");
        string reply = await SendAsync(portA, IPAddress.Parse("127.0.0.5"), "ann@sender.test", "fwd@forward.test", original, ct);
        Assert.StartsWith("250 2.0.0", reply, StringComparison.Ordinal);
        await forwarder.WaitForMaillogLineAsync(@"dmarc=pass \(p=reject dis=none\) header\.from=sender\.test");
        await forwarder.WaitForMaillogLineAsync(@"mailroom/dkim\[\d+\]: [0-9A-F]+: DKIM-Signature field added \(s=fwd, d=forward\.test\)");
        await forwarder.WaitForMaillogLineAsync(@"ARC-Seal field added \(s=fwd, d=forward\.test\)");
        await forwarder.WaitForMaillogLineAsync(@"sender rewritten: <ann@sender\.test> -> <SRS0=");

        string delivered = Encoding.UTF8.GetString(await Maildir.WaitForMessageAsync(final.DataDirectory, "bob@remote.test", "Subject: forwarded", TimeSpan.FromSeconds(60)));
        Assert.Matches(@"^Return-Path: <SRS0=[^=]{4}=[A-Z2-7]{2}=sender\.test=ann@forward\.test>", delivered);
        Assert.Contains("ARC-Seal: i=1; a=rsa-sha256; cv=none; d=forward.test; s=fwd", delivered, StringComparison.Ordinal);
        string results = delivered[delivered.IndexOf("Authentication-Results: mx.remote.test;", StringComparison.Ordinal)..];
        results = results[..results.IndexOf("\r\nReceived-SPF", StringComparison.Ordinal)];
        Assert.Contains("spf=pass smtp.mailfrom=SRS0=", results, StringComparison.Ordinal);
        Assert.Contains("header.d=forward.test", results, StringComparison.Ordinal);
        Assert.Matches(@"dkim=pass header\.d=sender\.test", results);
        Assert.Contains("dmarc=pass (p=reject dis=none) header.from=sender.test", results, StringComparison.Ordinal);
        Assert.Contains("arc=pass (i=1 d=forward.test)", results, StringComparison.Ordinal);

        // gone@remote.test forwards to a dead end: the final server bounces to the SRS sender, the forwarder reverses it.
        string bounce = Encoding.UTF8.GetString(await Maildir.WaitForMessageAsync(final.DataDirectory, "ann@sender.test", "Undelivered Mail Returned to Sender", TimeSpan.FromSeconds(60)));
        Assert.Contains("nobody@dead.test", bounce, StringComparison.Ordinal);
        await forwarder.WaitForMaillogLineAsync(@"to=<ann@sender\.test>, orig_to=<SRS0=.*status=sent");
    }

    private static string Signed(DkimKey key, string text)
    {
        MimeMessage message = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(text)));
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        DkimSigning.Sign(message, format, [key], DateTimeOffset.UtcNow);
        using var output = new MemoryStream();
        message.WriteTo(format, output);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    /// <summary>One SMTP transaction; returns the reply to the end of DATA.</summary>
    private static async Task<string> SendAsync(int port, IPAddress? from, string sender, string recipient, string message, CancellationToken ct)
    {
        (RawSmtpConnection smtp, _) = await RawSmtpConnection.ConnectAsync(port, from, ct);
        await using (smtp)
        {
            await smtp.CommandAsync("EHLO client.sender.test", ct);
            Assert.StartsWith("250", (await smtp.CommandAsync($"MAIL FROM:<{sender}>", ct))[^1], StringComparison.Ordinal);
            Assert.StartsWith("250", (await smtp.CommandAsync($"RCPT TO:<{recipient}>", ct))[^1], StringComparison.Ordinal);
            Assert.StartsWith("354", (await smtp.CommandAsync("DATA", ct))[^1], StringComparison.Ordinal);
            string reply = (await smtp.CommandAsync(message.TrimEnd('\r', '\n') + "\r\n.", ct))[^1];
            await smtp.CommandAsync("QUIT", ct);
            return reply;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
