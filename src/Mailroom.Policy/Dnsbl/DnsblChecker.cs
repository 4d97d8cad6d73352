using System.Net;
using System.Text;
using Mailroom.Core;
using Mailroom.Policy.Dns;
using Microsoft.Extensions.Logging;

namespace Mailroom.Policy.Dnsbl;

/// <summary>
/// Asks every configured list about a client at once, adds up the weights of those that name it (postscreen's
/// scoring), and remembers the verdict for the lists' TTL. A list that fails (SERVFAIL, a timeout, no answer within
/// <see cref="DnsblOptions.Timeout"/>) is skipped and logged, never fatal: the client is judged by the others, and a
/// verdict with a skipped list is not remembered, so the next connection asks again.
/// </summary>
public sealed class DnsblChecker
{
    // A TXT reason goes into a reply line, whose whole is limited to 512 octets (RFC 5321 §4.5.3.1.5).
    private const int MaxTextLength = 200;

    private readonly IDnsResolver _resolver;
    private readonly DnsblOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly DnsblCache _cache;

    public DnsblChecker(IDnsResolver resolver, DnsblOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        _options = options;
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _log = loggerFactory.CreateLogger(MaillogCategories.Postscreen);
        var sites = new List<DnsblSite>();
        foreach (string entry in options.Sites)
        {
            sites.Add(DnsblSite.TryParse(entry, out DnsblSite? site, out string? error) ? site! : throw new ArgumentException($"Dnsbl:Sites: {error}", nameof(options)));
        }

        Sites = sites;
        _cache = new DnsblCache(options.CacheSize, timeProvider);
    }

    /// <summary>The configured lists; none means the check is off.</summary>
    public IReadOnlyList<DnsblSite> Sites { get; }

    public bool Enabled => Sites.Count > 0;

    /// <summary>Number of remembered verdicts (for tests and diagnostics).</summary>
    public int CachedCount => _cache.Count;

    /// <summary>The lists' verdict on <paramref name="client"/>; never throws for DNS trouble.</summary>
    public async Task<DnsblVerdict> CheckAsync(IPAddress client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (!Enabled)
        {
            return DnsblVerdict.Clean;
        }

        if (client.IsIPv4MappedToIPv6)
        {
            client = client.MapToIPv4();
        }

        if (_cache.TryGet(client, out DnsblVerdict? cached))
        {
            return cached!;
        }

        using var timeout = new CancellationTokenSource(_options.Timeout, _time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        SiteAnswer[] answers = await Task.WhenAll(Sites.Select(site => AskAsync(site, client, deadline.Token, cancellationToken))).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        int score = answers.Where(a => a.Listed).Sum(a => a.Site.Weight);
        SiteAnswer? decisive = answers.Where(a => a.Listed && a.Site.Weight > 0).OrderByDescending(a => a.Site.Weight).FirstOrDefault();
        bool blocked = score >= _options.Threshold && decisive is not null;
        string? text = null;
        TimeSpan ttl = answers.Min(a => a.Ttl);
        if (blocked)
        {
            (text, TimeSpan? textTtl) = await ReasonAsync(DnsblQueryName.For(client, decisive!.Site.Zone), deadline.Token, cancellationToken).ConfigureAwait(false);
            ttl = textTtl is { } t && t < ttl ? t : ttl;
        }

        if (score != 0)
        {
            DnsblLog.Rank(_log, score, client.ToString(), string.Join(", ", answers.Where(a => a.Listed).Select(a => a.Site.Zone)));
        }

        var verdict = new DnsblVerdict(score, blocked, blocked ? decisive!.Site.Zone : null, text);
        if (answers.All(a => !a.Failed))
        {
            _cache.Set(client, verdict, ttl < _options.MaxCacheTtl ? ttl : _options.MaxCacheTtl);
        }

        return verdict;
    }

    private async Task<SiteAnswer> AskAsync(DnsblSite site, IPAddress client, CancellationToken deadline, CancellationToken caller)
    {
        string name = DnsblQueryName.For(client, site.Zone);
        DnsLookup<IPAddress> lookup;
        try
        {
            lookup = await _resolver.LookupAddressAsync(name, ipv6: false, deadline).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!caller.IsCancellationRequested)
        {
            lookup = new DnsLookup<IPAddress>(DnsLookupStatus.TemporaryFailure, [], $"no answer within {_options.Timeout.TotalSeconds:0.###} s");
        }

        switch (lookup.Status)
        {
            case DnsLookupStatus.Found:
                bool listed = lookup.Records.Any(a => site.Filter is null || site.Filter.Matches(a));
                return new SiteAnswer(site, listed, Failed: false, lookup.Ttl ?? _options.NegativeCacheTtl);
            case DnsLookupStatus.NotFound or DnsLookupStatus.NoRecords:
                return new SiteAnswer(site, Listed: false, Failed: false, lookup.Ttl ?? _options.NegativeCacheTtl);
            default:
                if (!caller.IsCancellationRequested)
                {
                    DnsblLog.LookupFailed(_log, name, lookup.Error ?? "temporary failure");
                }

                return new SiteAnswer(site, Listed: false, Failed: true, TimeSpan.Zero);
        }
    }

    private async Task<(string? Text, TimeSpan? Ttl)> ReasonAsync(string name, CancellationToken deadline, CancellationToken caller)
    {
        try
        {
            DnsLookup<string> txt = await _resolver.LookupTxtAsync(name, deadline).ConfigureAwait(false);
            return txt.Status == DnsLookupStatus.Found ? (Printable(txt.Records[0]), txt.Ttl) : (null, null);
        }
        catch (OperationCanceledException) when (!caller.IsCancellationRequested)
        {
            return (null, TimeSpan.Zero);
        }
    }

    /// <summary>The list's text as it may appear in a reply and the log: printable ASCII (others as <c>?</c>), cut short.</summary>
    internal static string? Printable(string text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, MaxTextLength));
        foreach (char c in text.AsSpan(0, Math.Min(text.Length, MaxTextLength)))
        {
            builder.Append(c is >= ' ' and <= '~' ? c : '?');
        }

        string result = builder.ToString().Trim();
        return result.Length == 0 ? null : result;
    }

    private sealed record SiteAnswer(DnsblSite Site, bool Listed, bool Failed, TimeSpan Ttl);
}
