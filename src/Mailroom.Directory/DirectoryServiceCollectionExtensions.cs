using Mailroom.Directory.Admin;
using Mailroom.Directory.MySql;
using Mailroom.Directory.Passwords;
using Mailroom.Directory.Postgres;
using Mailroom.Directory.Sql;
using Mailroom.Directory.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Mailroom.Directory;

public static class DirectoryServiceCollectionExtensions
{
    /// <summary>
    /// Registers the directory chosen by <see cref="DirectoryOptions.Provider"/>: <see cref="DirectoryDatabase"/>
    /// (SQLite, MySQL or PostgreSQL), <see cref="SqlMailDirectory"/> as <see cref="IMailDirectory"/> and
    /// <see cref="IMailboxQuotaSource"/> (also the store's <see cref="Core.IMailboxQuotaLimits"/>),
    /// <see cref="DirectoryAdmin"/> and <see cref="PasswordSchemes"/>, all singletons, with validation of
    /// <see cref="DirectoryOptions"/> at start. The host binds the options (section
    /// <see cref="DirectoryOptions.SectionName"/>) and at start-up calls
    /// <see cref="DirectoryDatabase.InitializeAsync"/> and <see cref="SqlMailDirectory.ValidateQueriesAsync"/>.
    /// </summary>
    public static IServiceCollection AddMailroomDirectory(this IServiceCollection services)
    {
        services.AddOptions<DirectoryOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DirectoryOptions>, DirectoryOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SqliteDirectoryDatabase>();
        services.TryAddSingleton<MySqlDirectoryDatabase>();
        services.TryAddSingleton<PostgresDirectoryDatabase>();
        services.TryAddSingleton<DirectoryDatabase>(provider => Provider(provider) switch
        {
            DirectoryProvider.MySql => provider.GetRequiredService<MySqlDirectoryDatabase>(),
            DirectoryProvider.PostgreSql => provider.GetRequiredService<PostgresDirectoryDatabase>(),
            _ => provider.GetRequiredService<SqliteDirectoryDatabase>(),
        });
        services.TryAddSingleton<PasswordSchemes>();
        services.TryAddSingleton<SqliteMailDirectory>();
        services.TryAddSingleton<MySqlMailDirectory>();
        services.TryAddSingleton<PostgresMailDirectory>();
        services.TryAddSingleton<SqlMailDirectory>(provider => Provider(provider) switch
        {
            DirectoryProvider.MySql => provider.GetRequiredService<MySqlMailDirectory>(),
            DirectoryProvider.PostgreSql => provider.GetRequiredService<PostgresMailDirectory>(),
            _ => provider.GetRequiredService<SqliteMailDirectory>(),
        });
        services.TryAddSingleton<IMailDirectory>(provider => provider.GetRequiredService<SqlMailDirectory>());
        services.TryAddSingleton<IMailboxQuotaSource>(provider => provider.GetRequiredService<SqlMailDirectory>());
        services.TryAddSingleton<Core.IMailboxQuotaLimits>(provider => provider.GetRequiredService<SqlMailDirectory>());
        services.TryAddSingleton<DirectoryAdmin>();
        return services;
    }

    private static DirectoryProvider Provider(IServiceProvider provider) =>
        provider.GetRequiredService<IOptions<DirectoryOptions>>().Value.Provider;
}
