using System.Security.Authentication;
using Mailroom.Net.Tests.Support;

namespace Mailroom.Net.Tests;

public sealed class TlsTests
{
    [Fact]
    public async Task PlaintextPipelinedAfterStartTlsIsDiscardedNotExecuted()
    {
        var protocol = new EchoProtocol();
        await using var server = await TestServer.StartAsync(protocol);
        await using var client = await server.ConnectAsync();
        await client.ReadLineAsync();

        // RFC 3207 §4.2 / CVE-2011-0411: the injected command travels in the same segment as STARTTLS.
        await client.SendAsync("STARTTLS\r\nEVIL\r\n");
        Assert.Equal("220 ready to start TLS", await client.ReadLineAsync());
        await client.StartTlsAsync();
        await client.SendAsync("TLS?\r\n");

        Assert.StartsWith("250 secure TLSv1.", await client.ReadLineAsync(), StringComparison.Ordinal);
        Assert.Equal(["STARTTLS", "<tls started>", "TLS?"], protocol.Executed);
    }

    [Fact]
    public async Task StartTlsNegotiatesAModernProtocolWithKeyBits()
    {
        var protocol = new EchoProtocol();
        await using var server = await TestServer.StartAsync(protocol);
        await using var client = await server.ConnectAsync();
        await client.ReadLineAsync();
        await client.SendAsync("STARTTLS\r\n");
        await client.ReadLineAsync();

        await client.StartTlsAsync();
        await client.SendAsync("TLS?\r\n");

        var reply = (await client.ReadLineAsync())!.Split(' ');
        Assert.Equal("TLSv1.3", reply[2]);
        Assert.Equal(client.Tls!.NegotiatedCipherSuite.ToString(), reply[3]);
        Assert.True(int.Parse(reply[4], System.Globalization.CultureInfo.InvariantCulture) >= 128);
        Assert.Equal("mx.test.example", client.Tls.RemoteCertificate!.Subject["CN=".Length..]);
    }

    [Fact]
    public async Task ImplicitTlsListenerStartsWithTheHandshake()
    {
        var protocol = new EchoProtocol();
        await using var server = await TestServer.StartAsync(protocol, implicitTls: true);
        await using var client = await server.ConnectAsync();

        await client.StartTlsAsync(SslProtocols.Tls12);

        Assert.Equal("220 echo ready", await client.ReadLineAsync());
        await client.SendAsync("TLS?\r\n");
        Assert.StartsWith("250 secure TLSv1.2 ", await client.ReadLineAsync(), StringComparison.Ordinal);
    }

#pragma warning disable SYSLIB0039 // the point of the test: obsolete protocols must be refused
    [Theory]
    [InlineData(SslProtocols.Tls11)]
    [InlineData(SslProtocols.Tls)]
#pragma warning restore SYSLIB0039
    public async Task ObsoleteTlsVersionsAreRefused(SslProtocols protocols)
    {
        var protocol = new EchoProtocol();
        await using var server = await TestServer.StartAsync(protocol, implicitTls: true);
        await using var client = await server.ConnectAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => client.StartTlsAsync(protocols));

        Assert.Equal(0, protocol.Connected);
    }

    [Fact]
    public async Task FailedStartTlsHandshakeEndsTheSession()
    {
        var protocol = new EchoProtocol();
        await using var server = await TestServer.StartAsync(protocol);
        await using var client = await server.ConnectAsync();
        await client.ReadLineAsync();
        await client.SendAsync("STARTTLS\r\n");
        await client.ReadLineAsync();

        await client.SendAsync("this is not a client hello\r\n");

        await protocol.SessionEnded.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal([SessionEnd.TlsFailed], protocol.Ends);
        Assert.Equal(["STARTTLS"], protocol.Executed);
    }

    [Fact]
    public async Task ConfiguredPemCertificateIsUsedInTheHandshake()
    {
        var directory = Directory.CreateTempSubdirectory("mailroom-pem-");
        try
        {
            var certificatePath = Path.Combine(directory.FullName, "server.crt");
            var keyPath = Path.Combine(directory.FullName, "server.key");
            SelfSignedCertificate.Generate(certificatePath, keyPath, "configured.example", DateTimeOffset.UtcNow);
            var protocol = new EchoProtocol();
            await using var server = await TestServer.StartAsync(protocol, implicitTls: true, options =>
            {
                options.Tls.CertificateFile = certificatePath;
                options.Tls.KeyFile = keyPath;
            });
            await using var client = await server.ConnectAsync();

            await client.StartTlsAsync();

            Assert.Equal("220 echo ready", await client.ReadLineAsync());
            Assert.Equal("CN=configured.example", client.Tls!.RemoteCertificate!.Subject);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
