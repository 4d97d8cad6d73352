using Mailroom.Policy.Dkim;
using Mailroom.Policy.Tests.Support;

namespace Mailroom.Policy.Tests.Dkim;

/// <summary>Key records (RFC 6376 §3.6.1) the key locator refuses with a reason, as a permanent failure.</summary>
public sealed class DkimKeyRecordTests
{
    // An RSA SubjectPublicKeyInfo whose algorithm identifier was changed to 1.2.840.113557.1.1.1 (no known algorithm).
    private const string UnknownAlgorithmKey =
        "MIGfMA0GCSqGSIb3FQEBAQUAA4GNADCBiQKBgQDUqT4ubSp6BDg8qU8TSh6906ne0NZzuckNyWIcdEkZHzIHhawmlGhv68GseKbNHfw+9l51JOxxM6bKCFpL0IlO6MVEP42Tyz3I+EX1+0hX0QkwB8cMOQ9XhafW/ttueB9sGTJ9YlllaefWI051n4Mu9HoZ5v1YdlwmS7w9Upsw0wIDAQAB";

    [Fact]
    public async Task KeyOfAnUnknownAlgorithmIsAPermanentFailure()
    {
        // Found by fuzzing (fuzz/regressions/policy-dkim/unknown-key-algorithm): BouncyCastle's SecurityUtilityException
        // escaped the locator, the verifier and the whole check of the message.
        var dns = new FakeDns().Txt("sel._domainkey.example.org", "v=DKIM1; p=" + UnknownAlgorithmKey);
        var locator = new DnsDkimKeyLocator(dns, 1024, new DkimKeyCache());

        DkimKeyLookupException error = await Assert.ThrowsAsync<DkimKeyLookupException>(
            () => locator.LocatePublicKeyAsync("dns/txt", "example.org", "sel", TestContext.Current.CancellationToken));

        Assert.False(error.Temporary);
        Assert.Contains("unusable key", error.Message, StringComparison.Ordinal);
    }
}
