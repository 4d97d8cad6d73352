using Microsoft.Extensions.Options;

namespace Mailroom.Queue.Delivery.Remote;

/// <summary>
/// Validates <see cref="RemoteDeliveryOptions"/>: the DataAnnotations (source-generated) and the syntax of
/// every transport map entry and of the relay host.
/// </summary>
public sealed class RemoteDeliveryOptionsValidator : IValidateOptions<RemoteDeliveryOptions>
{
    private readonly RemoteDeliveryOptionsAnnotationsValidator _annotations = new();

    public ValidateOptionsResult Validate(string? name, RemoteDeliveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ValidateOptionsResult result = _annotations.Validate(name, options);
        if (result.Failed)
        {
            return result;
        }

        var errors = new List<string>();
        foreach (KeyValuePair<string, string> entry in options.Transports)
        {
            if (!TransportRoute.TryParse(entry.Value, options.SmtpPort, out _, out string? error))
            {
                errors.Add($"Delivery:Transports:{entry.Key}: {error}");
            }
        }

        if (!string.IsNullOrWhiteSpace(options.RelayHost) && !TransportRoute.TryParseHost(options.RelayHost, options.SmtpPort, out _, out string? relayError))
        {
            errors.Add($"Delivery:RelayHost: {relayError}");
        }

        if (!string.IsNullOrEmpty(options.RelayUser) && options.RelayPassword is null)
        {
            errors.Add("Delivery:RelayPassword: required when RelayUser is set");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
