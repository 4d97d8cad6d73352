using System.Data.Common;
using System.Net.Sockets;
using System.Security.Cryptography;
using Mailroom.Core;
using Mailroom.Core.Telemetry;
using Mailroom.Directory.Passwords;
using Mailroom.Directory.Sql;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mailroom.Directory;

/// <summary>
/// <see cref="IMailDirectory"/> over postfixadmin's tables (or custom queries) in any of the three databases:
/// alias chains with loop detection, catch-alls, alias domains and active flags behave the same on SQLite,
/// MariaDB and PostgreSQL, because only <see cref="DirectoryDatabase"/> differs. Each lookup opens a pooled
/// connection within one time bound; any failure to answer is a <see cref="DirectoryUnavailableException"/>
/// (a temporary failure for the client), and the pool is reset so service resumes by itself.
/// </summary>
public abstract class SqlMailDirectory : IMailDirectory, IMailboxQuotaSource, ISendingLimitSource, ISpamToJunkSource
{
    private readonly DirectoryDatabase _database;
    private readonly DirectoryQueries _queries;
    private readonly PasswordSchemes _schemes;
    private readonly ILogger _logger;
    private readonly AuthCache _authCache;
    private readonly LookupCache _lookups;
    private readonly int _aliasMaxDepth;
    private readonly string _recipientDelimiter;
    private readonly Lazy<string> _dummyHash;

    // The default SendingLimits query found no such columns (a postfixadmin schema): every user has the defaults.
    private volatile bool _sendingLimitColumnsAbsent;

    // The default SpamToJunk query found no such column (a postfixadmin schema): every user has Delivery:SpamToJunk.
    private volatile bool _spamToJunkColumnAbsent;

