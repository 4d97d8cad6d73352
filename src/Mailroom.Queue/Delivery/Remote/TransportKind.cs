namespace Mailroom.Queue.Delivery.Remote;

/// <summary>What a transport map entry does with the mail it matches.</summary>
public enum TransportKind
{
    /// <summary>Delivered over SMTP to a host or the MX hosts of a domain.</summary>
    Smtp,

    /// <summary>Accepted and thrown away (Postfix's <c>discard</c>), logged as sent.</summary>
    Discard,

    /// <summary>Bounced at once with the entry's text (Postfix's <c>error</c>).</summary>
    Error,

    /// <summary>Deferred with the entry's text (Postfix's <c>retry</c>).</summary>
    Retry,
}
