using System.Text;
using Mailroom.Interop.Tests.Support;
using Mailroom.Policy.Dkim;
using Mailroom.Policy.Dns;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Mailroom.Interop.Tests;

/// <summary>
/// DKIM against the tools of the classic stack: our signatures verify with dkimpy (python3-dkim) and OpenDKIM's
/// opendkim-testmsg, and messages those tools sign verify with ours, RSA and Ed25519, all keys served by dnsmasq.
/// </summary>
public sealed class DkimInteropTests : IDisposable
{
    private const string Message = "From: Ann <ann@sign.test>\r\nTo: bob@example.test\r\nSubject: interop\r\nDate: Tue, 1 Oct 2024 10:00:00 +0000\r\nMessage-ID: <interop@sign.test>\r\n\r\nHello,  Bob.\t \r\nSecond line.\r\n\r\n\r\n";

    /// <summary>dkimpy's verify with TXT answers from the given DNS server; prints pass/fail per signature.</summary>
    private const string DkimpyVerify = """
        import sys, dkim, dns.resolver
        r = dns.resolver.Resolver(configure=False)
        r.nameservers = ['127.0.0.1']
        r.port = int(sys.argv[1])
        def txt(name, timeout=5):
            name = name.decode() if isinstance(name, bytes) else name
            try:
                a = r.resolve(name.rstrip('.'), 'TXT', lifetime=timeout)
            except Exception:
                return None
            return b''.join(a[0].strings)
        msg = sys.stdin.buffer.read()
        d = dkim.DKIM(msg)
        n = sum(1 for h in d.headers if h[0].lower() == b'dkim-signature')
        print(' '.join('pass' if d.verify(idx=i, dnsfunc=txt) else 'fail' for i in range(n)))
        """;

    /// <summary>An Ed25519 key for dkimpy: the base64 seed (its key file) and the base64 public key (p=).</summary>
    private const string NaclKey = """
        import base64, nacl.signing
        k = nacl.signing.SigningKey.generate()
        print(base64.b64encode(bytes(k)).decode())
        print(base64.b64encode(bytes(k.verify_key)).decode())
        """;

    private readonly string _directory = System.IO.Directory.CreateTempSubdirectory("mailroom-dkim-interop-").FullName;

    public void Dispose() => System.IO.Directory.Delete(_directory, recursive: true);

    private (DkimKeyStore Store, IReadOnlyList<DkimKey> Keys) OurKeys()
    {
        var store = new DkimKeyStore(Path.Combine(_directory, "keys"));
        store.Generate("sign.test", DkimAlgorithm.Rsa, "rsa", TimeProvider.System);
        store.Generate("sign.test", DkimAlgorithm.Ed25519, "ed", TimeProvider.System);
        return (store, store.SigningKeys("sign.test"));
    }

