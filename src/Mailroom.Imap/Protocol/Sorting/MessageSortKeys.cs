using System.Text;

namespace Mailroom.Imap.Protocol.Sorting;

/// <summary>
/// What SORT (RFC 5256, RFC 5957) and THREAD (RFC 5256 §3) read of one message, computed once from its header and
/// kept in the folder's cache (<see cref="Store.Mailboxes.CachedField.SortKeys"/>), so no command re-reads a message
/// file. String keys are stored folded for <c>i;ascii-casemap</c> (RFC 4790 §9.2: ASCII letters upper-cased, every
/// other character as it is), so comparing them is an ordinal comparison.
/// </summary>
/// <param name="SentDateUtcTicks">The Date field in UTC ticks, or <see cref="NoDate"/> when it is missing or unreadable.</param>
/// <param name="Subject">The base subject (RFC 5256 §2.1), folded.</param>
/// <param name="IsReplyOrForward">The subject had a reply or forward marker (RFC 5256 §2.1, used by §3 step 5).</param>
/// <param name="From">addr-mailbox of the first From address, folded ("" when none).</param>
/// <param name="To">addr-mailbox of the first To address, folded.</param>
/// <param name="Cc">addr-mailbox of the first Cc address, folded.</param>
/// <param name="DisplayFrom">RFC 5957 display value of the first From address, folded.</param>
/// <param name="DisplayTo">RFC 5957 display value of the first To address, folded.</param>
/// <param name="MessageId">The Message-ID without its angle brackets, or "" when it has none that is valid.</param>
/// <param name="References">RFC 5256 §3 step 1: the References ids (or the first In-Reply-To id), oldest first.</param>
internal sealed record MessageSortKeys(
    long SentDateUtcTicks,
    string Subject,
    bool IsReplyOrForward,
    string From,
    string To,
    string Cc,
    string DisplayFrom,
    string DisplayTo,
    string MessageId,
    IReadOnlyList<string> References)
{
    public const long NoDate = long.MinValue;

    // Bumped when the layout or a rule changes: older cached values are then computed again.
    private const byte FormatVersion = 1;

    /// <summary>The cached form: a version byte, then the fields in order (strings as length-prefixed UTF-8).</summary>
    public byte[] Serialize()
    {
        using var buffer = new MemoryStream(128);
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(FormatVersion);
            writer.Write(SentDateUtcTicks);
            writer.Write(Subject);
            writer.Write(IsReplyOrForward);
            writer.Write(From);
            writer.Write(To);
            writer.Write(Cc);
            writer.Write(DisplayFrom);
            writer.Write(DisplayTo);
            writer.Write(MessageId);
            writer.Write(References.Count);
            foreach (string reference in References)
            {
                writer.Write(reference);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>The keys from their cached form, or null when it is of another version or damaged (then they are computed again).</summary>
    public static MessageSortKeys? Deserialize(byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0 || value[0] != FormatVersion)
        {
            return null;
        }

        try
        {
            using var reader = new BinaryReader(new MemoryStream(value, 1, value.Length - 1, writable: false), Encoding.UTF8);
            long date = reader.ReadInt64();
            string subject = reader.ReadString();
            bool reply = reader.ReadBoolean();
            string from = reader.ReadString();
            string to = reader.ReadString();
            string cc = reader.ReadString();
            string displayFrom = reader.ReadString();
            string displayTo = reader.ReadString();
            string messageId = reader.ReadString();
            int count = reader.ReadInt32();
            if (count < 0 || count > value.Length)
            {
                return null;
            }

            var references = new string[count];
            for (int i = 0; i < count; i++)
            {
                references[i] = reader.ReadString();
            }

            return new MessageSortKeys(date, subject, reply, from, to, cc, displayFrom, displayTo, messageId, references);
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or FormatException)
        {
            return null;
        }
    }

    /// <summary>RFC 4790 §9.2 i;ascii-casemap: a–z become A–Z, nothing else changes.</summary>
    public static string Fold(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        int first = value.AsSpan().IndexOfAnyInRange('a', 'z');
        if (first < 0)
        {
            return value;
        }

        return string.Create(value.Length, (value, first), static (span, state) =>
        {
            state.value.AsSpan().CopyTo(span);
            for (int i = state.first; i < span.Length; i++)
            {
                if (span[i] is >= 'a' and <= 'z')
                {
                    span[i] = (char)(span[i] - ('a' - 'A'));
                }
            }
        });
    }
}
