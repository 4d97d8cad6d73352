using Mailroom.Policy.Arc;
using Mailroom.Policy.Dkim;
using Mailroom.Policy.Dmarc;
using Mailroom.Policy.Dns;
using Mailroom.Policy.Dnsbl;
using Mailroom.Policy.Limits;
using Mailroom.Policy.Spf;
using Mailroom.Policy.Srs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mailroom.Policy;

public static class PolicyServiceCollectionExtensions
{
    /// <summary>
    /// Registers the resolver (<see cref="IDnsResolver"/>, replaceable by registering another first), the Public Suffix
    /// List, the DKIM key store, <see cref="InboundChecker"/>, <see cref="OutboundAuthenticator"/>, the DNSBL check
    /// (<see cref="DnsblChecker"/>) and the sending limits (<see cref="SendingRateLimiter"/>). The host binds the
    /// <c>Dns</c>, <c>Spf</c>, <c>Dkim</c>, <c>Dmarc</c>, <c>Arc</c>, <c>Srs</c>, <c>Dnsbl</c> and <c>SendingLimits</c>
    /// sections and names the authserv-id.
    /// </summary>
    public static IServiceCollection AddMailroomPolicy(this IServiceCollection services, Func<IServiceProvider, string> authservId)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DnsOptions>, DnsOptionsValidator>());
        // Behind a reloadable front so that SIGHUP can put a resolver with new Dns settings in its place.
        services.TryAddSingleton<IDnsResolver>(sp => new ReloadableDnsResolver(new DnsResolver(sp.GetRequiredService<IOptions<DnsOptions>>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DnsblOptions>, DnsblOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SendingLimitsOptions>, SendingLimitsOptionsValidator>());
        services.TryAddSingleton(sp => new DnsblChecker(
            sp.GetRequiredService<IDnsResolver>(),
            sp.GetRequiredService<IOptions<DnsblOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.TryAddSingleton(sp => new SendingRateLimiter(sp.GetRequiredService<IOptions<SendingLimitsOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<Core.ISendingCounters>(sp => sp.GetRequiredService<SendingRateLimiter>());
        services.TryAddSingleton(sp => new PublicSuffixList(sp.GetRequiredService<IOptions<DmarcOptions>>().Value.PublicSuffixList, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new DkimKeyStore(sp.GetRequiredService<IOptions<DkimOptions>>().Value.KeyDirectory));
        services.TryAddSingleton(sp => new InboundChecker(
            sp.GetRequiredService<IDnsResolver>(),
            sp.GetRequiredService<IOptions<SpfOptions>>().Value,
            sp.GetRequiredService<IOptions<DkimOptions>>().Value,
            sp.GetRequiredService<IOptions<DmarcOptions>>().Value,
            sp.GetRequiredService<IOptions<ArcOptions>>().Value,
            sp.GetRequiredService<PublicSuffixList>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.TryAddSingleton(sp => new OutboundAuthenticator(
            sp.GetRequiredService<DkimKeyStore>(),
            sp.GetRequiredService<IOptions<DkimOptions>>().Value,
            sp.GetRequiredService<IOptions<ArcOptions>>().Value,
            sp.GetRequiredService<IOptions<SrsOptions>>().Value,
            sp.GetRequiredService<PublicSuffixList>(),
            authservId(sp),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        return services;
    }
}
