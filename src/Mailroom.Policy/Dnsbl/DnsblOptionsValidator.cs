using Microsoft.Extensions.Options;

namespace Mailroom.Policy.Dnsbl;

/// <summary>Validates <see cref="DnsblOptions"/>; each message names the key to fix.</summary>
public sealed class DnsblOptionsValidator : IValidateOptions<DnsblOptions>
{
    public ValidateOptionsResult Validate(string? name, DnsblOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        foreach (string entry in options.Sites)
        {
            if (!DnsblSite.TryParse(entry, out _, out string? error))
            {
                errors.Add($"Dnsbl:Sites: {error}");
            }
        }

        if (options.Threshold is < -1000 or > 1000)
        {
            errors.Add($"Dnsbl:Threshold must be between -1000 and 1000 (was {options.Threshold})");
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromMinutes(2))
        {
            errors.Add($"Dnsbl:Timeout must be between 00:00:00.001 and 00:02:00 (was {options.Timeout})");
        }

        if (options.MaxCacheTtl < TimeSpan.Zero || options.NegativeCacheTtl < TimeSpan.Zero)
        {
            errors.Add("Dnsbl:MaxCacheTtl and Dnsbl:NegativeCacheTtl must not be negative");
        }

        if (options.CacheSize is < 0 or > 10_000_000)
        {
            errors.Add($"Dnsbl:CacheSize must be between 0 and 10000000 (was {options.CacheSize})");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
