namespace Mailroom.Policy.Limits;

/// <summary>A limit that would be passed: the reply names <see cref="Key"/> (the user or the client address).</summary>
/// <param name="Kind">Messages or recipients.</param>
/// <param name="PerUser">True for the user's limit, false for the client address's.</param>
/// <param name="Key">The user name or the client address block.</param>
/// <param name="Limit">The hourly limit that applies.</param>
public sealed record SendingLimitRefusal(SendingLimitKind Kind, bool PerUser, string Key, int Limit);
