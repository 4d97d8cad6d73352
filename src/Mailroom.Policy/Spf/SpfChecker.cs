using System.Net;
using Mailroom.Policy.Dns;

namespace Mailroom.Policy.Spf;

/// <summary>
/// The SPF verifier (RFC 7208): the MAIL FROM identity, or with a null reverse path the HELO identity as
/// <c>postmaster@helo</c> (§2.4); a HELO that is not a domain name gives <c>none</c> (§4.3).
/// </summary>
public sealed class SpfChecker
{
    private readonly IDnsResolver _dns;
    private readonly SpfLimits _limits;
    private readonly TimeProvider _time;

    public SpfChecker(IDnsResolver dns, SpfLimits limits, TimeProvider timeProvider)
    {
        _dns = dns;
        _limits = limits;
        _time = timeProvider;
    }

    /// <summary>Checks <paramref name="sender"/> (empty for <c>&lt;&gt;</c>) from <paramref name="client"/>.</summary>
    /// <param name="receivingHost">This host's name, for the <c>r</c> macro of explanations.</param>
    public ValueTask<SpfVerdict> CheckMailFromAsync(IPAddress client, string sender, string helo, string receivingHost, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(sender);
        if (sender.Length == 0)
        {
            return CheckHeloAsync(client, helo, receivingHost, cancellationToken);
        }

        int at = sender.LastIndexOf('@');
        string domain = sender[(at + 1)..];

        // §4.3: a sender without a local part is treated as postmaster@domain.
        string identity = at <= 0 ? "postmaster@" + domain : sender;
        var context = new SpfContext(_dns, client, identity, helo, receivingHost, _time.GetUtcNow(), _limits);
        return SpfEvaluator.CheckHostAsync(context, domain, cancellationToken);
    }

    public ValueTask<SpfVerdict> CheckHeloAsync(IPAddress client, string helo, string receivingHost, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        helo ??= "";
        if (!SpfEvaluator.IsValidDomain(helo))
        {
            return ValueTask.FromResult(new SpfVerdict(SpfResult.None, helo) { Problem = "HELO is not a domain name" });
        }

        var context = new SpfContext(_dns, client, "postmaster@" + helo, helo, receivingHost, _time.GetUtcNow(), _limits);
        return SpfEvaluator.CheckHostAsync(context, helo, cancellationToken);
    }
}
