using System.Security.Cryptography;
using Mailroom.Core;
using Mailroom.Directory.Passwords;
using Mailroom.Directory.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mailroom.Directory;

/// <summary>
/// <see cref="IMailDirectory"/> over the postfixadmin-compatible SQLite database. Each call opens a pooled
/// connection, so the CLI's writes from another process are seen by the next lookup.
/// </summary>
public sealed class SqliteMailDirectory : IMailDirectory
{
    private readonly SqliteDirectoryDatabase _database;
    private readonly PasswordSchemes _schemes;
    private readonly ILogger<SqliteMailDirectory> _logger;
    private readonly AuthCache _authCache;
    private readonly int _aliasMaxDepth;
    private readonly Lazy<string> _dummyHash;

    public SqliteMailDirectory(
        SqliteDirectoryDatabase database,
        PasswordSchemes schemes,
        IOptions<DirectoryOptions> options,
        ILogger<SqliteMailDirectory> logger,
        TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        _database = database;
        _schemes = schemes;
        _logger = logger;
        DirectoryOptions value = options.Value;
        _aliasMaxDepth = value.AliasMaxDepth;
        _authCache = new AuthCache(value.AuthCacheTtl, value.AuthCacheSize, timeProvider);

        // Verified when the user does not exist, so an unknown user costs the same time as a wrong password.
        _dummyHash = new Lazy<string>(() => schemes.Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))));
    }

    /// <summary>Number of remembered verifications (for tests and diagnostics).</summary>
    internal int AuthCacheCount => _authCache.Count;

    /// <summary>Creates or migrates the database; see <see cref="SqliteDirectoryDatabase.InitializeAsync"/>.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken) => _database.InitializeAsync(cancellationToken);

    public async ValueTask<bool> IsLocalDomainAsync(string domain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domain);
        try
        {
            await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
            DomainLookup lookup = await DirectoryQueries.GetDomainAsync(connection, domain.ToLowerInvariant(), cancellationToken).ConfigureAwait(false);
            return lookup.State != DomainState.NotLocal;
        }
        catch (SqliteException ex)
        {
            throw Unavailable(ex);
        }
    }

    public async ValueTask<RecipientResolution> ResolveRecipientAsync(string address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!EmailAddress.TryParse(address, out EmailAddress? parsed))
        {
            return RecipientResolution.Unknown;
        }

        try
        {
            await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
            var resolver = new RecipientResolver(connection, _aliasMaxDepth, _logger, parsed!.Key);
            return await resolver.ResolveAsync(parsed.Key, cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw Unavailable(ex);
        }
    }

    public async ValueTask<AuthenticationResult> AuthenticateAsync(string userName, string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(password);
        if (!EmailAddress.TryParse(userName, out EmailAddress? parsed))
        {
            return AuthenticationResult.Failed;
        }

        string user = parsed!.Key;
        string? stored;
        try
        {
            await using SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
            stored = await DirectoryQueries.GetPasswordAsync(connection, user, cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw Unavailable(ex);
        }

        if (stored is null)
        {
            _schemes.Verify(password, _dummyHash.Value);
            return AuthenticationResult.Failed;
        }

        string cacheKey = AuthCache.CreateKey(user, password, stored);
        if (_authCache.Contains(cacheKey))
        {
            return new AuthenticationResult(true, user);
        }

        if (!_schemes.Verify(password, stored))
        {
            return AuthenticationResult.Failed;
        }

        _authCache.Add(cacheKey);
        return new AuthenticationResult(true, user);
    }

    private DirectoryUnavailableException Unavailable(SqliteException exception)
    {
        _logger.DatabaseUnavailable(exception, _database.DatabasePath);
        return new DirectoryUnavailableException($"directory database {_database.DatabasePath} unavailable: {exception.Message}", exception);
    }
}
