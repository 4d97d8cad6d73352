using System.ComponentModel.DataAnnotations;
using System.Net;
using Mailroom.Net;
using Microsoft.Extensions.Options;

namespace Mailroom.Smtp;

/// <summary>Validates <see cref="SmtpOptions"/>; each failure names its configuration key (<c>Smtp:TrustedNetworks</c>).</summary>
public sealed class SmtpOptionsValidator : IValidateOptions<SmtpOptions>
{
    public ValidateOptionsResult Validate(string? name, SmtpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            foreach (ValidationResult result in results)
            {
                string members = string.Join(", ", result.MemberNames.Select(m => $"{SmtpOptions.SectionName}:{m}"));
                failures.Add($"{members}: {result.ErrorMessage}");
            }
        }

        if (!NetworkList.TryParse(options.TrustedNetworks, $"{SmtpOptions.SectionName}:TrustedNetworks", out _, out string? error))
        {
            failures.Add(error!);
        }

        foreach (string address in options.BindAddresses)
        {
            if (!IPAddress.TryParse(address, out _))
            {
                failures.Add($"bad address '{address}' in {SmtpOptions.SectionName}:BindAddresses");
            }
        }

        foreach ((string key, IList<Policy.Milter.MilterSettings> milters) in new[] { ("Milters", options.Milters), ("SubmissionMilters", options.SubmissionMilters) })
        {
            for (int i = 0; i < milters.Count; i++)
            {
                if (!Policy.Milter.MilterChain.IsValidAddress(milters[i].Address))
                {
                    failures.Add($"{SmtpOptions.SectionName}:{key}:{i}:Address must be inet:host:port or unix:/path, got '{milters[i].Address}'");
                }

                results.Clear();
                if (!Validator.TryValidateObject(milters[i], new ValidationContext(milters[i]), results, validateAllProperties: true))
                {
                    failures.AddRange(results.Select(r => $"{SmtpOptions.SectionName}:{key}:{i}:{string.Join(", ", r.MemberNames)}: {r.ErrorMessage}"));
                }
            }
        }

        foreach (string marker in options.SpamHeaders)
        {
            if (!Policy.SpamHeaders.TryParseMarker(marker, out _))
            {
                failures.Add($"{SmtpOptions.SectionName}:SpamHeaders: '{marker}' is not 'Name: value'");
            }
        }

        if (string.IsNullOrWhiteSpace(options.Hostname) || options.Hostname.Any(c => c <= ' ' || c > '~'))
        {
            failures.Add($"{SmtpOptions.SectionName}:Hostname must be a host name without spaces, got '{options.Hostname}'");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
