using System.Buffers;
using MimeKit;

namespace Mailroom.Imap.Protocol;

/// <summary>
/// The ENVELOPE structure (RFC 9051 §7.5.2): (date subject from sender reply-to to cc bcc in-reply-to message-id),
/// from raw header values (encoded words are left for the client to decode).
/// </summary>
internal static class EnvelopeFormatter
{
    public static byte[] Format(MimeMessage message)
    {
        ArrayBufferWriter<byte> output = new(256);
        Write(output, message);
        return output.WrittenSpan.ToArray();
    }

    public static void Write(IBufferWriter<byte> output, MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        HeaderList headers = message.Headers;
        List<ImapAddress>? from = Addresses(headers, "From");
        ImapWire.WriteAscii(output, "(");
        ImapWire.WriteQuotedOrLiteral(output, RawHeaders.Get(headers, "Date"));
        ImapWire.WriteAscii(output, " ");
        ImapWire.WriteQuotedOrLiteral(output, RawHeaders.Get(headers, "Subject"));
        ImapWire.WriteAscii(output, " ");
        WriteAddresses(output, from);
        // RFC 9051 §7.5.2: an absent or empty Sender or Reply-To takes the value of From.
        ImapWire.WriteAscii(output, " ");
        WriteAddresses(output, Addresses(headers, "Sender") ?? from);
        ImapWire.WriteAscii(output, " ");
        WriteAddresses(output, Addresses(headers, "Reply-To") ?? from);
        foreach (string name in (string[])["To", "Cc", "Bcc"])
        {
            ImapWire.WriteAscii(output, " ");
            WriteAddresses(output, Addresses(headers, name));
        }

        ImapWire.WriteAscii(output, " ");
        ImapWire.WriteQuotedOrLiteral(output, RawHeaders.Get(headers, "In-Reply-To"));
        ImapWire.WriteAscii(output, " ");
        ImapWire.WriteQuotedOrLiteral(output, RawHeaders.Get(headers, "Message-ID"));
        ImapWire.WriteAscii(output, ")");
    }

    private static List<ImapAddress>? Addresses(HeaderList headers, string name)
    {
        string? value = RawHeaders.Get(headers, name);
        if (value is null)
        {
            return null;
        }

        List<ImapAddress> addresses = AddressListParser.Parse(value);
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
