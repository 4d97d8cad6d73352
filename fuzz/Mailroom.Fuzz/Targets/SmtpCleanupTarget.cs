using Mailroom.Smtp.Cleanup;

namespace Mailroom.Fuzz.Targets;

/// <summary>
/// The cleanup step's streaming header scan (Message-ID capture, missing Message-ID/Date insertion, header-less
/// messages, folded fields). The first byte picks the role (bit 0: submission, which inserts missing headers), the
/// second the split. The output must be the same however the content is split, and must be the content with at most
/// the inserted lines added: cleanup never drops, reorders or changes a byte the client sent.
/// </summary>
internal sealed class SmtpCleanupTarget : FuzzTarget
{
    private const string AddedMessageId = "<fuzz.1@mx.example.org>";
    private const string AddedDate = "Mon, 7 Feb 1994 21:52:25 -0800";

    public override string Name => "smtp-cleanup";

    public override string Description => "SMTP cleanup header scan: Message-ID capture, missing header insertion";

    public override void Run(ReadOnlySpan<byte> input)
    {
        if (input.Length < 2)
        {
            return;
        }

        bool submission = (input[0] & 1) != 0;
        byte seed = input[1];
        byte[] content = input[2..].ToArray();

        (byte[] whole, string? wholeId) = Clean(content, submission, [content.Length]);
        (byte[] split, string? splitId) = Clean(content, submission, Chunking.Lengths(content.Length, seed));
        if (!whole.AsSpan().SequenceEqual(split) || wholeId != splitId)
        {
            throw new FuzzFailureException($"split content cleaned differently: {whole.Length} vs {split.Length} bytes, Message-ID {wholeId} vs {splitId}");
        }

        CheckOnlyInsertions(content, whole);
    }

    private static (byte[] Output, string? MessageId) Clean(byte[] content, bool submission, IReadOnlyList<int> pieces)
    {
        using var output = new MemoryStream();
        var writer = new CleanupWriter(output, submission ? () => (AddedMessageId, AddedDate) : null);
        int offset = 0;
        foreach (int length in pieces)
        {
            writer.WriteAsync(content.AsMemory(offset, length), CancellationToken.None).AsTask().GetAwaiter().GetResult();
            offset += length;
        }

        writer.CompleteAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return (output.ToArray(), writer.MessageId);
    }

    /// <summary>The output is the content with one block of whole lines inserted (the added headers and/or CRLFs).</summary>
    private static void CheckOnlyInsertions(byte[] content, byte[] output)
    {
        int prefix = output.AsSpan().CommonPrefixLength(content);
        int inserted = output.Length - content.Length;
        if (inserted < 0)
        {
            throw new FuzzFailureException($"cleanup dropped {-inserted} bytes");
        }

        // Any insertion point lies within the common prefix, and then everything past prefix + inserted is the
        // content shifted by the insertion; so this one comparison decides.
        if (!output.AsSpan(prefix + inserted).SequenceEqual(content.AsSpan(prefix)))
        {
            throw new FuzzFailureException("cleanup changed the client's bytes, beyond inserting header lines");
        }
    }
}
