using System.Reflection;
using System.Text;
using Mailroom.Smtp.Cleanup;
using MimeKit;

namespace Mailroom.Fuzz.Targets;

/// <summary>
/// The body-part header meter behind <c>Smtp:MaxHeaderFieldSize</c> / <c>Smtp:MaxHeaderFields</c> at DATA
/// (<see cref="BodyPartHeaderMeter"/>, <see cref="ContentTypeScanner"/>). The first byte picks the mode (bit 0: the rest
/// of the input is a script that builds a well-formed MIME tree, see <see cref="MimeTreeScript"/>; otherwise it is the
/// message itself), the second how the message is split, the third the field size limit. The message is metered whole
/// and in pieces: both measures must agree, the meter must never hold more than the limit and the open boundaries
/// warrant, and its measure must agree with MimeKit's parser on the same bytes where the two can be compared: exactly
/// for a built tree; for raw bytes of plain CRLF-terminated ASCII lines (see <see cref="Comparable"/>) the meter must
/// measure at least what MimeKit parses, so that no header MimeKit reads escapes the limits.
/// </summary>
internal sealed class SmtpPartHeadersTarget : FuzzTarget
{
    /// <summary>MimeKit's <c>Header.IsInvalid</c> (internal): the field of such a header is its whole text.</summary>
    private static readonly PropertyInfo IsInvalid =
        typeof(Header).GetProperty("IsInvalid", BindingFlags.Instance | BindingFlags.NonPublic) ?? throw new MissingMemberException(nameof(Header), "IsInvalid");

    public override string Name => "smtp-part-headers";

    public override string Description => "SMTP DATA body-part header meter: MIME boundaries, nested messages, split input, MimeKit as reference";

    public override string? Dictionary => "mime.dict";

    public override void Run(ReadOnlySpan<byte> input)
    {
        if (input.Length < 3)
        {
            return;
        }

        bool built = (input[0] & 1) != 0;
        byte seed = input[1];
        int maxFieldSize = 8 + (input[2] * 8);
        byte[] message = built ? MimeTreeScript.Build(input[3..]) : input[3..].ToArray();

        BodyPartHeaderMeter whole = Meter(message, maxFieldSize, [message.Length]);
        BodyPartHeaderMeter split = Meter(message, maxFieldSize, Chunking.Lengths(message.Length, seed));
        Measure measured = Measure.Of(whole);
        if (measured != Measure.Of(split))
        {
            throw new FuzzFailureException($"split message metered differently: {measured} whole, {Measure.Of(split)} split");
        }

        if ((built || Comparable(message)) && Reference(message) is { } expected)
        {
            // A field larger than the limit anywhere refuses the message, and may be cut short in the meter's Content-Type
            // capture, so then only the verdict is compared: refused by MimeKit's measure, refused by the meter's. A built
            // tree is well-formed: both read it alike. Raw bytes may hold a Content-Type whose parameters MimeKit gives up
            // on (and then parses no parts) where the meter still finds the boundary: there the meter may measure more,
            // never less, than MimeKit parses.
            bool agrees = expected.Refuses(maxFieldSize) ? measured.Refuses(maxFieldSize)
                : built ? measured == expected
                : measured.Covers(expected);
            if (!agrees)
            {
                throw new FuzzFailureException(
                    $"meter and MimeKit disagree (limit {maxFieldSize}): {measured} metered, {expected} by MimeKit" +
                    (built ? $"; the built message:\n{Encoding.ASCII.GetString(message)}" : ""));
            }
        }
    }

    /// <summary>Meters the message in the given pieces, checking after each that the meter holds no more than it may.</summary>
    private static BodyPartHeaderMeter Meter(byte[] message, int maxFieldSize, IReadOnlyList<int> pieces)
    {
        var meter = new BodyPartHeaderMeter(maxFieldSize);
        int offset = 0;
        foreach (int length in pieces)
        {
            meter.Write(message.AsSpan(offset, length));
            offset += length;
            CheckHeld(meter, maxFieldSize, offset);
        }

        meter.Complete();
        return meter;
    }

