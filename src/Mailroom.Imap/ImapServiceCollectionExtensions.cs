using Mailroom.Store.Mailboxes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Mailroom.Imap;

public static class ImapServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="ImapOptions"/> validator, the <see cref="ImapMessageIndexer"/> the store uses to index
    /// messages as it saves them (and <see cref="TimeProvider.System"/> unless one is present).
    /// Binding the <c>Imap</c> section, <c>AddMailroomStore()</c> (the store and its quota) and composing the
    /// listener bindings (<see cref="ImapConnectionHandler"/> per port) are the host's job.
    /// </summary>
    public static IServiceCollection AddMailroomImap(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ImapOptions>, ImapOptionsValidator>());
        services.TryAddSingleton<IMessageIndexer, ImapMessageIndexer>();
        return services;
    }
}
