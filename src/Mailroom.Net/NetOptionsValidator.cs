using Microsoft.Extensions.Options;

namespace Mailroom.Net;

/// <summary>Validates <see cref="NetOptions"/>; every message names the configuration key to fix.</summary>
public sealed class NetOptionsValidator : IValidateOptions<NetOptions>
{
    public ValidateOptionsResult Validate(string? name, NetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        RequireRange(errors, "Net:MaxConnections", options.MaxConnections, 1, 1_000_000);
        RequireRange(errors, "Net:MaxConnectionsPerIp", options.MaxConnectionsPerIp, 0, 1_000_000);
        if (options.Pools is null)
        {
            errors.Add("Net:Pools must not be null");
        }
        else
        {
            foreach (ListenerClass listenerClass in Enum.GetValues<ListenerClass>())
            {
                ConnectionPoolOptions? pool = options.Pools.For(listenerClass);
                if (pool is null)
                {
                    errors.Add($"Net:Pools:{listenerClass} must not be null");
                    continue;
                }

                if (pool.MaxConnections is { } max)
                {
                    RequireRange(errors, $"Net:Pools:{listenerClass}:MaxConnections", max, 1, 1_000_000);
                }

                if (pool.MaxConnectionsPerIp is { } perIp)
                {
                    RequireRange(errors, $"Net:Pools:{listenerClass}:MaxConnectionsPerIp", perIp, 0, 1_000_000);
                }
            }
        }

        if (!NetworkList.TryParse(options.ConnectionLimitExemptions, "Net:ConnectionLimitExemptions", out _, out string? exemptionError))
        {
            errors.Add(exemptionError!);
        }

        RequirePositive(errors, "Net:ShutdownTimeout", options.ShutdownTimeout);
        RequirePositive(errors, "Net:TlsHandshakeTimeout", options.TlsHandshakeTimeout);

        var tls = options.Tls;
        if (tls is null)
        {
            errors.Add("Net:Tls must not be null");
        }
        else
        {
            if (tls.KeyFile is not null && tls.CertificateFile is null)
            {
                errors.Add("Net:Tls:KeyFile is set but Net:Tls:CertificateFile is not; set both or neither");
            }

            if (string.IsNullOrWhiteSpace(tls.TlsDirectory))
            {
                errors.Add("Net:Tls:TlsDirectory must not be empty");
            }
        }

        var throttle = options.AuthThrottle;
        if (throttle is null)
        {
            errors.Add("Net:AuthThrottle must not be null");
        }
        else
        {
            RequireRange(errors, "Net:AuthThrottle:FreeFailures", throttle.FreeFailures, 0, 1000);
            RequireRange(errors, "Net:AuthThrottle:BlockAfter", throttle.BlockAfter, 1, 1_000_000);
            RequireRange(errors, "Net:AuthThrottle:MaxTrackedKeys", throttle.MaxTrackedKeys, 16, 100_000_000);
            RequirePositive(errors, "Net:AuthThrottle:Window", throttle.Window);
            if (throttle.BaseDelay < TimeSpan.Zero)
            {
                errors.Add($"Net:AuthThrottle:BaseDelay must not be negative (was {throttle.BaseDelay})");
            }

            if (throttle.MaxDelay < throttle.BaseDelay)
            {
                errors.Add($"Net:AuthThrottle:MaxDelay ({throttle.MaxDelay}) must not be below Net:AuthThrottle:BaseDelay ({throttle.BaseDelay})");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void RequireRange(List<string> errors, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{key} must be between {min} and {max} (was {value})");
        }
    }

    private static void RequirePositive(List<string> errors, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{key} must be a positive time span (was {value})");
        }
    }
}
