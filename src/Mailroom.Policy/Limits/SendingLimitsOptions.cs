namespace Mailroom.Policy.Limits;

/// <summary>
/// Hourly sending limits for authenticated sessions (submission on 587/465, AUTH on 25), against a stolen password
/// turning the server into a spam source (configuration section <c>SendingLimits</c>): Postfix's anvil rates
/// (<c>smtpd_client_message_rate_limit</c>, <c>smtpd_client_recipient_rate_limit</c>) per client address, and the per-user
/// quotas policy daemons add. Each is a token bucket: the full hour's allowance may be spent at once, then it refills
/// evenly. 0 turns a limit off. A user's own limits in the directory override the user defaults.
/// </summary>
public sealed class SendingLimitsOptions
{
    public const string SectionName = "SendingLimits";

    /// <summary>
    /// Messages an authenticated user may send per hour. Default 200: far above what a person writes (the big
    /// providers allow a few hundred to a few thousand a day), far below what a spammer with the password wants.
    /// </summary>
    public int UserMessagesPerHour { get; set; } = 200;

    /// <summary>Recipients (RCPT commands accepted) per user per hour. Default 1000: mailing a large team is fine.</summary>
    public int UserRecipientsPerHour { get; set; } = 1000;

    /// <summary>
    /// Messages per hour from one client address (an IPv4 address, an IPv6 /64) in authenticated sessions, whichever
    /// users it logs in as: one machine using several stolen accounts. Default 1000, room for an office behind one NAT.
    /// <c>Smtp:TrustedNetworks</c> (a webmail on the host) are exempt from the client limits, as anvil exempts mynetworks.
    /// </summary>
    public int ClientMessagesPerHour { get; set; } = 1000;

    /// <summary>Recipients per hour from one client address in authenticated sessions. Default 5000.</summary>
    public int ClientRecipientsPerHour { get; set; } = 5000;

    /// <summary>
    /// Users and client addresses tracked at once, each. Default 100000. A bucket that has refilled is forgotten (it
    /// knows nothing a new one would not), so only senders active within the hour take room.
    /// </summary>
    public int MaxTrackedKeys { get; set; } = 100_000;
}
