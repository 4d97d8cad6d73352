using Mailroom.Queue;
using Mailroom.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Mailroom.Hosting.Observability;

/// <summary>What <c>serve</c> adds to the server for admins: metrics and health, the control socket, the expiry warning.</summary>
internal static class ObservabilityServiceCollectionExtensions
{
    public static IServiceCollection AddMailroomObservability(this IServiceCollection services, string dataDirectory, RecentErrors recentErrors)
    {
        services.AddSingleton(recentErrors);
        services.AddSingleton(provider => new ServerFacts
        {
            DataDirectory = dataDirectory,
            QueueDirectory = Path.GetFullPath(provider.GetRequiredService<IOptions<QueueOptions>>().Value.QueueDirectory),
            MailRoot = Path.GetFullPath(provider.GetRequiredService<IOptions<StoreOptions>>().Value.MailRoot),
            MinFreeSpace = provider.GetRequiredService<IOptions<QueueOptions>>().Value.MinFreeSpace,
            Started = provider.GetRequiredService<TimeProvider>().GetUtcNow(),
        });
        services.AddSingleton<ReadinessCheck>();
        services.AddSingleton<StatusReporter>();
        services.AddSingleton<ObservabilityServer>();
        services.AddHostedService(provider => provider.GetRequiredService<ObservabilityServer>());
        services.AddHostedService<CertificateExpiryMonitor>();
        return services;
    }
}
