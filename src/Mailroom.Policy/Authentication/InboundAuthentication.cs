using Mailroom.Policy.Arc;
using Mailroom.Policy.Dkim;
using Mailroom.Policy.Dmarc;
using Mailroom.Policy.Spf;

namespace Mailroom.Policy.Authentication;

/// <summary>Everything learnt about one received message's authentication.</summary>
public sealed record InboundAuthentication
{
    public required string ClientAddress { get; init; }

    public required string Helo { get; init; }

    /// <summary>The reverse path (empty for <c>&lt;&gt;</c>).</summary>
    public required string MailFrom { get; init; }

    /// <summary>This server's name (policyd-spf's <c>receiver=</c>).</summary>
    public required string Receiver { get; init; }

    public SpfVerdict? Spf { get; init; }

    /// <summary><c>mailfrom</c>, or <c>helo</c> when the reverse path is null.</summary>
    public string SpfIdentity => MailFrom.Length == 0 ? "helo" : "mailfrom";

    public IReadOnlyList<DkimSignatureResult> Dkim { get; init; } = [];

    public bool DkimChecked { get; init; }

    public DmarcVerdict? Dmarc { get; init; }

    public ArcVerdict? Arc { get; init; }

    /// <summary>One line for <c>mailroom queue list</c>: <c>spf=pass dkim=pass dmarc=pass arc=none</c>.</summary>
    public string Summary
    {
        get
        {
            var parts = new List<string>();
            if (Spf is not null)
            {
                parts.Add("spf=" + Spf.Keyword);
            }

            if (DkimChecked)
            {
                parts.Add("dkim=" + (Dkim.Count == 0 ? "none" : string.Join(',', Dkim.Select(d => $"{d.Result}({d.Domain})"))));
            }

            if (Dmarc is not null)
            {
                parts.Add("dmarc=" + Dmarc.Result + (Dmarc.FromDomain.Length > 0 ? $"({Dmarc.FromDomain})" : ""));
            }

            if (Arc is not null)
            {
                parts.Add("arc=" + Arc.Result);
            }

            return string.Join(' ', parts);
        }
    }
}
