using Mailroom.Core;
using Mailroom.Store.Maildir;
using Mailroom.Store.Mailboxes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Mailroom.Store;

public static class StoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Maildir store (<see cref="MaildirStore"/>) as the <see cref="IMailboxStore"/>, the one quota
    /// (<see cref="MailboxQuota"/> as <see cref="IMailboxQuota"/>, with the <see cref="IMailboxQuotaLimits"/> the
    /// directory registers, if any) and the validator of <see cref="StoreOptions"/>. Binding the <c>Store</c> section
    /// is the host's job.
    /// </summary>
    public static IServiceCollection AddMailroomStore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StoreOptions>, StoreOptionsValidator>());
        services.TryAddSingleton<MaildirStore>();
        services.TryAddSingleton<IMailboxStore>(sp => sp.GetRequiredService<MaildirStore>());
        services.TryAddSingleton(sp => new MailboxQuota(
            sp.GetRequiredService<IMailboxStore>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<IMailboxQuotaLimits>()));
        services.TryAddSingleton<IMailboxQuota>(sp => sp.GetRequiredService<MailboxQuota>());
        return services;
    }
}
