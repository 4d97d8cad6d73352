using Microsoft.Extensions.Options;

namespace Mailroom.Policy.Dns;

/// <summary>Validates <see cref="DnsOptions"/>; each message names the key to fix.</summary>
public sealed class DnsOptionsValidator : IValidateOptions<DnsOptions>
{
    public ValidateOptionsResult Validate(string? name, DnsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        foreach (string server in options.Servers)
        {
            if (!DnsServerAddress.TryParse(server, out _))
            {
                errors.Add($"Dns:Servers: '{server}' is not an IP address or address:port");
            }
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromMinutes(1))
        {
            errors.Add($"Dns:Timeout must be between 00:00:00.001 and 00:01:00 (was {options.Timeout})");
        }

        if (options.Retries is < 0 or > 10)
        {
            errors.Add($"Dns:Retries must be between 0 and 10 (was {options.Retries})");
        }

        if (options.MaxCacheTtl < TimeSpan.Zero)
        {
            errors.Add($"Dns:MaxCacheTtl must not be negative (was {options.MaxCacheTtl})");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
