using System.Net;
using Mailroom.Configuration;
using Mailroom.Directory;
using Mailroom.Imap;
using Mailroom.Logging;
using Mailroom.Net;
using Mailroom.Policy;
using Mailroom.Policy.Arc;
using Mailroom.Policy.Dkim;
using Mailroom.Policy.Dmarc;
using Mailroom.Policy.Dns;
using Mailroom.Policy.Dnsbl;
using Mailroom.Policy.Limits;
using Mailroom.Policy.Spf;
using Mailroom.Policy.Srs;
using Mailroom.Pop3;
using Mailroom.Core.Filtering;
using Mailroom.Queue;
using Mailroom.Queue.Delivery;
using Mailroom.Queue.Delivery.Remote;
using Mailroom.Sieve;
using Mailroom.Sieve.Delivery;
using Mailroom.Sieve.ManageSieve;
using Mailroom.Sieve.Storage;
using Mailroom.Smtp;
using Mailroom.Store;
using Mailroom.Store.Mailboxes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mailroom.Hosting;

/// <summary>
/// Composes the server from its components. Hosted services start in registration order and stop in reverse:
/// the directory is ready and the queue recovered before the first connection is accepted, and listeners stop
/// before the queue does.
/// </summary>
internal static class ServerComposition
{
    public static void AddMailroomServer(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        BindOptions<ServerOptions>(services, configuration, ServerOptions.SectionName);
        BindOptions<MaillogOptions>(services, configuration, "Log", options =>
            ListConfiguration.Replace(options.TracePeers, configuration.GetSection("Log").GetSection(nameof(MaillogOptions.TracePeers))));
        services.AddSingleton(provider => new Mailroom.Net.Trace.SessionTracer(
            provider.GetRequiredService<IOptions<MaillogOptions>>().Value.TraceSettings(),
            provider.GetRequiredService<TimeProvider>()));
        BindOptions<NetOptions>(services, configuration, NetOptions.SectionName, options =>
            ListConfiguration.Replace(options.ConnectionLimitExemptions, configuration.GetSection(NetOptions.SectionName).GetSection(nameof(NetOptions.ConnectionLimitExemptions))));
        // Plus-addressing is a delivery setting (Postfix's recipient_delimiter) that the directory applies when resolving.
        BindOptions<DirectoryOptions>(services, configuration, DirectoryOptions.SectionName, options =>
            options.RecipientDelimiter = configuration[$"{LocalDeliveryOptions.SectionName}:{nameof(LocalDeliveryOptions.RecipientDelimiter)}"] ?? options.RecipientDelimiter);
        BindOptions<StoreOptions>(services, configuration, "Store");
        BindOptions<QueueOptions>(services, configuration, "Queue", options =>
        {
            if (configuration[$"Queue:{nameof(QueueOptions.MinFreeSpace)}"] is null)
            {
                // Postfix: queue_minfree at least 1.5 × message_size_limit, so that a message of the largest size fits.
                // A value that is not a number is reported by the Smtp section's own binding.
                long largest = long.TryParse(configuration[$"{SmtpOptions.SectionName}:{nameof(SmtpOptions.MaxMessageSize)}"], System.Globalization.CultureInfo.InvariantCulture, out long configured)
                    ? configured
                    : new SmtpOptions().MaxMessageSize;
                options.MinFreeSpace = largest * 3 / 2;
            }
        });
        BindOptions<SmtpOptions>(services, configuration, SmtpOptions.SectionName, options =>
        {
            IConfigurationSection smtp = configuration.GetSection(SmtpOptions.SectionName);
            ListConfiguration.Replace(options.TrustedNetworks, smtp.GetSection(nameof(SmtpOptions.TrustedNetworks)));
            ListConfiguration.Replace(options.BindAddresses, smtp.GetSection(nameof(SmtpOptions.BindAddresses)));
            ListConfiguration.Replace(options.SpamHeaders, smtp.GetSection(nameof(SmtpOptions.SpamHeaders)));
        });

        BindOptions<Pop3Options>(services, configuration, Pop3Options.SectionName, options =>
            ListConfiguration.Replace(options.BindAddresses, configuration.GetSection(Pop3Options.SectionName).GetSection(nameof(Pop3Options.BindAddresses))));
        BindOptions<ImapOptions>(services, configuration, ImapOptions.SectionName, options =>
            ListConfiguration.Replace(options.BindAddresses, configuration.GetSection(ImapOptions.SectionName).GetSection(nameof(ImapOptions.BindAddresses))));
        BindOptions<RemoteDeliveryOptions>(services, configuration, RemoteDeliveryOptions.SectionName);
        BindOptions<LocalDeliveryOptions>(services, configuration, LocalDeliveryOptions.SectionName);
        BindOptions<SieveOptions>(services, configuration, SieveOptions.SectionName, options =>
        {
            IConfigurationSection sieve = configuration.GetSection(SieveOptions.SectionName);
            ListConfiguration.Replace(options.Before, sieve.GetSection(nameof(SieveOptions.Before)));
            ListConfiguration.Replace(options.After, sieve.GetSection(nameof(SieveOptions.After)));
        });
        BindOptions<ManageSieveOptions>(services, configuration, ManageSieveOptions.SectionName, options =>
            ListConfiguration.Replace(options.BindAddresses, configuration.GetSection(ManageSieveOptions.SectionName).GetSection(nameof(ManageSieveOptions.BindAddresses))));
        BindOptions<DnsOptions>(services, configuration, DnsOptions.SectionName, options =>
            ListConfiguration.Replace(options.Servers, configuration.GetSection(DnsOptions.SectionName).GetSection(nameof(DnsOptions.Servers))));
        BindOptions<SpfOptions>(services, configuration, SpfOptions.SectionName);
        BindOptions<DkimOptions>(services, configuration, DkimOptions.SectionName);
        BindOptions<DmarcOptions>(services, configuration, DmarcOptions.SectionName);
        BindOptions<ArcOptions>(services, configuration, ArcOptions.SectionName, options =>
            ListConfiguration.Replace(options.TrustedSealers, configuration.GetSection(ArcOptions.SectionName).GetSection(nameof(ArcOptions.TrustedSealers))));
        BindOptions<SrsOptions>(services, configuration, SrsOptions.SectionName);
        BindOptions<DnsblOptions>(services, configuration, DnsblOptions.SectionName, options =>
            ListConfiguration.Replace(options.Sites, configuration.GetSection(DnsblOptions.SectionName).GetSection(nameof(DnsblOptions.Sites))));
        BindOptions<SendingLimitsOptions>(services, configuration, SendingLimitsOptions.SectionName);
        services.AddSingleton<IValidateOptions<SpfOptions>, PolicyOptionsValidator>();
        services.AddSingleton<IValidateOptions<DkimOptions>, PolicyOptionsValidator>();
        services.AddSingleton<IValidateOptions<SrsOptions>, PolicyOptionsValidator>();
        BindOptions<Observability.MetricsOptions>(services, configuration, Observability.MetricsOptions.SectionName);
        services.AddSingleton<IValidateOptions<Observability.MetricsOptions>, Observability.MetricsOptionsValidator>();
        services.AddSingleton<IValidateOptions<SmtpOptions>, SmtpOptionsValidator>();
        services.AddMailroomDirectory();
        services.AddHostedService<DirectoryInitializer>();
        services.AddMailroomStore();
        services.AddMailroomPolicy(sp => sp.GetRequiredService<IOptions<SmtpOptions>>().Value.Hostname);
        services.AddMailroomRemoteDelivery();
        services.AddMailroomSieve();
        services.AddSingleton<IDeliveryFilter>(provider => new SieveDeliveryFilter(
            provider.GetRequiredService<IOptions<SieveOptions>>(),
            provider.GetRequiredService<SieveScriptStore>(),
            provider.GetRequiredService<SieveTrackingStore>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILoggerFactory>(),
            provider.GetRequiredService<IOptions<SmtpOptions>>().Value.Hostname,
            provider.GetRequiredService<IOptions<LocalDeliveryOptions>>().Value.RecipientDelimiter));
        services.AddMailroomQueue();
        services.AddMailroomPop3();
        services.AddMailroomImap();
        AddSmtpListeners(services);
        AddPop3Listeners(services);
        AddImapListeners(services);
        AddManageSieveListener(services);
        services.AddMailroomNet();
    }