    /// <summary>
    /// The Content-Type capture holds at most the limit plus one byte; the line buffer at most the longest open boundary
    /// with its dashes and blanks; the open boundaries at most <see cref="BodyPartHeaderMeter.MaxDepth"/> captures, and
    /// never more characters than the content so far. Nothing grows with a long field, a long line or a long body.
    /// </summary>
    private static void CheckHeld(BodyPartHeaderMeter meter, int maxFieldSize, int written)
    {
        long capture = maxFieldSize + 1L;
        long buffers = capture + Math.Max(80, capture + 8);
        long boundaries = 2 * Math.Min(BodyPartHeaderMeter.MaxDepth * capture, written);
        if (meter.HeldBytes > buffers + boundaries)
        {
            throw new FuzzFailureException($"the meter holds {meter.HeldBytes} bytes after {written} bytes of content (limit {maxFieldSize}, allowed {buffers + boundaries})");
        }
    }

    /// <summary>
    /// Raw bytes are compared with MimeKit only where the two read a header the same way by design: lines of printable
    /// ASCII and tabs ending in CRLF (no bare CR or LF, which the session normalises or refuses before the meter, and
    /// no mbox "From " line, which MimeKit's entity parser reads specially).
    /// </summary>
    private static bool Comparable(ReadOnlySpan<byte> message)
    {
        if (message.Length < 2 || !message.EndsWith("\r\n"u8))
        {
            return false;
        }

        for (int i = 0; i < message.Length; i++)
        {
            byte b = message[i];
            bool lineEnd = (b == (byte)'\r' && i + 1 < message.Length && message[i + 1] == (byte)'\n') || (b == (byte)'\n' && i > 0 && message[i - 1] == (byte)'\r');
            if (!lineEnd && b is not ((>= 32 and < 127) or (byte)'\t'))
            {
                return false;
            }

            if ((i == 0 || message[i - 1] == (byte)'\n') && message[i..].StartsWith("From "u8))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// What MimeKit's parser sees: the largest header field (name, colon, value with its folds and line end) and the
    /// fields of the message's own header; the largest field and the most fields of any body part's header, the header
    /// of a message carried in a part included. Null when MimeKit does not parse the bytes as a message.
    /// </summary>
    private static Measure? Reference(byte[] message)
    {
        MimeMessage parsed;
        try
        {
            using var stream = new MemoryStream(message, writable: false);
            parsed = MimeMessage.Load(stream);
        }
        catch (FormatException)
        {
            return null;
        }

        long largest = 0;
        int most = 0;
        Account([.. parsed.Headers, .. parsed.Body?.Headers ?? []]);
        (long ownLargest, int ownFields) = (largest, most);
        (largest, most) = (0, 0);
        Walk(parsed.Body, countOwn: false);
        return new Measure(ownLargest, ownFields, largest, most);

        void Account(List<Header> headers)
        {
            most = Math.Max(most, headers.Count);
            foreach (Header header in headers)
            {
                // A line MimeKit could not read as a field is kept whole as the "field", with no colon and no value.
                bool invalid = (bool)IsInvalid.GetValue(header)!;
                largest = Math.Max(largest, header.RawField.Length + (invalid ? 0 : 1 + header.RawValue.Length));
            }
        }

        void Walk(MimeEntity? entity, bool countOwn)
        {
            if (entity is null)
            {
                return;
            }

            if (countOwn)
            {
                Account([.. entity.Headers]);
            }

            if (entity is Multipart multipart)
            {
                foreach (MimeEntity child in multipart)
                {
                    Walk(child, countOwn: true);
                }
            }
            else if (entity is MessagePart { Message: { } carried })
            {
                // The carried message's header is one section to the meter; MimeKit moves its Content-* fields to the
                // body entity, so the section is both lists together.
                Account([.. carried.Headers, .. carried.Body?.Headers ?? []]);
                Walk(carried.Body, countOwn: false);
            }
        }
    }

    /// <summary>What the meter measures: the message's own header, and the largest and fullest of its body parts' headers.</summary>
    private readonly record struct Measure(long OwnLargestField, int OwnFields, long LargestField, int MostFields)
    {
        public static Measure Of(BodyPartHeaderMeter meter) => new(meter.OwnLargestField, meter.OwnFields, meter.LargestField, meter.MostFields);

        public bool Refuses(int maxFieldSize) => OwnLargestField > maxFieldSize || LargestField > maxFieldSize;

        /// <summary>Every measure at least the other's: whatever limit the other passes, this one passes too.</summary>
        public bool Covers(Measure other) =>
            OwnLargestField >= other.OwnLargestField && OwnFields >= other.OwnFields && LargestField >= other.LargestField && MostFields >= other.MostFields;
    }
}
