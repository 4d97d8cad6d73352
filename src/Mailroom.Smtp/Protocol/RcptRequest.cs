using Mailroom.Core;

namespace Mailroom.Smtp.Protocol;

/// <summary>A parsed <c>RCPT TO:&lt;path&gt; [params]</c> (RFC 5321 §4.1.1.3, RFC 3461 §4.1-4.2).</summary>
internal sealed record RcptRequest
{
    /// <summary>The forward path (source route stripped), or <c>postmaster</c> for RFC 5321 §4.5.1's special case.</summary>
    public required string Address { get; init; }

    /// <summary>True for <c>RCPT TO:&lt;Postmaster&gt;</c> without a domain.</summary>
    public bool IsBarePostmaster { get; init; }

    public DsnNotify Notify { get; init; } = DsnNotify.Unspecified;

    /// <summary>ORCPT as given, <c>addr-type;xtext</c>; validated but kept encoded so it can be relayed as is.</summary>
    public string? OriginalRecipient { get; init; }
}
