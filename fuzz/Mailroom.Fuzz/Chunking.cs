namespace Mailroom.Fuzz;

/// <summary>
/// Splits an input into pieces the way a pipe may deliver it, deterministically from one seed byte taken from the
/// input itself, so libFuzzer explores the split points and a saved input replays the same way.
/// </summary>
internal static class Chunking
{
    /// <summary>Piece lengths (each at least 1) that add up to <paramref name="length"/>.</summary>
    public static List<int> Lengths(int length, byte seed)
    {
        List<int> lengths = [];
        // Seed 0 gives one piece (the reference run); otherwise pieces of 1..seed bytes from a small xorshift.
        if (seed == 0)
        {
            if (length > 0)
            {
                lengths.Add(length);
            }

            return lengths;
        }

        uint state = 0x9E3779B9u ^ seed;
        int done = 0;
        while (done < length)
        {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            int piece = Math.Min(length - done, 1 + (int)(state % seed));
            lengths.Add(piece);
            done += piece;
        }

        return lengths;
    }
}
