namespace Mailroom.Directory.Tests.Support;

/// <summary>
/// For the tests of Mailroom's own <c>mailbox</c> columns (sending limits, spam-to-Junk): present in Mailroom's SQLite
/// schema, absent from postfixadmin's on MariaDB and PostgreSQL until the admin adds them.
/// </summary>
internal static class OwnMailboxColumns
{
    public static TheoryData<DirectoryProvider> Providers => new() { DirectoryProvider.Sqlite, DirectoryProvider.MySql, DirectoryProvider.PostgreSql };

    /// <summary>The databases with postfixadmin's schema, where the columns start absent.</summary>
    public static TheoryData<DirectoryProvider> ExternalProviders => new() { DirectoryProvider.MySql, DirectoryProvider.PostgreSql };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A directory with example.org and its users ann (password pw-ann) and bob (pw-bob).</summary>
    public static async Task<SqlDirectoryFixture> WithAnnAndBobAsync(DirectoryProvider provider)
    {
        SqlDirectoryFixture f = await SqlDirectoryFixture.CreateAsync(provider);
        await f.Admin.AddDomainAsync("example.org", cancellationToken: Ct);
        await f.Admin.AddUserAsync("ann@example.org", "pw-ann", cancellationToken: Ct);
        await f.Admin.AddUserAsync("bob@example.org", "pw-bob", cancellationToken: Ct);
        return f;
    }

    /// <summary>As <see cref="WithAnnAndBobAsync"/>, with the columns added to postfixadmin's schema by <paramref name="alterTable"/>.</summary>
    public static async Task<SqlDirectoryFixture> WithColumnsAsync(DirectoryProvider provider, string alterTable)
    {
        SqlDirectoryFixture f = await WithAnnAndBobAsync(provider);
        if (provider != DirectoryProvider.Sqlite)
        {
            await f.ExecuteSqlAsync(alterTable);
        }

        return f;
    }
}
