using Mailroom.Policy.Dkim;
using Mailroom.Policy.Spf;
using Mailroom.Policy.Srs;

namespace Mailroom.Policy.Tests;

public sealed class PolicyOptionsValidatorTests
{
    private readonly PolicyOptionsValidator _validator = new();

    [Theory]
    [InlineData(1, true)]
    [InlineData(100, true)]
    [InlineData(0, false)]
    [InlineData(101, false)]
    public void SpfLookupLimitIsBoundedOnBothSides(int limit, bool valid) =>
        Assert.Equal(valid, _validator.Validate(null, new SpfOptions { MaxDnsLookups = limit }).Succeeded);

    [Theory]
    [InlineData(1024, true)]
    [InlineData(1023, false)]
    [InlineData(16384, true)]
    [InlineData(16385, false)]
    public void DkimKeyFloorCannotGoBelowRfc8301(int bits, bool valid) =>
        Assert.Equal(valid, _validator.Validate(null, new DkimOptions { MinimumRsaKeyBits = bits }).Succeeded);

    [Theory]
    [InlineData(0, true)]
    [InlineData(100, true)]
    [InlineData(101, false)]
    public void DkimSignatureLimitIsBounded(int limit, bool valid) =>
        Assert.Equal(valid, _validator.Validate(null, new DkimOptions { MaxSignaturesToVerify = limit }).Succeeded);

    [Theory]
    [InlineData(1, true)]
    [InlineData(1000, true)]
    [InlineData(0, false)]
    [InlineData(1001, false)]
    public void SrsAgeIsBoundedOnBothSides(int days, bool valid) =>
        Assert.Equal(valid, _validator.Validate(null, new SrsOptions { MaxAgeDays = days }).Succeeded);

    [Fact]
    public void SrsDomainMustBeADomain()
    {
        var result = _validator.Validate(null, new SrsOptions { Domain = "not a domain" });

        Assert.True(result.Failed);
        Assert.Contains("Srs:Domain", result.FailureMessage, StringComparison.Ordinal);
    }
}
