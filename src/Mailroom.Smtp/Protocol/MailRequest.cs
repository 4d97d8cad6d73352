using Mailroom.Core;

namespace Mailroom.Smtp.Protocol;

/// <summary>A parsed <c>MAIL FROM:&lt;path&gt; [params]</c> (RFC 5321 §4.1.1.2, RFC 1870, 6152, 3030, 6531, 3461, 4954).</summary>
internal sealed record MailRequest
{
    /// <summary>The reverse path; empty for the null sender.</summary>
    public required string Sender { get; init; }

    public long? DeclaredSize { get; init; }

    public BodyType BodyType { get; init; } = BodyType.SevenBit;

    public bool SmtpUtf8 { get; init; }

    public DsnReturn Return { get; init; } = DsnReturn.Unspecified;

    public string? EnvelopeId { get; init; }

    /// <summary>RFC 4954 §5 AUTH= parameter, xtext-decoded (<c>&lt;&gt;</c> when the submitter is unknown).</summary>
    public string? AuthParameter { get; init; }
}
