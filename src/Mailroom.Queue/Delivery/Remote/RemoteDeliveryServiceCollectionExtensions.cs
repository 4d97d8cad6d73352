using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Mailroom.Queue.Delivery.Remote;

public static class RemoteDeliveryServiceCollectionExtensions
{
    /// <summary>
    /// Registers outbound SMTP delivery: <see cref="SmtpRemoteDeliveryAgent"/> as the queue's
    /// <see cref="IRemoteDeliveryAgent"/>, the DNS resolver (<see cref="IMxResolver"/>, replaceable by
    /// registering another first) and the validator of <see cref="RemoteDeliveryOptions"/>. The host binds the
    /// <c>Delivery</c> section.
    /// </summary>
    public static IServiceCollection AddMailroomRemoteDelivery(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RemoteDeliveryOptions>, RemoteDeliveryOptionsValidator>());
        services.TryAddSingleton<IMxResolver, DnsMxResolver>();
        services.TryAddSingleton<SmtpRemoteDeliveryAgent>();
        services.TryAddSingleton<IRemoteDeliveryAgent>(sp => sp.GetRequiredService<SmtpRemoteDeliveryAgent>());
        return services;
    }
}
