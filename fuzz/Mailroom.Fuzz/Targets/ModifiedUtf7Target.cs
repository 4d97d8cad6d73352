using System.Text;
using Mailroom.Imap.Protocol;

namespace Mailroom.Fuzz.Targets;

/// <summary>
/// Modified UTF-7 mailbox names (RFC 3501 §5.1.3). Decoding is strict so that every name has exactly one encoding:
/// whatever decodes must encode back to the same text, and whatever is encoded must decode back.
/// </summary>
internal sealed class ModifiedUtf7Target : FuzzTarget
{
    public override string Name => "imap-modified-utf7";

    public override string Description => "IMAP modified UTF-7 mailbox names: strict decode, encode round trips";

    public override int MaxLength => 4096;

    public override void Run(ReadOnlySpan<byte> input)
    {
        string wire = Encoding.Latin1.GetString(input);
        if (ModifiedUtf7.TryDecode(wire, out string decoded))
        {
            string encoded = ModifiedUtf7.Encode(decoded);
            if (encoded != wire)
            {
                throw new FuzzFailureException($"{wire} decodes to a name that encodes as {encoded}");
            }
        }

        // Any well-formed name (invalid UTF-8 becomes U+FFFD, so no lone surrogates) encodes and decodes back.
        string name = Encoding.UTF8.GetString(input);
        string encodedName = ModifiedUtf7.Encode(name);
        if (!ModifiedUtf7.TryDecode(encodedName, out string back) || back != name)
        {
            throw new FuzzFailureException($"the encoding {encodedName} of a name does not decode back to it");
        }
    }
}
