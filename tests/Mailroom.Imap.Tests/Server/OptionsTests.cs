using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Mailroom.Imap.Tests.Server;

public sealed class OptionsTests
{
    [Fact]
    public void DefaultsAreValidAndDocumentedValues()
    {
        var options = new ImapOptions();
        Assert.True(new ImapOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(143, options.Port);
        Assert.Equal(993, options.ImapsPort);
        Assert.Equal(65536, options.MaxLineLength);
        Assert.Equal(50L * 1024 * 1024, options.MaxLiteralSize);
        Assert.Equal(TimeSpan.FromMinutes(30), options.IdleTimeout);
        Assert.Equal(100, options.MaxFetchItems);
        Assert.Equal(1000, options.MaxSearchKeys);
        Assert.Equal(64, options.MaxSearchDepth);
        Assert.Equal(10, options.MaxSearchUpdateContexts);
        Assert.Equal(100, options.MaxListPatterns);
        Assert.Equal(64, options.MaxKeywordsPerMessage);
        Assert.Equal(64, options.MaxMimeDepth);
        Assert.Equal(10_000, options.MaxMimeParts);
        Assert.Equal(1000, options.MaxEnvelopeAddresses);
        Assert.False(options.AllowPlaintextAuth);
        Assert.True(options.AllowPlaintextAuthOnLoopback);
    }

    [Fact]
    public void OutOfRangeValuesAndBadAddressesAreRejected()
    {
        var options = new ImapOptions { Port = 70000, MaxLineLength = 10, MaxErrors = 0, IdleTimeout = TimeSpan.Zero };
        options.BindAddresses.Add("not-an-address");
        ValidateOptionsResult result = new ImapOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        foreach (string name in (string[])["Port", "MaxLineLength", "MaxErrors", "IdleTimeout", "not-an-address"])
        {
            Assert.Contains(name, result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void CostLimitsOutOfRangeAreRejected()
    {
        var options = new ImapOptions
        {
            MaxFetchItems = 0,
            MaxSearchKeys = 0,
            MaxSearchDepth = 257,
            MaxListPatterns = 0,
            MaxKeywordsPerMessage = 0,
            MaxMimeDepth = 257,
            MaxMimeParts = 0,
            MaxEnvelopeAddresses = 0,
        };
        ValidateOptionsResult result = new ImapOptionsValidator().Validate(null, options);
        foreach (string name in (string[])["MaxFetchItems", "MaxSearchKeys", "MaxSearchDepth", "MaxListPatterns", "MaxKeywordsPerMessage", "MaxMimeDepth", "MaxMimeParts", "MaxEnvelopeAddresses"])
        {
            Assert.Contains(name, result.FailureMessage, StringComparison.Ordinal);
        }

        var lowest = new ImapOptions { MaxFetchItems = 1, MaxSearchKeys = 1, MaxSearchDepth = 1, MaxListPatterns = 1, MaxKeywordsPerMessage = 1, MaxMimeDepth = 1, MaxMimeParts = 1, MaxEnvelopeAddresses = 1 };
        Assert.True(new ImapOptionsValidator().Validate(null, lowest).Succeeded);
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(1000, true)]
    [InlineData(1001, false)]
    public void SearchUpdateContextsAreBoundedFromZeroToAThousand(int value, bool valid)
    {
        ValidateOptionsResult result = new ImapOptionsValidator().Validate(null, new ImapOptions { MaxSearchUpdateContexts = value });
        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("MaxSearchUpdateContexts", result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AddMailroomImapRegistersTheValidator()
    {
        IServiceCollection services = new ServiceCollection().AddMailroomImap().AddMailroomImap();
        ServiceDescriptor validator = Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<ImapOptions>));
        Assert.Equal(typeof(ImapOptionsValidator), validator.ImplementationType);
        Assert.Same(TimeProvider.System, Assert.Single(services, d => d.ServiceType == typeof(TimeProvider)).ImplementationInstance);
    }
}