    private static string SignWithOurs(IReadOnlyList<DkimKey> keys)
    {
        MimeMessage message = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(Message)));
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        DkimSigning.Sign(message, format, keys, DateTimeOffset.UtcNow);
        using var output = new MemoryStream();
        message.WriteTo(format, output);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    private static async Task<IReadOnlyList<DkimSignatureResult>> VerifyWithOursAsync(TestDnsServer dns, string text)
    {
        var resolver = new DnsResolver(Options.Create(new DnsOptions { Servers = [dns.Server] }));
        MimeMessage message = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\r\n"))));
        return await new DkimChecker(resolver, new DkimOptions(), TimeProvider.System).VerifyAsync(message, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task OurRsaAndEd25519SignaturesVerifyWithDkimpy()
    {
        (_, IReadOnlyList<DkimKey> keys) = OurKeys();
        await using TestDnsServer dns = await Zone(keys).StartAsync();

        ProcessResult result = await DebianPython.RunAsync(DkimpyVerify, [dns.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)], SignWithOurs(keys));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("pass pass", result.StandardOutput.Trim());
    }

    [Theory]
    [InlineData(DkimAlgorithm.Rsa)]
    [InlineData(DkimAlgorithm.Ed25519)]
    public async Task OurSignatureVerifiesWithOpendkimTestmsg(DkimAlgorithm algorithm)
    {
        (_, IReadOnlyList<DkimKey> keys) = OurKeys();
        DkimKey key = keys.Single(k => k.Algorithm == algorithm);
        await using TestDnsServer dns = Zone(keys);
        string tool = ExternalTool.Require("opendkim-testmsg");

        ProcessResult verified = await dns.RunIsolatedAsync($"{tool} -C", SignWithOurs([key]));

        Assert.True(verified.ExitCode == 0 && verified.StandardError.Length == 0 && verified.StandardOutput.Length == 0, verified.ToString());
    }

    [Fact]
    public async Task TamperedMessageFailsWithOpendkimTestmsgToo()
    {
        (_, IReadOnlyList<DkimKey> keys) = OurKeys();
        await using TestDnsServer dns = Zone(keys);
        string tool = ExternalTool.Require("opendkim-testmsg");
        string tampered = SignWithOurs([keys.Single(k => k.Algorithm == DkimAlgorithm.Rsa)]).Replace("Second line.", "Second lime.", StringComparison.Ordinal);

        ProcessResult verified = await dns.RunIsolatedAsync($"{tool} -C", tampered);

        Assert.NotEqual(0, verified.ExitCode);
    }

    [Fact]
    public async Task MessagesSignedByDkimpyVerifyWithOursForRsaAndEd25519()
    {
        string rsaKey = Path.Combine(_directory, "rsa.pem");
        string rsaPublic = await RsaKeyAsync(rsaKey);
        ProcessResult nacl = await DebianPython.RunAsync(NaclKey, []);
        string[] ed = nacl.StandardOutput.Trim().Split('\n');
        string edKey = Path.Combine(_directory, "ed.key");
        await File.WriteAllTextAsync(edKey, ed[0] + "\n", TestContext.Current.CancellationToken);
        await using TestDnsServer dns = await new TestDnsServer()
            .Txt("py-rsa._domainkey.sign.test", "v=DKIM1; k=rsa; p=" + rsaPublic)
            .Txt("py-ed._domainkey.sign.test", "v=DKIM1; k=ed25519; p=" + ed[1])
            .StartAsync();

        ProcessResult rsaSigned = await ExternalTool.RunAsync("dkimsign", ["py-rsa", "sign.test", rsaKey], Message);
        ProcessResult edSigned = await ExternalTool.RunAsync("dkimsign", ["--signalg", "ed25519-sha256", "--bcanon", "relaxed", "py-ed", "sign.test", edKey], rsaSigned.StandardOutput);
        Assert.True(edSigned.ExitCode == 0, edSigned.ToString());

        IReadOnlyList<DkimSignatureResult> results = await VerifyWithOursAsync(dns, edSigned.StandardOutput);

        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.True(r.Passed, r.ToString()));
        Assert.Contains(results, r => r.Algorithm == "ed25519-sha256");
    }

    /// <summary>
    /// opendkim-testmsg can only sign rsa-sha1 (it has no algorithm option), which RFC 8301 §3.1 forbids verifiers
    /// to accept: ours names that reason. Its relaxed canonicalization is checked by the next test, where OpenDKIM
    /// verifies what we sign.
    /// </summary>
    [Fact]
    public async Task RsaSha1SignatureOfOpendkimTestmsgIsNotAcceptedAsRfc8301Says()
    {
        string key = Path.Combine(_directory, "odkim.pem");
        string publicKey = await RsaKeyAsync(key);
        await using TestDnsServer dns = await new TestDnsServer().Txt("odkim._domainkey.sign.test", "v=DKIM1; k=rsa; p=" + publicKey).StartAsync();

        ProcessResult signed = await ExternalTool.RunAsync("opendkim-testmsg", ["-C", "-d", "sign.test", "-s", "odkim", "-k", key], Message);
        Assert.True(signed.ExitCode == 0, signed.ToString());

        DkimSignatureResult result = Assert.Single(await VerifyWithOursAsync(dns, signed.StandardOutput));
        Assert.Equal(("policy", "rsa-sha1", "odkim"), (result.Result, result.Algorithm, result.Selector));
        Assert.Contains("RFC 8301", result.Reason, StringComparison.Ordinal);
    }

    private static TestDnsServer Zone(IReadOnlyList<DkimKey> keys)
    {
        var dns = new TestDnsServer();
        foreach (DkimKey key in keys)
        {
            dns.Txt($"{key.Selector}._domainkey.{key.Domain}", key.TxtRecord);
        }

        return dns;
    }

    /// <summary>A 2048-bit RSA key by openssl (PKCS #1 PEM, as both tools read it); returns its p= value.</summary>
    private static async Task<string> RsaKeyAsync(string path)
    {
        ProcessResult generated = await ExternalTool.RunAsync("openssl", ["genrsa", "-traditional", "-out", path, "2048"]);
        Assert.True(generated.ExitCode == 0, generated.ToString());
        ProcessResult der = await ExternalTool.RunAsync("openssl", ["rsa", "-in", path, "-pubout", "-outform", "PEM"]);
        return string.Concat(der.StandardOutput.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal)).Select(l => l.Trim()));
    }
}
