using Mailroom.Policy.Arc;
using Mailroom.Policy.Dkim;
using Mailroom.Policy.Srs;

namespace Mailroom.Policy;

/// <summary>
/// One consistent set of the settings <see cref="OutboundAuthenticator"/> works with, swapped whole on a reload so that
/// no step sees half of an old and half of a new configuration. The SRS secrets are read at first use.
/// </summary>
internal sealed record OutboundSettings(DkimOptions Dkim, ArcOptions Arc, SrsOptions Srs, Lazy<SrsRewriter> Rewriter)
{
    public static OutboundSettings Create(DkimOptions dkim, ArcOptions arc, SrsOptions srs, TimeProvider timeProvider) =>
        new(dkim, arc, srs, new Lazy<SrsRewriter>(() => new SrsRewriter(SrsRewriter.LoadSecrets(srs.SecretFile), srs.MaxAgeDays, timeProvider)));
}
