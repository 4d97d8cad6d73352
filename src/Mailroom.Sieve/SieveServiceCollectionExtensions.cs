using Mailroom.Sieve.ManageSieve;
using Mailroom.Sieve.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Mailroom.Sieve;

public static class SieveServiceCollectionExtensions
{
    /// <summary>
    /// Registers the validators of <see cref="SieveOptions"/> and <see cref="ManageSieveOptions"/>, the script store and
    /// the tracking store. Binding the sections, the delivery filter (it needs the host name and the recipient delimiter)
    /// and the ManageSieve listener are the host's job.
    /// </summary>
    public static IServiceCollection AddMailroomSieve(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SieveOptions>, SieveOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SieveOptions>, SieveOptionsRules>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ManageSieveOptions>, ManageSieveOptionsValidator>());
        services.TryAddSingleton<SieveScriptStore>();
        services.TryAddSingleton<SieveTrackingStore>();
        return services;
    }
}
