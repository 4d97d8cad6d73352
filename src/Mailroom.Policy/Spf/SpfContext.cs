using System.Net;
using Mailroom.Policy.Dns;

namespace Mailroom.Policy.Spf;

/// <summary>
/// The inputs of one <c>check_host()</c> evaluation and its shared budget: RFC 7208 §4.6.4 counts DNS-querying
/// terms and void lookups across every include and redirect of the evaluation, so both live here.
/// </summary>
internal sealed class SpfContext
{
    private string? _validatedName;

    public SpfContext(IDnsResolver dns, IPAddress address, string sender, string helo, string receivingHost, DateTimeOffset now, SpfLimits limits)
    {
        Dns = dns;
        Address = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        Sender = sender;
        int at = sender.LastIndexOf('@');
        SenderLocalPart = at > 0 ? sender[..at] : "postmaster";
        SenderDomain = at >= 0 ? sender[(at + 1)..] : sender;
        Helo = helo;
        ReceivingHost = receivingHost;
        Now = now;
        Limits = limits;
    }

    public IDnsResolver Dns { get; }

    public IPAddress Address { get; }

    public string Sender { get; }

    public string SenderLocalPart { get; }

    public string SenderDomain { get; }

    public string Helo { get; }

    public string ReceivingHost { get; }

    public DateTimeOffset Now { get; }

    public SpfLimits Limits { get; }

    /// <summary>Terms that caused DNS queries so far (include, a, mx, ptr, exists, redirect).</summary>
    public int DnsTerms { get; set; }

    /// <summary>Lookups that returned NXDOMAIN or no answer so far.</summary>
    public int VoidLookups { get; set; }

    /// <summary>
    /// The <c>p</c> macro (§7.3): a PTR name of the address that resolves back to it, preferring <paramref name="domain"/>
    /// or its subdomains; <c>unknown</c> when there is none. Looked up once per evaluation.
    /// </summary>
    public async ValueTask<string> ValidatedNameAsync(string domain, CancellationToken cancellationToken)
    {
        if (_validatedName is not null)
        {
            return _validatedName;
        }

        IReadOnlyList<string> names = await SpfEvaluator.ValidatedNamesAsync(this, cancellationToken).ConfigureAwait(false);
        _validatedName = names.FirstOrDefault(n => SpfEvaluator.IsSameOrSubdomain(n, domain)) ?? names.FirstOrDefault() ?? "unknown";
        return _validatedName;
    }
}
