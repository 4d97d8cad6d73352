using System.Buffers;
using Mailroom.Imap.Protocol.Mime;

namespace Mailroom.Imap.Protocol;

/// <summary>
/// The ENVELOPE structure (RFC 9051 §7.5.2): (date subject from sender reply-to to cc bcc in-reply-to message-id),
/// from raw header values (encoded words are left for the client to decode). Each address list holds at most
/// <see cref="MessageLimits.MaxEnvelopeAddresses"/> addresses, so the structure stays a small multiple of the header.
/// </summary>
internal static class EnvelopeFormatter
{
    public static byte[] Format(HeaderBlock header, int maxAddresses)
    {
        ArrayBufferWriter<byte> output = new(256);
        Write(output, header, maxAddresses);
        return output.WrittenSpan.ToArray();
    }

    public static void Write(IBufferWriter<byte> output, HeaderBlock header, int maxAddresses)
    {
        ArgumentNullException.ThrowIfNull(header);
        List<ImapAddress>? from = Addresses(header, "From", maxAddresses);
        ImapWire.WriteAscii(output, "(");
        ImapWire.WriteQuotedOrLiteral(output, header.Get("Date"));
        ImapWire.WriteAscii(output, " ");
        ImapWire.WriteQuotedOrLiteral(output, header.Get("Subject"));
        ImapWire.WriteAscii(output, " ");
        WriteAddresses(output, from);
        // RFC 9051 §7.5.2: an absent or empty Sender or Reply-To takes the value of From.
        ImapWire.WriteAscii(output, " ");
        WriteAddresses(output, Addresses(header, "Sender", maxAddresses) ?? from);
        ImapWire.WriteAscii(output, " ");
        WriteAddresses(output, Addresses(header, "Reply-To", maxAddresses) ?? from);
        foreach (string name in (string[])["To", "Cc", "Bcc"])
        {
            ImapWire.WriteAscii(output, " ");
            WriteAddresses(output, Addresses(header, name, maxAddresses));
        }

        ImapWire.WriteAscii(output, " ");
        ImapWire.WriteQuotedOrLiteral(output, header.Get("In-Reply-To"));
        ImapWire.WriteAscii(output, " ");
        ImapWire.WriteQuotedOrLiteral(output, header.Get("Message-ID"));
        ImapWire.WriteAscii(output, ")");
    }

    private static List<ImapAddress>? Addresses(HeaderBlock header, string name, int maxAddresses)
    {
        string? value = header.Get(name);
        if (value is null)
        {
            return null;
        }

        List<ImapAddress> addresses = AddressListParser.Parse(value, maxAddresses);
        return addresses.Count == 0 ? null : addresses;
    }

    private static void WriteAddresses(IBufferWriter<byte> output, List<ImapAddress>? addresses)
    {
        if (addresses is null)
        {
            ImapWire.WriteAscii(output, "NIL");
            return;
        }

        ImapWire.WriteAscii(output, "(");
        foreach (ImapAddress address in addresses)
        {
            ImapWire.WriteAscii(output, "(");
            ImapWire.WriteQuotedOrLiteral(output, address.Name);
            ImapWire.WriteAscii(output, " ");
            ImapWire.WriteQuotedOrLiteral(output, address.Route);
            ImapWire.WriteAscii(output, " ");
            ImapWire.WriteQuotedOrLiteral(output, address.Mailbox);
            ImapWire.WriteAscii(output, " ");
            ImapWire.WriteQuotedOrLiteral(output, address.Host);
            ImapWire.WriteAscii(output, ")");
        }

        ImapWire.WriteAscii(output, ")");
    }
}
