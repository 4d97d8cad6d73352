namespace Mailroom.Policy.Limits;

/// <summary>What a limit counts.</summary>
public enum SendingLimitKind
{
    /// <summary>Messages (counted at MAIL FROM, as anvil counts message delivery requests).</summary>
    Messages,

    /// <summary>Recipients (counted at each accepted RCPT TO).</summary>
    Recipients,
}
