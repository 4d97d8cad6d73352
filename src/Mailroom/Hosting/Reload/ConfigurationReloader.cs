using Mailroom.Configuration;
using Mailroom.Imap;
using Mailroom.Logging;
using Mailroom.Net;
using Mailroom.Net.Trace;
using Mailroom.Hosting.Observability;
using Mailroom.Policy;
using Mailroom.Policy.Arc;
using Mailroom.Policy.Dkim;
using Mailroom.Policy.Dmarc;
using Mailroom.Policy.Dns;
using Mailroom.Policy.Spf;
using Mailroom.Policy.Srs;
using Mailroom.Pop3;
using Mailroom.Queue.Delivery.Remote;
using Mailroom.Smtp;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mailroom.Hosting.Reload;

/// <summary>
/// SIGHUP: reads the configuration again (file, environment, <c>--set</c>), validates it exactly as a start would,
/// and hands each live part its new settings — SMTP/POP3/IMAP limits, trusted networks and timeouts, connection
/// limits, the authentication throttle, the certificate (always read again, renewed or not, and its expiry checked),
/// the SPF, DKIM, DMARC and ARC checks, DKIM signing, ARC sealing and SRS, the delivery routes and the DNS resolver —
/// without closing a connection: sessions under way finish with the settings they started with. What is bound once
/// (ports, addresses, the data paths, the directory database, the service user, the metrics endpoint) is named in a
/// warning and takes effect at the next restart. An invalid configuration changes nothing and is logged as an error.
/// </summary>
internal sealed class ConfigurationReloader(
    Func<IConfigurationRoot> rebuild,
    IConfigurationRoot initial,
    IServiceProvider live,
    ILogger<ConfigurationReloader> logger)
{
    /// <summary>Keys under these prefixes change live (except <see cref="BoundAtStart"/>); every other key needs a restart.</summary>
    internal static readonly string[] LivePrefixes =
    [
        "Smtp:", "Pop3:", "Imap:", "Net:", "Log:TracePeers", "Log:TraceMaxFileSize", "Log:TraceMaxFiles",
        "Spf:", "Dmarc:", "Dkim:", "Arc:", "Srs:", "Dns:",
        "Delivery:Transports", "Delivery:RelayHost", "Delivery:RelayUser", "Delivery:RelayPassword", "Delivery:Tls", "Delivery:RelayTls", "Delivery:RequireTlsDomains",
    ];

    /// <summary>
    /// Keys inside <see cref="LivePrefixes"/> that are bound once: the listening sockets; the Public Suffix List, which
    /// DMARC shares with outbound signing and which already follows its file's changes on its own; and the DKIM key
    /// directory and SRS secret file, made private to the service user at start (their contents are read again).
    /// </summary>
    internal static readonly string[] BoundAtStart =
    [
        "Smtp:Port", "Smtp:SubmissionPort", "Smtp:SmtpsPort", "Smtp:BindAddresses",
        "Pop3:Port", "Pop3:Pop3sPort", "Pop3:BindAddresses",
        "Imap:Port", "Imap:ImapsPort", "Imap:BindAddresses",
        "Dmarc:PublicSuffixList", "Dkim:KeyDirectory", "Srs:SecretFile",
    ];

    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConfigurationRoot _current = initial;

    /// <summary>Reloads once (a SIGHUP during a reload waits for it); true when the new configuration is in force.</summary>
    public async Task<bool> ReloadAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ReloadLog.Reloading(logger);
            IConfigurationRoot candidate;
            IHost? staged = null;
            try
            {
                candidate = rebuild();
                staged = ServerHostFactory.Build(candidate, logging => logging.ClearProviders());
                staged.Services.GetService<IStartupValidator>()?.Validate();
                Apply(staged.Services, DnsChanged(_current, candidate));
            }
            catch (Exception ex) when (Describe(ex) is { } message)
            {
                ReloadLog.Failed(logger, message);
                return false;
            }
            finally
            {
                staged?.Dispose();
            }

            List<string> changed = Changed(_current, candidate);
            foreach (string key in changed.Where(k => !IsLive(k)))
            {
                ReloadLog.NeedsRestart(logger, key);
            }

            _current = candidate;
            // The certificate just read may be the one about to expire (or a renewal that ends the warning); checked
            // before the reload is reported, so whoever waits for that line sees the warning already.
            live.GetServices<IHostedService>().OfType<CertificateExpiryMonitor>().FirstOrDefault()?.Check();
            ReloadLog.Reloaded(logger, changed.Count);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    internal static bool IsLive(string key) =>
        LivePrefixes.Any(p => key.StartsWith(p, StringComparison.OrdinalIgnoreCase))
        && !BoundAtStart.Any(b => key.Equals(b, StringComparison.OrdinalIgnoreCase) || key.StartsWith(b + ":", StringComparison.OrdinalIgnoreCase));

    internal static List<string> Changed(IConfiguration before, IConfiguration after)
    {
        Dictionary<string, string?> old = Flatten(before);
        Dictionary<string, string?> now = Flatten(after);
        return [.. old.Keys.Union(now.Keys, StringComparer.OrdinalIgnoreCase)
            .Where(k => !string.Equals(old.GetValueOrDefault(k), now.GetValueOrDefault(k), StringComparison.Ordinal))
            .Order(StringComparer.OrdinalIgnoreCase)];
    }

    private static Dictionary<string, string?> Flatten(IConfiguration configuration)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, string?> pair in configuration.AsEnumerable())
        {
            if (pair.Value is not null)
            {
                values[pair.Key] = pair.Value;
            }
        }

        return values;
    }

    /// <summary>True when a <c>Dns</c> key differs: only then is the resolver (and its answer cache) replaced.</summary>
    private static bool DnsChanged(IConfiguration before, IConfiguration after) =>
        Changed(before, after).Any(key => key.StartsWith(DnsOptions.SectionName + ":", StringComparison.OrdinalIgnoreCase));

    /// <summary>Hands every live part its new settings, the certificate first (the one step that reads files and can fail).</summary>
    private void Apply(IServiceProvider staged, bool dnsChanged)
    {
        NetOptions net = staged.GetRequiredService<IOptions<NetOptions>>().Value;
        SmtpOptions smtp = staged.GetRequiredService<IOptions<SmtpOptions>>().Value;
        Pop3Options pop3 = staged.GetRequiredService<IOptions<Pop3Options>>().Value;
        ImapOptions imap = staged.GetRequiredService<IOptions<ImapOptions>>().Value;
        RemoteDeliveryOptions delivery = staged.GetRequiredService<IOptions<RemoteDeliveryOptions>>().Value;
        DkimOptions dkim = staged.GetRequiredService<IOptions<DkimOptions>>().Value;
        ArcOptions arc = staged.GetRequiredService<IOptions<ArcOptions>>().Value;
        SrsOptions srs = staged.GetRequiredService<IOptions<SrsOptions>>().Value;
        InboundChecker checks = ReloadedChecks(staged, dkim, arc);

        // Parse what can fail before anything changes, so a bad value leaves the running configuration whole.
        SmtpRemoteDeliveryAgent.ValidateRoutes(delivery);
        DnsResolver? resolver = dnsChanged ? new DnsResolver(staged.GetRequiredService<IOptions<DnsOptions>>()) : null;
        // The transcripts' directory was made the service user's at start; it moves only with a restart.
        SessionTraceSettings trace = staged.GetRequiredService<IOptions<MaillogOptions>>().Value.TraceSettings() with
        {
            Directory = live.GetRequiredService<IOptions<MaillogOptions>>().Value.TraceSettings().Directory,
        };
        live.GetRequiredService<TlsCertificateProvider>().Reconfigure(net.Tls);
        // Every check, DNS list and MX lookup holds the one reloadable front: new lookups go to the new resolver, and
        // those under way finish on the old one. (A resolver a test put in its place is not reloadable.)
        if (resolver is not null && live.GetRequiredService<IDnsResolver>() is ReloadableDnsResolver reloadable)
        {
            reloadable.Replace(resolver);
        }

        live.GetRequiredService<MailListenerHost>().Reconfigure(net);
        live.GetRequiredService<AuthFailureThrottle>().Reconfigure(net.AuthThrottle);
        foreach (ListenerBinding binding in live.GetServices<ListenerBinding>())
        {
            switch (binding.Handler)
            {
                case SmtpConnectionHandler handler:
                    handler.Reconfigure(smtp, checks);
                    break;
                case Pop3ConnectionHandler handler:
                    handler.Reconfigure(pop3);
                    break;
                case ImapConnectionHandler handler:
                    handler.Reconfigure(imap);
                    break;
            }
        }

        live.GetRequiredService<SmtpRemoteDeliveryAgent>().Reconfigure(delivery);
        live.GetRequiredService<OutboundAuthenticator>().Reconfigure(dkim, arc, srs);
        live.GetRequiredService<SessionTracer>().Reconfigure(trace);
    }

    /// <summary>
    /// The inbound checks with the reloaded <c>Spf</c>, <c>Dkim</c>, <c>Dmarc</c> and <c>Arc</c> settings, on the running
    /// resolver front (whose resolver <see cref="Apply"/> replaces when <c>Dns</c> changed) and Public Suffix List.
    /// </summary>
    private InboundChecker ReloadedChecks(IServiceProvider staged, DkimOptions dkim, ArcOptions arc) => new(
        live.GetRequiredService<IDnsResolver>(),
        staged.GetRequiredService<IOptions<SpfOptions>>().Value,
        dkim,
        staged.GetRequiredService<IOptions<DmarcOptions>>().Value,
        arc,
        live.GetRequiredService<PublicSuffixList>(),
        live.GetRequiredService<TimeProvider>(),
        live.GetRequiredService<ILoggerFactory>());

    private static string? Describe(Exception ex) => ex switch
    {
        NetStartupException net => net.Message,
        ConfigurationException config => config.Message,
        InvalidOperationException invalid when invalid.Message.StartsWith("Delivery:", StringComparison.Ordinal) => invalid.Message,
        _ => ConfigurationErrors.Describe(ex, new ConfigurationBuilder().Build()),
    };
}
