using Mailroom.Core;

namespace Mailroom.Policy.Limits;

/// <summary>
/// The hourly message and recipient limits of authenticated senders, per user and per client address (see
/// <see cref="SendingLimitsOptions"/>). A message or recipient is counted only when every limit that applies has room,
/// so a refused attempt costs the sender nothing, and is counted against all of them at once.
/// </summary>
public sealed class SendingRateLimiter : ISendingCounters
{
    private readonly SendingLimitsOptions _options;
    private readonly Lock _lock = new();
    private readonly TokenBucketTable _userMessages;
    private readonly TokenBucketTable _userRecipients;
    private readonly TokenBucketTable _clientMessages;
    private readonly TokenBucketTable _clientRecipients;

    public SendingRateLimiter(SendingLimitsOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options;
        _userMessages = new TokenBucketTable(options.MaxTrackedKeys, timeProvider);
        _userRecipients = new TokenBucketTable(options.MaxTrackedKeys, timeProvider);
        _clientMessages = new TokenBucketTable(options.MaxTrackedKeys, timeProvider);
        _clientRecipients = new TokenBucketTable(options.MaxTrackedKeys, timeProvider);
    }

    /// <summary>Users and client addresses tracked now, all tables together (for tests and diagnostics).</summary>
    public int TrackedCount
    {
        get
        {
            lock (_lock)
            {
                return _userMessages.Count + _userRecipients.Count + _clientMessages.Count + _clientRecipients.Count;
            }
        }
    }

    /// <summary>
    /// Counts one message of <paramref name="user"/> from <paramref name="client"/> (null: that limit does not apply,
    /// e.g. a trusted network) or says which limit it would pass. <paramref name="userLimit"/> is the user's own limit
    /// from the directory; null: <see cref="SendingLimitsOptions.UserMessagesPerHour"/>.
    /// </summary>
    public SendingLimitRefusal? TryCountMessage(string? user, int? userLimit, string? client) =>
        TryCount(SendingLimitKind.Messages, user, userLimit ?? _options.UserMessagesPerHour, _userMessages, client, _options.ClientMessagesPerHour, _clientMessages);

    /// <summary>As <see cref="TryCountMessage"/>, for one recipient.</summary>
    public SendingLimitRefusal? TryCountRecipient(string? user, int? userLimit, string? client) =>
        TryCount(SendingLimitKind.Recipients, user, userLimit ?? _options.UserRecipientsPerHour, _userRecipients, client, _options.ClientRecipientsPerHour, _clientRecipients);

    /// <summary>Every sender with part of its allowance spent, users first, for <c>mailroom limits</c>.</summary>
    public IReadOnlyList<SendingCounterInfo> Snapshot()
    {
        lock (_lock)
        {
            return
            [
                .. _userMessages.Spent().Select(s => new SendingCounterInfo(s.Key, "user", "messages", s.Used, s.Limit)),
                .. _userRecipients.Spent().Select(s => new SendingCounterInfo(s.Key, "user", "recipients", s.Used, s.Limit)),
                .. _clientMessages.Spent().Select(s => new SendingCounterInfo(s.Key, "client", "messages", s.Used, s.Limit)),
                .. _clientRecipients.Spent().Select(s => new SendingCounterInfo(s.Key, "client", "recipients", s.Used, s.Limit)),
            ];
        }
    }

    private SendingLimitRefusal? TryCount(SendingLimitKind kind, string? user, int userLimit, TokenBucketTable users, string? client, int clientLimit, TokenBucketTable clients)
    {
        bool countUser = user is not null && userLimit > 0;
        bool countClient = client is not null && clientLimit > 0;
        lock (_lock)
        {
            if (countUser && !users.HasRoom(user!, userLimit))
            {
                return new SendingLimitRefusal(kind, PerUser: true, user!, userLimit);
            }

            if (countClient && !clients.HasRoom(client!, clientLimit))
            {
                return new SendingLimitRefusal(kind, PerUser: false, client!, clientLimit);
            }

            if (countUser)
            {
                users.Take(user!, userLimit);
            }

            if (countClient)
            {
                clients.Take(client!, clientLimit);
            }

            return null;
        }
    }
}
