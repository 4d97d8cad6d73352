using System.Buffers;

namespace Mailroom.Fuzz;

/// <summary>
/// Lets a short input stand for a long file: the byte 0xFF (never in UTF-8, rare in mail) followed by a count byte
/// n stands for the byte before it repeated (n + 1) x 512 times, up to <see cref="MaxLength"/> bytes in all. So
/// libFuzzer, whose inputs stay small, still reaches lines longer than a reader's buffer (64 KiB) and content
/// spanning several decoding chunks.
/// </summary>
internal static class LongRuns
{
    public const int MaxLength = 192 * 1024;

    private const byte Marker = 0xFF;

    public static byte[] Expand(ReadOnlySpan<byte> input)
    {
        if (!input.Contains(Marker))
        {
            return input.ToArray();
        }

        var output = new ArrayBufferWriter<byte>(input.Length);
        byte previous = (byte)'x';
        for (int i = 0; i < input.Length && output.WrittenCount < MaxLength; i++)
        {
            int count = 1;
            if (input[i] == Marker && i + 1 < input.Length)
            {
                count = Math.Min((input[i + 1] + 1) * 512, MaxLength - output.WrittenCount);
                i++;
            }
            else
            {
                previous = input[i];
            }

            output.GetSpan(count)[..count].Fill(previous);
            output.Advance(count);
        }

        return output.WrittenSpan.ToArray();
    }
}
