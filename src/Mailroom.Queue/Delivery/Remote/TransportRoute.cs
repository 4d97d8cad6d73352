using System.Globalization;
using Mailroom.Core;

namespace Mailroom.Queue.Delivery.Remote;

/// <summary>
/// One parsed transport: <c>smtp:[host]:port</c>, <c>smtp:host:port</c>, <c>discard[:text]</c>,
/// <c>error:text</c>, <c>retry:text</c>. A host in brackets is used as is; without brackets its MX records are
/// looked up (as in Postfix's <c>transport(5)</c> and <c>relayhost</c>).
/// </summary>
/// <param name="Kind">What the route does.</param>
/// <param name="Host">The SMTP host or MX domain (<see cref="TransportKind.Smtp"/>); null to use the recipient's domain.</param>
/// <param name="Port">The TCP port.</param>
/// <param name="MxLookup">True when <see cref="Host"/> (or the recipient's domain) is resolved through MX records.</param>
/// <param name="Text">The text of discard/error/retry entries.</param>
internal sealed record TransportRoute(TransportKind Kind, string? Host, int Port, bool MxLookup, string Text)
{
    public static TransportRoute Direct(int port) => new(TransportKind.Smtp, null, port, MxLookup: true, "");

    public static bool TryParse(string value, int defaultPort, out TransportRoute? route, out string? error)
    {
        route = null;
        error = null;
        string text = value.Trim();
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string kind = colon < 0 ? text : text[..colon];
        string rest = colon < 0 ? "" : text[(colon + 1)..];
        switch (kind.ToLowerInvariant())
        {
            case "smtp":
                if (rest.Length == 0)
                {
                    route = Direct(defaultPort);
                    return true;
                }

                return TryParseHost(rest, defaultPort, out route, out error);
            case "discard":
                route = new TransportRoute(TransportKind.Discard, null, 0, false, rest.Length == 0 ? "discarded" : rest);
                return true;
            case "error":
                route = new TransportRoute(TransportKind.Error, null, 0, false, rest.Length == 0 ? "mail for this destination is refused" : rest);
                return true;
            case "retry":
                route = new TransportRoute(TransportKind.Retry, null, 0, false, rest.Length == 0 ? "delivery temporarily suspended" : rest);
                return true;
            default:
                error = $"'{value}' is not smtp:[host]:port, smtp:host:port, discard, error:text or retry:text";
                return false;
        }
    }

    /// <summary>Parses <c>[host]:port</c>, <c>[host]</c>, <c>host:port</c> or <c>host</c>.</summary>
    public static bool TryParseHost(string value, int defaultPort, out TransportRoute? route, out string? error)
    {
        route = null;
        error = null;
        string text = value.Trim();
        bool bracketed = text.StartsWith('[');
        string host;
        string portText = "";
        if (bracketed)
        {
            int close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 2)
            {
                error = $"'{value}' has no closing bracket";
                return false;
            }

            host = text[1..close];
            string after = text[(close + 1)..];
            if (after.Length > 0)
            {
                if (after[0] != ':')
                {
                    error = $"'{value}' has text after the bracket that is not :port";
                    return false;
                }

                portText = after[1..];
            }
        }
        else
        {
            int colon = text.LastIndexOf(':');
            host = colon < 0 ? text : text[..colon];
            portText = colon < 0 ? "" : text[(colon + 1)..];
        }

        int port = defaultPort;
        if (portText.Length > 0 && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            error = $"'{value}' has an invalid port '{portText}'";
            return false;
        }

        bool isAddress = System.Net.IPAddress.TryParse(host, out _);
        if (!isAddress && !EmailAddress.IsValidDomain(host))
        {
            error = $"'{value}' has an invalid host name '{host}'";
            return false;
        }

        route = new TransportRoute(TransportKind.Smtp, host.ToLowerInvariant(), port, MxLookup: !bracketed && !isAddress, "");
        return true;
    }
}
