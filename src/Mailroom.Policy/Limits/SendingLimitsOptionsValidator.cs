using Microsoft.Extensions.Options;

namespace Mailroom.Policy.Limits;

/// <summary>Validates <see cref="SendingLimitsOptions"/>; each message names the key to fix.</summary>
public sealed class SendingLimitsOptionsValidator : IValidateOptions<SendingLimitsOptions>
{
    public ValidateOptionsResult Validate(string? name, SendingLimitsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        Range(errors, nameof(options.UserMessagesPerHour), options.UserMessagesPerHour, 0, 10_000_000);
        Range(errors, nameof(options.UserRecipientsPerHour), options.UserRecipientsPerHour, 0, 10_000_000);
        Range(errors, nameof(options.ClientMessagesPerHour), options.ClientMessagesPerHour, 0, 10_000_000);
        Range(errors, nameof(options.ClientRecipientsPerHour), options.ClientRecipientsPerHour, 0, 10_000_000);
        Range(errors, nameof(options.MaxTrackedKeys), options.MaxTrackedKeys, 10, 10_000_000);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Range(List<string> errors, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{SendingLimitsOptions.SectionName}:{key} must be between {min} and {max} (was {value})");
        }
    }
}
