using Mailroom.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Mailroom.Queue;

public static class QueueServiceCollectionExtensions
{
    /// <summary>
    /// Registers the queue: <see cref="QueueManager"/> (singleton and hosted service),
    /// <see cref="SpoolQueue"/> as the <see cref="IMessageSubmitter"/>, and the validator of
    /// <see cref="QueueOptions"/>. Binding the <c>Queue</c> section, an <c>IMailboxStore</c> and
    /// optionally an <c>IMailDirectory</c>, an <c>IMailboxQuota</c> and an <see cref="IRemoteDeliveryAgent"/> come
    /// from the host.
    /// Register it before the listeners so that recovery runs before the first connection.
    /// </summary>
    public static IServiceCollection AddMailroomQueue(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<QueueOptions>, QueueOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<Delivery.LocalDeliveryOptions>, Delivery.LocalDeliveryOptionsValidator>());
        services.TryAddSingleton<QueueManager>();
        services.AddHostedService(sp => sp.GetRequiredService<QueueManager>());
        services.TryAddSingleton<SpoolQueue>();
        services.TryAddSingleton<IMessageSubmitter>(sp => sp.GetRequiredService<SpoolQueue>());
        return services;
    }
}
