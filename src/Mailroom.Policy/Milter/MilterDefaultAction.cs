namespace Mailroom.Policy.Milter;

/// <summary>What happens to a message when a milter cannot be reached, times out or breaks the protocol (Postfix's milter_default_action).</summary>
public enum MilterDefaultAction
{
    /// <summary>Go on as if the milter were not configured.</summary>
    Accept,

    /// <summary>Answer <c>451 4.7.1</c>: the client tries again later.</summary>
    Tempfail,

    /// <summary>Answer <c>550 5.7.1</c>.</summary>
    Reject,
}
