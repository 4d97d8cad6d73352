using System.Net.Sockets;
using MailKit.Net.Smtp;
using MailKit.Security;
using Mailroom.Interop.Tests.Support;
using MimeKit;

namespace Mailroom.Interop.Tests;

/// <summary>
/// Mail "to the world" through the real program: submitted on 587, routed by the transport map to a local sink
/// (never the internet), deferred while the sink refuses, shown by <c>mailroom queue list</c>, sent after
/// <c>mailroom queue flush</c>.
/// </summary>
public sealed class OutboundDeliveryTests
{
    private const string Samt = "samt@example.org";

    [Fact]
    public async Task SubmittedMailIsDeferredListedFlushedAndSentToTheTransportMapDestination()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        int port = FreePort();
        string queueId;
        await using (SinkProcess refusing = await SinkProcess.StartAsync(port, "--rcpt-fail", "451"))
        {
            await using MailroomServer server = await MailroomServer.StartAsync(
                [$"Delivery:Transports:remote.test=smtp:[127.0.0.1]:{port}"],
                async s =>
                {
                    await s.AddDomainAsync("example.org");
                    await s.AddUserAsync(Samt);
                });

            await SubmitAsync(server, ct);
            string deferred = await server.WaitForMaillogLineAsync(@"to=<someone@remote\.test>, relay=127\.0\.0\.1\[127\.0\.0\.1\]:\d+, .*status=deferred \(host 127\.0\.0\.1\[127\.0\.0\.1\] said: 451 ");
            queueId = deferred.Split(": ")[1];

            ProcessResult list = await server.AdminAsync("queue", "list");
            Assert.Contains(queueId, list.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("someone@remote.test", list.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("451", list.StandardOutput, StringComparison.Ordinal);

            await refusing.DisposeAsync();
            await using SinkProcess accepting = await SinkProcess.StartAsync(port);
            ProcessResult flush = await server.AdminAsync("queue", "flush");
            Assert.Equal(0, flush.ExitCode);

            await server.WaitForMaillogLineAsync($@"{queueId}: to=<someone@remote\.test>, relay=127\.0\.0\.1\[127\.0\.0\.1\]:{port}, .*dsn=2\.0\.0, status=sent \(250 ");
            await server.WaitForMaillogLineAsync($@"{queueId}: removed");
            ProcessResult empty = await server.AdminAsync("queue", "list");
            Assert.Contains("Mail queue is empty", empty.StandardOutput, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task APermanentRefusalBouncesADeliveryReportToTheSender()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using SinkProcess refusing = await SinkProcess.StartAsync(FreePort(), "--rcpt-fail", "550");
        await using MailroomServer server = await MailroomServer.StartAsync(
            [$"Delivery:Transports:remote.test=smtp:[127.0.0.1]:{refusing.Port}"],
            async s =>
            {
                await s.AddDomainAsync("example.org");
                await s.AddUserAsync(Samt);
            });

        await SubmitAsync(server, ct);
        await server.WaitForMaillogLineAsync(@"to=<someone@remote\.test>, .*status=bounced \(host 127\.0\.0\.1\[127\.0\.0\.1\] said: 550 ");
        await server.WaitForMaillogLineAsync("sender non-delivery notification: ");

        byte[] report = await Maildir.WaitForMessageAsync(server.DataDirectory, Samt, "report-type=delivery-status");
        using var stream = new MemoryStream(report);
        MimeMessage dsn = await MimeMessage.LoadAsync(stream, ct);
        MultipartReport multipart = Assert.IsType<MultipartReport>(dsn.Body);
        MessageDeliveryStatus status = Assert.Single(multipart.OfType<MessageDeliveryStatus>());
        HeaderList recipient = status.StatusGroups[1];
        Assert.Equal("failed", recipient["Action"]);
        Assert.StartsWith("5.", recipient["Status"], StringComparison.Ordinal);
        Assert.Contains("someone@remote.test", recipient["Final-Recipient"], StringComparison.Ordinal);
    }

    private static async Task SubmitAsync(MailroomServer server, CancellationToken ct)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(Samt));
        message.To.Add(MailboxAddress.Parse("someone@remote.test"));
        message.Subject = "to the world";
        message.Body = new TextPart("plain") { Text = "hello, world" };
        using var client = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", server.SubmissionPort, SecureSocketOptions.StartTls, ct);
        await client.AuthenticateAsync(Samt, MailroomServer.Password, ct);
        await client.SendAsync(message, ct);
        await client.DisconnectAsync(true, ct);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
