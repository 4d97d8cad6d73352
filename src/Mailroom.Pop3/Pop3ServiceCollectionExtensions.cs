using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Mailroom.Pop3;

public static class Pop3ServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="Pop3Options"/> validator and the <see cref="Pop3MailboxLocks"/> singleton shared by
    /// all POP3 listeners (and <see cref="TimeProvider.System"/> unless one is present). Binding the <c>Pop3</c>
    /// section and composing the listener bindings (<see cref="Pop3ConnectionHandler"/> per port) is the host's job.
    /// </summary>
    public static IServiceCollection AddMailroomPop3(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<Pop3Options>, Pop3OptionsValidator>());
        services.TryAddSingleton<Pop3MailboxLocks>();
        return services;
    }
}
