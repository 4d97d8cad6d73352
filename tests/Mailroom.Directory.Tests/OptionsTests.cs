using Microsoft.Extensions.Options;

namespace Mailroom.Directory.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void DefaultsAreValidAndMatchTheDocumentation()
    {
        var options = new DirectoryOptions();
        Assert.True(new DirectoryOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(10, options.AliasMaxDepth);
        Assert.Equal(TimeSpan.FromSeconds(60), options.AuthCacheTtl);
        Assert.Equal(10_000, options.AuthCacheSize);
        Assert.Equal(10, options.BcryptCost);
        Assert.Equal(Path.Combine("data", "mailroom.db"), options.DatabasePath);
    }

    [Fact]
    public void OutOfRangeValuesAreReported()
    {
        ValidateOptionsResult result = new DirectoryOptionsValidator().Validate(null, new DirectoryOptions { BcryptCost = 3, AliasMaxDepth = 0 });
        Assert.True(result.Failed);
        Assert.Contains("BcryptCost", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("AliasMaxDepth", result.FailureMessage, StringComparison.Ordinal);
    }
}
