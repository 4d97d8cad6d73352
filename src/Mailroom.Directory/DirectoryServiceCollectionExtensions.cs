using Mailroom.Directory.Admin;
using Mailroom.Directory.Passwords;
using Mailroom.Directory.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Mailroom.Directory;

public static class DirectoryServiceCollectionExtensions
{
    /// <summary>
    /// Registers the SQLite directory: <see cref="IMailDirectory"/> (= <see cref="SqliteMailDirectory"/>),
    /// <see cref="DirectoryAdmin"/>, <see cref="PasswordSchemes"/>, <see cref="SqliteDirectoryDatabase"/>, all
    /// singletons, and validation of <see cref="DirectoryOptions"/> at start. The host binds the options
    /// (section <see cref="DirectoryOptions.SectionName"/>) and calls <see cref="SqliteDirectoryDatabase.InitializeAsync"/>.
    /// </summary>
    public static IServiceCollection AddMailroomDirectory(this IServiceCollection services)
    {
        services.AddOptions<DirectoryOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DirectoryOptions>, DirectoryOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SqliteDirectoryDatabase>();
        services.TryAddSingleton<PasswordSchemes>();
        services.TryAddSingleton<SqliteMailDirectory>();
        services.TryAddSingleton<IMailDirectory>(provider => provider.GetRequiredService<SqliteMailDirectory>());
        services.TryAddSingleton<DirectoryAdmin>();
        return services;
    }
}
