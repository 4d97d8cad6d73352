namespace Mailroom.Policy.Limits;

/// <summary>One tracked sender, for <c>mailroom limits</c>: how much of its hourly allowance is spent now.</summary>
/// <param name="Key">The user name or client address block.</param>
/// <param name="PerUser">True for a user, false for a client address.</param>
/// <param name="Kind">Messages or recipients.</param>
/// <param name="Used">Spent and not yet refilled (the bucket's deficit, rounded up).</param>
/// <param name="Limit">The hourly limit.</param>
public sealed record SendingCounter(string Key, bool PerUser, SendingLimitKind Kind, int Used, int Limit);
