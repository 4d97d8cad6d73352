using MailKit;
using MailKit.Net.Smtp;

namespace Mailroom.Interop.Tests.Support;

/// <summary>
/// MailKit's SmtpClient, told to prefer BDAT: without BINARYMIME on the server it would otherwise use DATA even
/// though CHUNKING (RFC 3030) is offered, and BDAT would go untested against the real program.
/// </summary>
internal sealed class ChunkingSmtpClient(IProtocolLogger logger) : SmtpClient(logger)
{
    protected override bool PreferSendAsBinaryData => true;
}
