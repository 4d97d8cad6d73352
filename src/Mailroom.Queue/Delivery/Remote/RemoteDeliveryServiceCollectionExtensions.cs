using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Mailroom.Queue.Delivery.Remote;

public static class RemoteDeliveryServiceCollectionExtensions
{
    /// <summary>
    /// Registers outbound SMTP delivery: <see cref="SmtpRemoteDeliveryAgent"/> as the queue's
    /// <see cref="IRemoteDeliveryAgent"/>, the MX lookups (<see cref="IMxResolver"/> over the Policy resolver, replaceable by
    /// registering another first), the signing of <c>Policy.OutboundAuthenticator</c> when one is registered, and the validator of <see cref="RemoteDeliveryOptions"/>. The host binds the
    /// <c>Delivery</c> section.
    /// </summary>
    public static IServiceCollection AddMailroomRemoteDelivery(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RemoteDeliveryOptions>, RemoteDeliveryOptionsValidator>());
        services.TryAddSingleton<IMxResolver, DnsMxResolver>();
        services.TryAddSingleton(sp => new SmtpRemoteDeliveryAgent(
            sp.GetRequiredService<IOptions<RemoteDeliveryOptions>>(),
            sp.GetRequiredService<IMxResolver>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<Policy.OutboundAuthenticator>()));
        services.TryAddSingleton<IRemoteDeliveryAgent>(sp => sp.GetRequiredService<SmtpRemoteDeliveryAgent>());
        return services;
    }
}
