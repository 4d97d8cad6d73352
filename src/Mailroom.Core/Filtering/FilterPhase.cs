namespace Mailroom.Core.Filtering;

/// <summary>When a filter runs (Sieve's <c>environment "phase"</c>, RFC 5183 §4.1).</summary>
public enum FilterPhase
{
    /// <summary>Before the SMTP server answers the end of data, to refuse a rejected message with a 5xx (RFC 5429 §2.1).</summary>
    BeforeAcceptance,

    /// <summary>At local delivery, after the message was accepted and queued.</summary>
    Delivery,
}