    private static void BindOptions<TOptions>(IServiceCollection services, IConfiguration configuration, string section, Action<TOptions>? afterBind = null)
        where TOptions : class
    {
        services.AddOptions<TOptions>()
            .Configure(options =>
            {
                configuration.GetSection(section).Bind(options);
                afterBind?.Invoke(options);
            })
            .ValidateOnStart();
    }

    private static void AddSmtpListeners(IServiceCollection services)
    {
        (string Name, SmtpListenerRole Role, Func<SmtpOptions, int> Port, bool ImplicitTls)[] listeners =
        [
            ("smtp", SmtpListenerRole.Mta, o => o.Port, false),
            ("submission", SmtpListenerRole.Submission, o => o.SubmissionPort, false),
            ("smtps", SmtpListenerRole.Smtps, o => o.SmtpsPort, true),
        ];

        foreach (var listener in listeners)
        {
            services.AddSingleton(provider =>
            {
                IOptions<SmtpOptions> options = provider.GetRequiredService<IOptions<SmtpOptions>>();
                var handler = new SmtpConnectionHandler(
                    listener.Role,
                    options,
                    provider.GetRequiredService<IMailDirectory>(),
                    provider.GetRequiredService<Core.IMessageSubmitter>(),
                    provider.GetRequiredService<AuthFailureThrottle>(),
                    provider.GetRequiredService<ILoggerFactory>(),
                    provider.GetRequiredService<TimeProvider>(),
                    provider.GetRequiredService<Core.IMailboxQuota>(),
                    provider.GetRequiredService<InboundChecker>(),
                    provider.GetRequiredService<OutboundAuthenticator>(),
                    provider.GetRequiredService<IDeliveryFilter>(),
                    new SmtpAbuseControls(provider.GetRequiredService<DnsblChecker>(), provider.GetRequiredService<SendingRateLimiter>()));
                return Binding(listener.Name, SmtpOptions.SectionName, options.Value.BindAddresses, listener.Port(options.Value), listener.ImplicitTls, handler);
            });
        }
    }

