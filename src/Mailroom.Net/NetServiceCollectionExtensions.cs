using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Mailroom.Net;

/// <summary>Registers the network layer. The host binds <see cref="NetOptions"/> from the <c>Net</c> section itself.</summary>
public static class NetServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="TlsCertificateProvider"/>, <see cref="AuthFailureThrottle"/>, the <see cref="NetOptions"/>
    /// validator and <see cref="MailListenerHost"/> (also as a hosted service; it binds every registered
    /// <see cref="ListenerBinding"/>). Registers <see cref="TimeProvider.System"/> unless a TimeProvider is present.
    /// </summary>
    public static IServiceCollection AddMailroomNet(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NetOptions>, NetOptionsValidator>());
        services.TryAddSingleton<TlsCertificateProvider>();
        services.TryAddSingleton<AuthFailureThrottle>();
        services.TryAddSingleton<MailListenerHost>();
        services.AddHostedService(static provider => provider.GetRequiredService<MailListenerHost>());
        return services;
    }
}
