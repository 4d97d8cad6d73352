using System.Diagnostics;
using System.Globalization;
using Mailroom.Directory;
using Mailroom.Directory.Admin;
using Mailroom.Directory.Passwords;
using Mailroom.Directory.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

// Usage: DirectoryLookups <lookups>. Creates a SQLite directory (20 users, an alias) in a temporary directory,
// warms up, then times <lookups> uncached lookups, a third each of recipient resolution, alias resolution and quota,
// and prints "<ns per lookup> <label>". No lookup cache (the SQLite default), so every lookup asks the database.
int lookups = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
DirectoryInfo root = Directory.CreateTempSubdirectory("mailroom-bench-directory-");
try
{
    var options = Options.Create(new DirectoryOptions { DatabasePath = Path.Combine(root.FullName, "directory.db") });
    var database = new SqliteDirectoryDatabase(options, NullLogger<SqliteDirectoryDatabase>.Instance);
    await database.InitializeAsync(CancellationToken.None).ConfigureAwait(false);
    var schemes = new PasswordSchemes(options, NullLogger<PasswordSchemes>.Instance);
    var admin = new DirectoryAdmin(database, schemes, TimeProvider.System);
    await admin.AddDomainAsync("example.org", "Bench", CancellationToken.None).ConfigureAwait(false);
    for (int i = 0; i < 20; i++)
    {
        await admin.AddUserAsync($"user{i}@example.org", "-", null, 1_000_000 + i, CancellationToken.None).ConfigureAwait(false);
    }

    await admin.AddAliasAsync("team@example.org", ["user1@example.org", "user2@example.org"], CancellationToken.None).ConfigureAwait(false);
    var directory = new SqliteMailDirectory(database, schemes, options, NullLogger<SqliteMailDirectory>.Instance, TimeProvider.System);

    await RunAsync(directory, Math.Min(lookups, 5_000)).ConfigureAwait(false);
    var clock = Stopwatch.StartNew();
    await RunAsync(directory, lookups).ConfigureAwait(false);
    clock.Stop();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{clock.Elapsed.TotalNanoseconds / lookups:F0} ns/lookup"));
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    root.Delete(recursive: true);
}

static async Task RunAsync(SqliteMailDirectory directory, int count)
{
    for (int i = 0; i < count; i++)
    {
        string user = $"user{i % 20}@example.org";
        switch (i % 3)
        {
            case 0:
                Check((await directory.ResolveRecipientAsync(user, CancellationToken.None).ConfigureAwait(false)).Status == RecipientStatus.Resolved);
                break;
            case 1:
                Check((await directory.ResolveRecipientAsync("team@example.org", CancellationToken.None).ConfigureAwait(false)).LocalMailboxes.Count == 2);
                break;
            default:
                Check(await directory.GetQuotaBytesAsync(user, CancellationToken.None).ConfigureAwait(false) == 1_000_000 + (i % 20));
                break;
        }
    }
}

static void Check(bool answer)
{
    if (!answer)
    {
        throw new InvalidOperationException("a lookup gave the wrong answer");
    }
}
