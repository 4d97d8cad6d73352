using Mailroom.Imap.Server;
using Mailroom.Net;

namespace Mailroom.Imap.Commands;

/// <summary>
/// COMPRESS DEFLATE (RFC 4978 §3): the tagged OK leaves uncompressed, then both directions are raw DEFLATE, inside
/// TLS when TLS is up. A second COMPRESS gets <c>NO [COMPRESSIONACTIVE]</c>; another mechanism gets BAD.
/// </summary>
internal sealed class CompressCommand : IImapCommand
{
    public async ValueTask<SessionAction> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        var reader = request.Arguments();
        reader.ReadSpace();
        string mechanism = reader.ReadAtom();
        reader.ReadEnd();
        if (!mechanism.Equals("DEFLATE", StringComparison.OrdinalIgnoreCase))
        {
            session.Bad(request.Tag, "Unknown compression mechanism.");
            return SessionAction.Continue;
        }

        if (session.Client.IsCompressed)
        {
            session.No(request, "[COMPRESSIONACTIVE] Compression is already active.");
            return SessionAction.Continue;
        }

        // RFC 4978 §3: compression starts right after the tagged OK, which is the last thing sent uncompressed.
        session.Ok(request, "Begin compression.");
        await session.FlushAsync(cancellationToken).ConfigureAwait(false);
        session.Client.StartDeflate();
        return SessionAction.Continue;
    }
}