    private protected SqlMailDirectory(
        DirectoryDatabase database,
        PasswordSchemes schemes,
        IOptions<DirectoryOptions> options,
        ILogger logger,
        TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        _database = database ?? throw new ArgumentNullException(nameof(database));
        _schemes = schemes ?? throw new ArgumentNullException(nameof(schemes));
        _logger = logger;
        DirectoryOptions value = options.Value;
        _queries = new DirectoryQueries(value.Queries, value.CommandTimeout);
        _aliasMaxDepth = value.AliasMaxDepth;
        _recipientDelimiter = value.RecipientDelimiter;
        QuotaExceeded = value.QuotaExceeded;
        _authCache = new AuthCache(value.AuthCacheTtl, value.AuthCacheSize, timeProvider);
        _lookups = new LookupCache(value.EffectiveCacheTtl, value.EffectiveNegativeCacheTtl, value.CacheSize, timeProvider);

        // Verified when the user does not exist, so an unknown user costs the same time as a wrong password.
        _dummyHash = new Lazy<string>(() => schemes.Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))));
    }

    public QuotaExceededAction QuotaExceeded { get; }

    /// <summary>Number of remembered verifications (for tests and diagnostics).</summary>
    internal int AuthCacheCount => _authCache.Count;

    /// <summary>Number of cached lookup results (for tests and diagnostics).</summary>
    internal int LookupCacheCount => _lookups.Count;

    /// <summary>Prepares the database; see <see cref="DirectoryDatabase.InitializeAsync"/>.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken) => _database.InitializeAsync(cancellationToken);

    /// <summary>
    /// Start-up check of the custom queries (<c>Directory:Queries:*</c>): unknown parameters, then a dry run of
    /// each with dummy values. A query the database rejects is a configuration error (one line naming the key);
    /// a database that does not answer is logged and tolerated — lookups answer "try later" until it is back.
    /// </summary>
    /// <exception cref="OptionsValidationException">A query is invalid.</exception>
    public async Task ValidateQueriesAsync(CancellationToken cancellationToken)
    {
        List<string> problems = _queries.CheckParameters();
        if (problems.Count == 0 && _queries.Custom.Count > 0)
        {
            try
            {
                await RunAsync(
                    async (session, ct) =>
                    {
                        foreach (QueryKind kind in _queries.Custom)
                        {
                            try
                            {
                                await _queries.DryRunAsync(session, kind, ct).ConfigureAwait(false);
                            }
                            catch (DbException ex) when (_database.IsStatementError(ex))
                            {
                                problems.Add($"{DirectoryQueries.KeyOf(kind)}: {ex.Message}");
                            }
                        }

                        return 0;
                    },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (DirectoryUnavailableException ex)
            {
                _logger.QueriesNotChecked(ex, _database.DisplayName);
            }
        }

        if (problems.Count > 0)
        {
            throw new OptionsValidationException(DirectoryOptions.SectionName, typeof(DirectoryOptions), problems);
        }
    }

    public async ValueTask<bool> IsLocalDomainAsync(string domain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domain);
        string key = "d:" + domain.ToLowerInvariant();
        if (_lookups.TryGet(key, out bool cached))
        {
            return cached;
        }

        DomainLookup lookup = await RunAsync((session, ct) => _queries.GetDomainAsync(session, domain.ToLowerInvariant(), ct), cancellationToken).ConfigureAwait(false);
        bool local = lookup.State != DomainState.NotLocal;
        _lookups.Set(key, local, negative: !local);
        return local;
    }

    public async ValueTask<RecipientResolution> ResolveRecipientAsync(string address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!EmailAddress.TryParse(address, out EmailAddress? parsed))
        {
            return RecipientResolution.Unknown;
        }

        string key = "r:" + parsed!.Key;
        if (_lookups.TryGet(key, out RecipientResolution? cached))
        {
            return cached!;
        }

        RecipientResolution resolution = await RunAsync(
            (session, ct) => new RecipientResolver(session, _queries, _aliasMaxDepth, _logger, parsed.Key).ResolveAsync(parsed.Key, _recipientDelimiter, ct),
            cancellationToken).ConfigureAwait(false);
        _lookups.Set(key, resolution, negative: resolution.Status != RecipientStatus.Resolved);
        return resolution;
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
        string key = "p:" + user;
        if (!_lookups.TryGet(key, out string? stored))
        {
            stored = await RunAsync((session, ct) => _queries.GetPasswordAsync(session, user, ct), cancellationToken).ConfigureAwait(false);
            _lookups.Set(key, stored, negative: stored is null);
        }

        if (stored is null)
        {
            await _schemes.VerifyAsync(password, _dummyHash.Value, cancellationToken).ConfigureAwait(false);
            return AuthenticationResult.Failed;
        }

        string cacheKey = AuthCache.CreateKey(user, password, stored);
        if (_authCache.Contains(cacheKey))
        {
            return new AuthenticationResult(true, user);
        }

        if (!await _schemes.VerifyAsync(password, stored, cancellationToken).ConfigureAwait(false))
        {
            return AuthenticationResult.Failed;
        }

        _authCache.Add(cacheKey);
        return new AuthenticationResult(true, user);
    }

    public async ValueTask<long> GetQuotaBytesAsync(string mailbox, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        string user = mailbox.ToLowerInvariant();
        string key = "q:" + user;
        if (_lookups.TryGet(key, out long cached))
        {
            return cached;
        }

        long quota = await RunAsync((session, ct) => _queries.GetQuotaAsync(session, user, ct), cancellationToken).ConfigureAwait(false);
        _lookups.Set(key, quota, negative: false);
        return quota;
    }

    public async ValueTask<UserSendingLimits> GetSendingLimitsAsync(string user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (_sendingLimitColumnsAbsent)
        {
            return UserSendingLimits.Defaults;
        }

        string name = user.ToLowerInvariant();
        string key = "s:" + name;
        if (_lookups.TryGet(key, out UserSendingLimits? cached))
        {
            return cached!;
        }

        UserSendingLimits limits = await RunAsync(
            async (session, ct) =>
            {
                try
                {
                    return await _queries.GetSendingLimitsAsync(session, name, ct).ConfigureAwait(false);
                }
                catch (DbException ex) when (!_queries.Custom.Contains(QueryKind.SendingLimits) && _database.IsStatementError(ex))
                {
                    // postfixadmin's mailbox table has no such columns; this is remembered until the next start.
                    _sendingLimitColumnsAbsent = true;
                    _logger.SendingLimitColumnsAbsent(_database.DisplayName);
                    return UserSendingLimits.Defaults;
                }
            },
            cancellationToken).ConfigureAwait(false);
        _lookups.Set(key, limits, negative: false);
        return limits;
    }

    public async ValueTask<bool?> GetSpamToJunkAsync(string user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (_spamToJunkColumnAbsent)
        {
            return null;
        }

        string name = user.ToLowerInvariant();
        string key = "j:" + name;
        if (_lookups.TryGet(key, out bool? cached))
        {
            return cached;
        }

        bool? toJunk = await RunAsync(
            async (session, ct) =>
            {
                try
                {
                    return await _queries.GetSpamToJunkAsync(session, name, ct).ConfigureAwait(false);
                }
                catch (DbException ex) when (!_queries.Custom.Contains(QueryKind.SpamToJunk) && _database.IsStatementError(ex))
                {
                    // postfixadmin's mailbox table has no such column; this is remembered until the next start.
                    _spamToJunkColumnAbsent = true;
                    _logger.SpamToJunkColumnAbsent(_database.DisplayName);
                    return null;
                }
            },
            cancellationToken).ConfigureAwait(false);
        _lookups.Set(key, toJunk, negative: false);
        return toJunk;
    }

    /// <summary>
    /// Runs one lookup on a session (connection and its commands) from the database, bounded by <see cref="DirectoryDatabase.OperationTimeout"/>
    /// even when the server accepts the connection and never answers. Failures become <see cref="DirectoryUnavailableException"/>;
    /// a session that failed is closed rather than handed back, so no later lookup inherits a half-read command.
    /// </summary>
    private async Task<T> RunAsync<T>(Func<LookupSession, CancellationToken, Task<T>> lookup, CancellationToken cancellationToken)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(_database.OperationTimeout);
        try
        {
            LookupSession session = await _database.RentSessionAsync(bound.Token).ConfigureAwait(false);
            T answer;
            try
            {
                answer = await lookup(session, bound.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (session.Reused && !bound.IsCancellationRequested && IsConnectionFailure(ex))
            {
                // A kept connection that died while it sat idle (the server restarted or dropped it): the lookup once
                // more on a new connection, after closing the other kept ones, which are likely dead too.
                await session.DisposeAsync().ConfigureAwait(false);
                _database.ResetPool();
                session = await _database.RentSessionAsync(bound.Token).ConfigureAwait(false);
                answer = await LookupOnFreshSessionAsync(session, lookup, bound.Token).ConfigureAwait(false);
            }
            catch
            {
                await session.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            await _database.ReturnSessionAsync(session).ConfigureAwait(false);
            MailroomMetrics.DirectoryLookups.Add(1, MailroomMetrics.Tag("result", "ok"));
            return answer;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested &&
            ex is DbException or OperationCanceledException or TimeoutException or IOException or SocketException or InvalidOperationException)
        {
            if (ex is DbException db && _database.IsStatementError(db))
            {
                _logger.StatementFailed(ex, _database.DisplayName);
            }
            else
            {
                _logger.DatabaseUnavailable(ex, _database.DisplayName);
                _database.ResetPool();
            }

            MailroomMetrics.DirectoryLookups.Add(1, MailroomMetrics.Tag("result", "error"));
            throw new DirectoryUnavailableException($"directory database {_database.DisplayName} unavailable: {ex.Message}", ex);
        }
    }

    private static async Task<T> LookupOnFreshSessionAsync<T>(LookupSession session, Func<LookupSession, CancellationToken, Task<T>> lookup, CancellationToken cancellationToken)
    {
        try
        {
            return await lookup(session, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A failure of the connection rather than of the statement: worth one retry on a new connection.</summary>
    private bool IsConnectionFailure(Exception exception) =>
        exception is IOException or SocketException or InvalidOperationException ||
        (exception is DbException db && !_database.IsStatementError(db));
}
