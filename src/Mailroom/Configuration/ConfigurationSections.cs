using Mailroom.Directory;
using Mailroom.Hosting;
using Mailroom.Hosting.Observability;
using Mailroom.Imap;
using Mailroom.Logging;
using Mailroom.Net;
using Mailroom.Policy.Arc;
using Mailroom.Policy.Dkim;
using Mailroom.Policy.Dmarc;
using Mailroom.Policy.Dnsbl;
using Mailroom.Policy.Limits;
using Mailroom.Policy.Dns;
using Mailroom.Policy.Spf;
using Mailroom.Policy.Srs;
using Mailroom.Pop3;
using Mailroom.Queue;
using Mailroom.Queue.Delivery;
using Mailroom.Queue.Delivery.Remote;
using Mailroom.Sieve;
using Mailroom.Sieve.ManageSieve;
using Mailroom.Smtp;
using Mailroom.Store;

namespace Mailroom.Configuration;

/// <summary>
/// Every configuration section and the options type bound from it: the one list that tells a known key from a typo
/// (<see cref="ConfigurationKeys"/>), what <c>config show</c> prints and what SIGHUP can reload. A new component's
/// section is one line here.
/// </summary>
internal static class ConfigurationSections
{
    public static readonly IReadOnlyList<(string Section, Type Options)> All =
    [
        (ServerOptions.SectionName, typeof(ServerOptions)),
        (SmtpOptions.SectionName, typeof(SmtpOptions)),
        (Pop3Options.SectionName, typeof(Pop3Options)),
        (ImapOptions.SectionName, typeof(ImapOptions)),
        (NetOptions.SectionName, typeof(NetOptions)),
        (DirectoryOptions.SectionName, typeof(DirectoryOptions)),
        (StoreOptions.SectionName, typeof(StoreOptions)),
        (QueueOptions.SectionName, typeof(QueueOptions)),
        (RemoteDeliveryOptions.SectionName, typeof(RemoteDeliveryOptions)),
        (LocalDeliveryOptions.SectionName, typeof(LocalDeliveryOptions)),
        (SieveOptions.SectionName, typeof(SieveOptions)),
        (ManageSieveOptions.SectionName, typeof(ManageSieveOptions)),
        (DnsOptions.SectionName, typeof(DnsOptions)),
        (SpfOptions.SectionName, typeof(SpfOptions)),
        (DkimOptions.SectionName, typeof(DkimOptions)),
        (DmarcOptions.SectionName, typeof(DmarcOptions)),
        (ArcOptions.SectionName, typeof(ArcOptions)),
        (SrsOptions.SectionName, typeof(SrsOptions)),
        (DnsblOptions.SectionName, typeof(DnsblOptions)),
        (SendingLimitsOptions.SectionName, typeof(SendingLimitsOptions)),
        ("Log", typeof(MaillogOptions)),
        (MetricsOptions.SectionName, typeof(MetricsOptions)),
    ];
}
