using Mailroom.Policy.Arc;
using Mailroom.Policy.Dkim;
using Mailroom.Policy.Dmarc;
using Mailroom.Policy.Srs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Mailroom.Policy.Tests;

/// <summary>A SIGHUP reload hands <see cref="OutboundAuthenticator"/> new settings; the SRS secret file is read again.</summary>
public sealed class OutboundAuthenticatorReconfigureTests : IDisposable
{
    private readonly DirectoryInfo _directory = System.IO.Directory.CreateTempSubdirectory("mailroom-outbound-");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(1_727_776_800));

    private string SecretFile => Path.Combine(_directory.FullName, "srs.secret");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void ASecretAddedInFrontSignsNewAddressesAfterReconfigureWhileAddressesMadeBeforeStillReverse()
    {
        File.WriteAllText(SecretFile, "old-secret\n");
        OutboundAuthenticator outbound = Authenticator();
        string before = outbound.Srs.Forward("ann@example.com", "forward.example.org");

        File.WriteAllText(SecretFile, "new-secret\nold-secret\n");
        outbound.Reconfigure(new DkimOptions(), new ArcOptions(), new SrsOptions { SecretFile = SecretFile });
        string after = outbound.Srs.Forward("ann@example.com", "forward.example.org");

        Assert.NotEqual(before, after);
        Assert.Equal(new SrsReversal(SrsReversalStatus.Reversed, "ann@example.com"), outbound.Srs.Reverse(before));
        Assert.Equal(new SrsReversal(SrsReversalStatus.Reversed, "ann@example.com"), outbound.Srs.Reverse(after));
    }

    [Fact]
    public void ReconfigureKeepsTheSecretFileOfTheStart()
    {
        File.WriteAllText(SecretFile, "old-secret\n");
        OutboundAuthenticator outbound = Authenticator();
        string before = outbound.Srs.Forward("ann@example.com", "forward.example.org");
        string elsewhere = Path.Combine(_directory.FullName, "other.secret");

        outbound.Reconfigure(new DkimOptions(), new ArcOptions(), new SrsOptions { SecretFile = elsewhere });

        Assert.Equal(before, outbound.Srs.Forward("ann@example.com", "forward.example.org"));
        Assert.False(File.Exists(elsewhere));
    }

    private OutboundAuthenticator Authenticator() => new(
        new DkimKeyStore(Path.Combine(_directory.FullName, "dkim")),
        new DkimOptions(),
        new ArcOptions(),
        new SrsOptions { SecretFile = SecretFile },
        new PublicSuffixList("/usr/share/publicsuffix/public_suffix_list.dat", _time),
        "mx.example.org",
        _time,
        NullLoggerFactory.Instance);
}