    private static void AddPop3Listeners(IServiceCollection services)
    {
        (string Name, Pop3ListenerRole Role, Func<Pop3Options, int> Port, bool ImplicitTls)[] listeners =
        [
            ("pop3", Pop3ListenerRole.Pop3, o => o.Port, false),
            ("pop3s", Pop3ListenerRole.Pop3s, o => o.Pop3sPort, true),
        ];

        foreach (var listener in listeners)
        {
            services.AddSingleton(provider =>
            {
                IOptions<Pop3Options> options = provider.GetRequiredService<IOptions<Pop3Options>>();
                var handler = new Pop3ConnectionHandler(
                    listener.Role,
                    options,
                    provider.GetRequiredService<IMailDirectory>(),
                    provider.GetRequiredService<Pop3MailboxLocks>(),
                    provider.GetRequiredService<IMailboxStore>(),
                    provider.GetRequiredService<AuthFailureThrottle>(),
                    provider.GetRequiredService<ILoggerFactory>(),
                    provider.GetRequiredService<TimeProvider>());
                return Binding(listener.Name, Pop3Options.SectionName, options.Value.BindAddresses, listener.Port(options.Value), listener.ImplicitTls, handler);
            });
        }
    }

    private static void AddImapListeners(IServiceCollection services)
    {
        (string Name, ImapListenerRole Role, Func<ImapOptions, int> Port, bool ImplicitTls)[] listeners =
        [
            ("imap", ImapListenerRole.Imap, o => o.Port, false),
            ("imaps", ImapListenerRole.Imaps, o => o.ImapsPort, true),
        ];

        foreach (var listener in listeners)
        {
            services.AddSingleton(provider =>
            {
                IOptions<ImapOptions> options = provider.GetRequiredService<IOptions<ImapOptions>>();
                var handler = new ImapConnectionHandler(
                    listener.Role,
                    options,
                    provider.GetRequiredService<IMailDirectory>(),
                    provider.GetRequiredService<IMailboxStore>(),
                    provider.GetRequiredService<Core.IMailboxQuota>(),
                    provider.GetRequiredService<AuthFailureThrottle>(),
                    provider.GetRequiredService<ILoggerFactory>(),
                    provider.GetRequiredService<TimeProvider>());
                return Binding(listener.Name, ImapOptions.SectionName, options.Value.BindAddresses, listener.Port(options.Value), listener.ImplicitTls, handler);
            });
        }
    }

    private static void AddManageSieveListener(IServiceCollection services)
    {
        services.AddSingleton(provider =>
        {
            IOptions<ManageSieveOptions> options = provider.GetRequiredService<IOptions<ManageSieveOptions>>();
            var handler = new ManageSieveConnectionHandler(
                options,
                provider.GetRequiredService<IOptions<SieveOptions>>(),
                provider.GetRequiredService<SieveScriptStore>(),
                provider.GetRequiredService<IMailDirectory>(),
                provider.GetRequiredService<AuthFailureThrottle>(),
                provider.GetRequiredService<ILoggerFactory>(),
                provider.GetRequiredService<TimeProvider>());
            return Binding("managesieve", ManageSieveOptions.SectionName, options.Value.BindAddresses, options.Value.Port, implicitTls: false, handler);
        });
    }

    /// <summary>A listener for the port the options name; a port below zero disables it (no endpoints).</summary>
    private static ListenerBinding Binding(string name, string section, IEnumerable<string> addresses, int port, bool implicitTls, IConnectionHandler handler)
    {
        IReadOnlyList<IPEndPoint> endPoints = port < 0 ? [] : EndPoints(addresses, port, $"{section}:BindAddresses");
        string portKey = name switch
        {
            "submission" => "SubmissionPort",
            "smtps" => "SmtpsPort",
            "pop3s" => "Pop3sPort",
            "imaps" => "ImapsPort",
            _ => "Port",
        };
        return new ListenerBinding(name, endPoints, implicitTls, handler) { PortSettingKey = $"{section}:{portKey}" };
    }

    private static List<IPEndPoint> EndPoints(IEnumerable<string> addresses, int port, string key)
    {
        var endPoints = new List<IPEndPoint>();
        foreach (string text in addresses)
        {
            if (!IPAddress.TryParse(text.Trim('[', ']'), out IPAddress? address))
            {
                throw new ConfigurationException($"{key}: '{text}' is not an IP address (use 0.0.0.0 and :: for all addresses)");
            }

            endPoints.Add(new IPEndPoint(address, port));
        }

        return endPoints;
    }
}
