using Microsoft.Extensions.Options;

namespace Mailroom.Queue.Tests;

public sealed class QueueOptionsTests
{
    [Fact]
    public void DefaultsArePostfixsAndValid()
    {
        var options = new QueueOptions();

        Assert.Equal(TimeSpan.FromSeconds(300), options.MinimalBackoff);
        Assert.Equal(TimeSpan.FromSeconds(4000), options.MaximalBackoff);
        Assert.Equal(TimeSpan.FromDays(5), options.MaximalQueueLifetime);
        Assert.Equal(2 * Environment.ProcessorCount, options.DeliveryConcurrency);
        Assert.True(new QueueOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void ZeroConcurrencyIsRejected()
    {
        ValidateOptionsResult result = new QueueOptionsValidator().Validate(null, new QueueOptions { DeliveryConcurrency = 0 });

        Assert.True(result.Failed);
        Assert.Contains(nameof(QueueOptions.DeliveryConcurrency), result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(16 * 1024 * 1024, true)]
    [InlineData(-1, false)]
    [InlineData((16 * 1024 * 1024) + 1, false)]
    public void TheDirectMemoryLimitIsAcceptedFromZeroToSixteenMebibytes(int limit, bool valid)
    {
        ValidateOptionsResult result = new QueueOptionsValidator().Validate(null, new QueueOptions { DirectMemoryLimit = limit });

        Assert.Equal(valid, result.Succeeded);
        Assert.Equal(128 * 1024, new QueueOptions().DirectMemoryLimit);
    }
}
