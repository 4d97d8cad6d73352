using Mailroom.Configuration;
using Microsoft.Extensions.Options;

namespace Mailroom.Hosting.Observability;

/// <summary>Checks <c>Metrics:Listen</c> at start-up and in <c>config check</c>.</summary>
internal sealed class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
{
    public ValidateOptionsResult Validate(string? name, MetricsOptions options)
    {
        try
        {
            ObservabilityServer.ParseListen(options.Listen);
            return ValidateOptionsResult.Success;
        }
        catch (ConfigurationException ex)
        {
            return ValidateOptionsResult.Fail(ex.Message);
        }
    }
}
