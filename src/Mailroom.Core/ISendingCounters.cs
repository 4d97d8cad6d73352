namespace Mailroom.Core;

/// <summary>
/// The running server's sending-limit counters, for <c>mailroom limits</c> (asked over the queue's control socket, the
/// server's one admin channel). Core holds the contract so the queue can answer without knowing who counts.
/// </summary>
public interface ISendingCounters
{
    /// <summary>Every sender with part of its hourly allowance spent now.</summary>
    IReadOnlyList<SendingCounterInfo> Snapshot();
}

/// <summary>One tracked sender and limit.</summary>
/// <param name="Sender">The user name, or the client address (an IPv6 one as its /64).</param>
/// <param name="Scope"><c>user</c> or <c>client</c>.</param>
/// <param name="Kind"><c>messages</c> or <c>recipients</c>.</param>
/// <param name="Used">Spent and not yet refilled (the token bucket's deficit, rounded up).</param>
/// <param name="Limit">The hourly limit that applies.</param>
public sealed record SendingCounterInfo(string Sender, string Scope, string Kind, int Used, int Limit);
