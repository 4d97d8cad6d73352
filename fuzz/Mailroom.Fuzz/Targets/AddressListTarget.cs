using System.Text;
using Mailroom.Imap.Protocol;

namespace Mailroom.Fuzz.Targets;

/// <summary>
/// The RFC 5322 address-list parser behind ENVELOPE (From, Sender, Reply-To, To, Cc, Bcc): display names, quoted
/// strings, comments, groups, routes, obsolete syntax, encoded words. The value is a header's unfolded text.
/// </summary>
internal sealed class AddressListTarget : FuzzTarget
{
    public override string Name => "imap-address-list";

    public override string Description => "ENVELOPE address lists: names, comments, groups, routes, obsolete forms";

    public override string? Dictionary => "mime.dict";

    public override void Run(ReadOnlySpan<byte> input)
    {
        List<ImapAddress> addresses = AddressListParser.Parse(Encoding.UTF8.GetString(input));
        if (addresses.Count > input.Length + 1)
        {
            throw new FuzzFailureException($"{addresses.Count} addresses from {input.Length} bytes");
        }
    }
}
