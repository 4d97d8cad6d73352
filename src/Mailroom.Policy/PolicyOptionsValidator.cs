using Mailroom.Policy.Dkim;
using Mailroom.Policy.Spf;
using Mailroom.Policy.Srs;
using Microsoft.Extensions.Options;

namespace Mailroom.Policy;

/// <summary>Validates the limits of the <c>Spf</c>, <c>Dkim</c> and <c>Srs</c> sections; each message names the key.</summary>
public sealed class PolicyOptionsValidator : IValidateOptions<SpfOptions>, IValidateOptions<DkimOptions>, IValidateOptions<SrsOptions>
{
    public ValidateOptionsResult Validate(string? name, SpfOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        Range(errors, "Spf:MaxDnsLookups", options.MaxDnsLookups, 1, 100);
        Range(errors, "Spf:MaxVoidLookups", options.MaxVoidLookups, 0, 100);
        return Result(errors);
    }

    public ValidateOptionsResult Validate(string? name, DkimOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        Range(errors, "Dkim:MaxSignaturesToVerify", options.MaxSignaturesToVerify, 0, 100);
        Range(errors, "Dkim:MinimumRsaKeyBits", options.MinimumRsaKeyBits, 1024, 16384);
        if (string.IsNullOrWhiteSpace(options.KeyDirectory))
        {
            errors.Add("Dkim:KeyDirectory must not be empty");
        }

        return Result(errors);
    }

    public ValidateOptionsResult Validate(string? name, SrsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        Range(errors, "Srs:MaxAgeDays", options.MaxAgeDays, 1, 1000);
        if (string.IsNullOrWhiteSpace(options.SecretFile))
        {
            errors.Add("Srs:SecretFile must not be empty");
        }

        if (options.Domain is { } domain && !Core.EmailAddress.IsValidDomain(domain))
        {
            errors.Add($"Srs:Domain: '{domain}' is not a domain name");
        }

        return Result(errors);
    }

    private static void Range(List<string> errors, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{key} must be between {min} and {max} (was {value})");
        }
    }

    private static ValidateOptionsResult Result(List<string> errors) =>
        errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
}
