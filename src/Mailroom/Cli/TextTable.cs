namespace Mailroom.Cli;

/// <summary>Plain aligned columns: readable in a terminal and easy to cut/awk in scripts.</summary>
internal static class TextTable
{
    public static void Write(TextWriter output, string[] header, IEnumerable<string[]> rows)
    {
        List<string[]> all = [header, .. rows];
        int[] widths = new int[header.Length];
        foreach (string[] row in all)
        {
            for (int i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        foreach (string[] row in all)
        {
            output.WriteLine(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        }
    }
}
