using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Mailroom.Store.Mailboxes;

namespace Mailroom.Store;

public static class StoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="MaildirStore"/> as the <see cref="IMailboxStore"/>, the IMAP folder store
    /// <see cref="MailboxRepository"/> and the validator of
    /// <see cref="StoreOptions"/>. Binding the <c>Store</c> section is the host's job.
    /// </summary>
    public static IServiceCollection AddMailroomStore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StoreOptions>, StoreOptionsValidator>());
        services.TryAddSingleton<MaildirStore>();
        services.TryAddSingleton<IMailboxStore>(sp => sp.GetRequiredService<MaildirStore>());
        services.TryAddSingleton<MailboxRepository>();
        return services;
    }
}
