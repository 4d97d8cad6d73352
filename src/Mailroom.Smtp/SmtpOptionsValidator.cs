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

        if (string.IsNullOrWhiteSpace(options.Hostname) || options.Hostname.Any(c => c <= ' ' || c > '~'))
        {
            failures.Add($"{SmtpOptions.SectionName}:Hostname must be a host name without spaces, got '{options.Hostname}'");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
