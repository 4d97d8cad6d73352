using MimeKit;
using Envelope = Mailroom.Core.Envelope;

namespace Mailroom.Queue.Delivery.Remote;

/// <summary>How a relayed message is written: as it was received, with CRLF line ends.</summary>
internal static class RelayFormat
{
    private static readonly FormatOptions Ascii = Create(international: false);
    private static readonly FormatOptions Utf8 = Create(international: true);

    public static FormatOptions Options(Envelope envelope) => envelope.SmtpUtf8 ? Utf8 : Ascii;

    private static FormatOptions Create(bool international)
    {
        FormatOptions options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        options.International = international;

        // A relay passes headers on as received (RFC 5321 §2.3.10); stripping Bcc is the submitter's job.
        options.HiddenHeaders.Clear();
        return options;
    }
}
