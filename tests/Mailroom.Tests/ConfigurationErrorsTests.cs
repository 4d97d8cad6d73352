using Mailroom.Configuration;
using Mailroom.Queue;
using Mailroom.Queue.Delivery.Remote;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Mailroom.Tests;

public sealed class ConfigurationErrorsTests
{
    private static readonly IConfiguration Empty = new ConfigurationBuilder().Build();

    [Fact]
    public void GeneratedValidatorFailuresAreNamedByTheirConfigurationKey()
    {
        var exception = new OptionsValidationException("", typeof(RemoteDeliveryOptions),
            ["DestinationConcurrencyLimit: The field RemoteDeliveryOptions.DestinationConcurrencyLimit must be between 1 and 1000."]);
        Assert.Equal("Delivery:DestinationConcurrencyLimit: must be between 1 and 1000.", ConfigurationErrors.Describe(exception, Empty));
    }

    [Fact]
    public void SectionDefaultsToTheTypeNameWithoutOptions()
    {
        var exception = new OptionsValidationException("", typeof(QueueOptions),
            ["DeliveryConcurrency: The field QueueOptions.DeliveryConcurrency must be between 1 and 1024."]);
        Assert.Equal("Queue:DeliveryConcurrency: must be between 1 and 1024.", ConfigurationErrors.Describe(exception, Empty));
    }

    [Fact]
    public void ConversionFailuresQuoteTheValueAndNameTheKey()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Net:ShutdownTimeout"] = "soon" }).Build();
        var exception = new InvalidOperationException("Failed to convert configuration value 'soon' at 'Net:ShutdownTimeout' to type 'System.TimeSpan'.");
        Assert.Equal("Net:ShutdownTimeout: 'soon' is not a valid time span (hh:mm:ss)", ConfigurationErrors.Describe(exception, configuration));
    }

    [Fact]
    public void UnrelatedExceptionsAreNotDescribed()
    {
        Assert.Null(ConfigurationErrors.Describe(new IOException("disk on fire"), Empty));
    }
}
