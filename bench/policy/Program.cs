using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Mailroom.Policy;
using Mailroom.Policy.Arc;
using Mailroom.Policy.Dkim;
using Mailroom.Policy.Dmarc;
using Mailroom.Policy.Dns;
using Mailroom.Policy.Spf;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;

// Per-message cost of signing and checking, in CPU microseconds (this process's user+system time / messages), with
// every DNS answer served from the resolver's cache (the first round warms it against the dnsmasq given).
// usage: PolicyCost <dns-server addr:port> <key-directory> [messages]
string server = args[0];
string keyDirectory = args[1];
int count = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2000;

var keys = new DkimKeyStore(keyDirectory);
DkimKey rsa = keys.SigningKeys("sender.test").Single(k => k.Algorithm == DkimAlgorithm.Rsa);
DkimKey ed = keys.SigningKeys("sender.test").Single(k => k.Algorithm == DkimAlgorithm.Ed25519);
var format = FormatOptions.Default.Clone();
format.NewLineFormat = NewLineFormat.Dos;
string body = string.Concat(Enumerable.Repeat("The quick brown fox jumps over the lazy dog, again and again.\r\n", 60));
byte[] plain = Encoding.ASCII.GetBytes(
    "Received: from mail.sender.test (mail.sender.test [127.0.0.1])\r\n\tby mx.example.org (Mailroom) with ESMTP id 0123456789AB\r\n" +
    "From: Ann <ann@sender.test>\r\nTo: samt@example.org\r\nSubject: cost\r\nDate: Tue, 1 Oct 2024 10:00:00 +0000\r\nMessage-ID: <cost@sender.test>\r\n\r\n" + body);

MimeMessage Load(byte[] bytes) => MimeMessage.Load(new MemoryStream(bytes));
byte[] Sign(IReadOnlyList<DkimKey> with)
{
    MimeMessage message = Load(plain);
    DkimSigning.Sign(message, format, with, DateTimeOffset.UtcNow);
    using var output = new MemoryStream();
    message.WriteTo(format, output);
    return output.ToArray();
}

byte[] signedBoth = Sign([rsa, ed]);
var dns = new DnsResolver(Options.Create(new DnsOptions { Servers = [server] }));
var suffixes = new PublicSuffixList("/usr/share/publicsuffix/public_suffix_list.dat", TimeProvider.System);
var checker = new InboundChecker(dns, new SpfOptions(), new DkimOptions(), new DmarcOptions(), new ArcOptions(), suffixes, TimeProvider.System, NullLoggerFactory.Instance);
var dkim = new DkimChecker(dns, new DkimOptions(), TimeProvider.System);
var spf = new SpfChecker(dns, new SpfLimits(), TimeProvider.System);
IPAddress client = IPAddress.Loopback;

async Task<double> MeasureAsync(string name, Func<Task> body)
{
    for (int i = 0; i < Math.Min(200, count); i++)
    {
        await body();
    }

    TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
    long wall = Stopwatch.GetTimestamp();
    for (int i = 0; i < count; i++)
    {
        await body();
    }

    double cpuUs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / count;
    double wallUs = Stopwatch.GetElapsedTime(wall).TotalMicroseconds / count;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {cpuUs:F0} | {wallUs:F0} |"));
    return cpuUs;
}

Console.WriteLine($"{count} messages of {plain.Length} bytes per row, after 200 unmeasured ones; DNS from the resolver's cache.");
Console.WriteLine();
Console.WriteLine("| operation | CPU µs/message | wall µs/message |");
Console.WriteLine("|---|---|---|");
await MeasureAsync("parse only (MimeKit, for reference)", () => { Load(plain).Dispose(); return Task.CompletedTask; });
await MeasureAsync("sign: RSA-2048 (rsa-sha256)", () => { Sign([rsa]); return Task.CompletedTask; });
await MeasureAsync("sign: Ed25519 (ed25519-sha256)", () => { Sign([ed]); return Task.CompletedTask; });
await MeasureAsync("sign: both (the default)", () => { Sign([rsa, ed]); return Task.CompletedTask; });
await MeasureAsync("SPF check (ip4 + include, cached)", async () => await spf.CheckMailFromAsync(client, "ann@sender.test", "mail.sender.test", "mx.example.org", CancellationToken.None));
await MeasureAsync("DKIM verify: RSA + Ed25519 signatures", async () => { using MimeMessage m = Load(signedBoth); await dkim.VerifyAsync(m, CancellationToken.None); });
await MeasureAsync("all checks, unsigned message (SPF, DKIM none, ARC none, DMARC)", async () => await checker.CheckAsync("0123456789AB", client, "mail.sender.test", "ann@sender.test", "mx.example.org", new MemoryStream(plain), CancellationToken.None));
await MeasureAsync("all checks, signed twice (SPF, 2× DKIM, ARC none, DMARC)", async () => await checker.CheckAsync("0123456789AB", client, "mail.sender.test", "ann@sender.test", "mx.example.org", new MemoryStream(signedBoth), CancellationToken.None));
