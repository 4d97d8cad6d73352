using System.Buffers;
using System.Text;
using Mailroom.Imap.Protocol.Sorting;

namespace Mailroom.Imap.Tests.Protocol.Sorting;

/// <summary>Builds the messages threading tests order, and formats the result as the THREAD response would.</summary>
internal static class ThreadTestMessages
{
    private static readonly DateTimeOffset Start = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Message <paramref name="sequence"/>, sent <paramref name="minute"/> minutes after a fixed start (null: no Date).</summary>
    public static SortableMessage Message(int sequence, string? id, string subject = "topic", int? minute = null, params string[] references)
    {
        string baseSubject = BaseSubject.Extract(subject, out bool reply);
        long sent = minute is int m ? Start.AddMinutes(m).UtcTicks : MessageSortKeys.NoDate;
        var keys = new MessageSortKeys(sent, MessageSortKeys.Fold(baseSubject), reply, "", "", "", "", "", id ?? "", references);
        return new SortableMessage(sequence, (uint)sequence, Start.AddDays(1).AddMinutes(sequence).UtcTicks, 100, keys);
    }

    public static string References(params SortableMessage[] messages) =>
        Format(ReferencesThreader.Thread(messages, maxLoopCheck: 1000, TestContext.Current.CancellationToken));

    public static string OrderedSubject(params SortableMessage[] messages) =>
        Format(OrderedSubjectThreader.Thread(messages, TestContext.Current.CancellationToken));

    public static string Format(ThreadForest threads)
    {
        using (threads)
        {
            var text = new ArrayBufferWriter<byte>();
            ThreadFormatter.Write(text, threads);
            return Encoding.ASCII.GetString(text.WrittenSpan);
        }
    }
}
