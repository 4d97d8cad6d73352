using Mailroom.Net;

namespace Mailroom.Imap.Server;

/// <summary>One IMAP command (one per file, or small family, in <c>Commands/</c>), run only in the states its table entry allows.</summary>
internal interface IImapCommand
{
    /// <summary>
    /// Parses the arguments (an <see cref="Protocol.ImapParseException"/> becomes <c>tag BAD</c>), runs the command
    /// and writes its responses, the tagged one included (through <see cref="ImapSession.Complete"/>).
    /// </summary>
    ValueTask<SessionAction> ExecuteAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken);
}
