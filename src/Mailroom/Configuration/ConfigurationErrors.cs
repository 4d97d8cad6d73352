using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Mailroom.Configuration;

/// <summary>Turns the exceptions configuration binding and validation throw into one line an admin can act on.</summary>
internal static partial class ConfigurationErrors
{
    public static string? Describe(Exception exception, IConfiguration configuration)
    {
        switch (exception)
        {
            case ConfigurationException config:
                return config.Message;
            case OptionsValidationException validation:
                return string.Join("; ", validation.Failures.Select(f => NameKeys(f, validation.OptionsType)));
            case InvalidOperationException invalid when ConversionFailure().Match(invalid.Message) is { Success: true } m:
                string key = m.Groups["key"].Value;
                return $"{key}: '{configuration[key]}' is not a valid {FriendlyType(m.Groups["type"].Value)}";
            case AggregateException aggregate when aggregate.InnerExceptions.Count > 0:
                return Describe(aggregate.InnerExceptions[0], configuration);
            default:
                return exception.InnerException is { } inner ? Describe(inner, configuration) : null;
        }
    }

    /// <summary>
    /// Source-generated validators name members as <c>SmtpOptions.Port</c>; the admin knows them as <c>Smtp:Port</c>.
    /// </summary>
    private static string NameKeys(string failure, Type optionsType)
    {
        string type = optionsType.Name;
        string section = type switch
        {
            // The options types whose section is not their name less "Options".
            "RemoteDeliveryOptions" or "LocalDeliveryOptions" => "Delivery",
            "MaillogOptions" => "Log",
            _ when type.EndsWith("Options", StringComparison.Ordinal) => type[..^"Options".Length],
            _ => type,
        };
        string named = failure.Replace(type + ".", section + ":", StringComparison.Ordinal);

        // "Port: The field Smtp:Port must be between -1 and 65535." → "Smtp:Port: must be between -1 and 65535."
        Match generated = GeneratedFailure().Match(named);
        return generated.Success ? $"{generated.Groups["key"].Value}: {generated.Groups["rest"].Value}" : named;
    }

    [GeneratedRegex(@"^[\w.]+: The field (?<key>[\w.]+:[\w.:]+) (?<rest>.*)$")]
    private static partial Regex GeneratedFailure();

    private static string FriendlyType(string type) => type switch
    {
        "System.Int32" or "System.Int64" => "number",
        "System.Boolean" => "boolean (true or false)",
        "System.TimeSpan" => "time span (hh:mm:ss)",
        _ when type.StartsWith("System.", StringComparison.Ordinal) => type["System.".Length..],
        _ => $"value of {type}",
    };

    [GeneratedRegex("at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex ConversionFailure();
}
