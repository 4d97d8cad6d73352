using System.Globalization;
using System.Text;
using Mailroom.Interop.Tests.Support;

namespace Mailroom.Interop.Tests;

/// <summary>Python's smtplib, the client behind countless scripts and web applications.</summary>
public sealed class PythonSmtplibTests(SharedServer shared)
{
    // smtplib with verification off: the server's certificate is the self-signed one generated on first run.
    private const string Script = """
        import smtplib, ssl, sys
        host, mode, port, user, password, rcpt, tag = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6], sys.argv[7]
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        body = ("Grüße aus Köln, naïve café – " + tag + "\r\n").encode("utf-8")
        msg = (f"From: <{user}>\r\nTo: <{rcpt}>\r\nSubject: smtplib {mode}\r\nX-Tag: {tag}\r\n"
               "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n").encode("ascii") + body
        if mode == "starttls":
            s = smtplib.SMTP(host, port, timeout=15)
            s.ehlo("client.example.org")
            s.starttls(context=ctx)
            s.ehlo("client.example.org")
        else:
            s = smtplib.SMTP_SSL(host, port, context=ctx, timeout=15)
            s.ehlo("client.example.org")
        s.login(user, password)
        refused = s.sendmail(user, [rcpt], msg, mail_options=["BODY=8BITMIME"])
        s.quit()
        print("refused:", refused)
        sys.exit(1 if refused else 0)
        """;

    private readonly MailroomServer _server = shared.Server;

    [Fact]
    public Task StarttlsLoginAndEightBitBodyOnSubmissionIsDeliveredByteForByte()
        => SendAndExpectDeliveryAsync("starttls", _server.SubmissionPort);

    [Fact]
    public Task SmtpSslOnTheSmtpsPortIsDeliveredByteForByte()
        => SendAndExpectDeliveryAsync("ssl", _server.SmtpsPort);

    private async Task SendAndExpectDeliveryAsync(string mode, int port)
    {
        string tag = SharedServer.NewTag("python");
        string script = Path.Combine(_server.DataDirectory, $"{tag}.py");
        await File.WriteAllTextAsync(script, Script, TestContext.Current.CancellationToken);
        ProcessResult result = await ExternalTool.RunAsync("python3",
        [
            script, "127.0.0.1", mode, port.ToString(CultureInfo.InvariantCulture),
            SharedServer.Alice, MailroomServer.Password, SharedServer.Samt, tag,
        ]);
        File.Delete(script);

        Assert.True(result.ExitCode == 0, $"smtplib ({mode}) failed: {result}");
        byte[] delivered = await Maildir.WaitForMessageAsync(_server.DataDirectory, SharedServer.Samt, $"X-Tag: {tag}");
        // The 8-bit body arrives unchanged: no re-encoding, no mangled UTF-8.
        byte[] body = Encoding.UTF8.GetBytes($"Grüße aus Köln, naïve café – {tag}\r\n");
        Assert.True(delivered.AsSpan().EndsWith(body), "the UTF-8 body was not delivered byte for byte");
    }
}
