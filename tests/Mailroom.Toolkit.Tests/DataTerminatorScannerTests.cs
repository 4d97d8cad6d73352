using System.Text;
using Mailroom.Toolkit.Bench;

namespace Mailroom.Toolkit.Tests;

public sealed class DataTerminatorScannerTests
{
    private const string Content = "Subject: x\r\n\r\n..stuffed line\r\n.\tnot the end\r\nbare\n.\nstill content\r\n..\r\nlast\r\n.\r\n";

    [Fact]
    public void TerminatorIsFoundWhenInputIsSplitAtEveryByte()
    {
        byte[] bytes = Encoding.ASCII.GetBytes(Content + "NEXT");
        for (int split = 1; split < bytes.Length; split++)
        {
            var scanner = default(DataTerminatorScanner);
            int first = scanner.Scan(bytes.AsSpan(0, split));
            int end = first >= 0 ? first : split + scanner.Scan(bytes.AsSpan(split));
            Assert.Equal(Content.Length, end);
        }
    }

    [Fact]
    public void TerminatorIsFoundOneByteAtATime()
    {
        byte[] bytes = Encoding.ASCII.GetBytes(Content);
        var scanner = default(DataTerminatorScanner);
        int found = -1;
        for (int i = 0; i < bytes.Length && found < 0; i++)
        {
            if (scanner.Scan(bytes.AsSpan(i, 1)) == 1)
            {
                found = i + 1;
            }
        }

        Assert.Equal(bytes.Length, found);
    }

    [Fact]
    public void DotOnFirstLineEndsEmptyContent()
    {
        var scanner = default(DataTerminatorScanner);
        Assert.Equal(3, scanner.Scan(".\r\n"u8));
    }

    [Fact]
    public void BareLineFeedsAroundDotDoNotEndContent()
    {
        var scanner = default(DataTerminatorScanner);
        Assert.Equal(-1, scanner.Scan("a\n.\nb\r\n.\n"u8));
    }
}
