using System.Text;
using Mailroom.Smtp.Cleanup;

namespace Mailroom.Smtp.Tests.Cleanup;

/// <summary>The body-part header meter follows MIME boundaries across any split of the content.</summary>
public sealed class BodyPartHeaderMeterTests
{
    private const string Message =
        "From: a@remote.example\r\nContent-Type: multipart/mixed;\r\n boundary=\"b1\"\r\n\r\npreamble\r\n"
        + "--b1\r\nContent-Type: text/plain\r\nX-Long: 12345\r\n 67890\r\n\r\nbody\r\n"
        + "--b1\r\nContent-Type: multipart/alternative; boundary=b2\r\n\r\n"
        + "--b2\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\nx\r\n--b2--\r\n"
        + "--b1--\r\nepilogue: not a header, this line is long enough to be the largest field if it were one\r\n";

    [Fact]
    public void EveryPartsHeaderIsMeasuredAndTheMessagesOwnIsNot()
    {
        var meter = new BodyPartHeaderMeter(100_000);
        meter.Write(Encoding.ASCII.GetBytes(Message));
        meter.Complete();

        // "X-Long: 12345\r\n 67890\r\n" and "Content-Type: multipart/alternative; boundary=b2\r\n"; "A:", "B:", "C:".
        Assert.Equal(("Content-Type: multipart/alternative; boundary=b2\r\n".Length, 3), (meter.LargestField, meter.MostFields));
    }

    [Fact]
    public void SplitAtEveryByteTheMeasureIsTheSame()
    {
        byte[] bytes = Encoding.ASCII.GetBytes(Message);
        var whole = new BodyPartHeaderMeter(100_000);
        whole.Write(bytes);
        whole.Complete();
        for (int split = 1; split < bytes.Length; split++)
        {
            var meter = new BodyPartHeaderMeter(100_000);
            meter.Write(bytes.AsSpan(0, split));
            meter.Write(bytes.AsSpan(split));
            meter.Complete();
            Assert.Equal((whole.LargestField, whole.MostFields), (meter.LargestField, meter.MostFields));
        }
    }

    [Fact]
    public void AMessageWithoutPartsMeasuresNothing()
    {
        var meter = new BodyPartHeaderMeter(100_000);
        meter.Write("Subject: x\r\n\r\n--b1\r\nA: 1\r\n\r\n"u8);
        meter.Complete();

        Assert.Equal((0L, 0), (meter.LargestField, meter.MostFields));
    }

    [Fact]
    public void ALineThatIsNoFieldDoesNotEndAPartsHeader()
    {
        // MimeKit reads on: the line is a field of its own, and so is every field after it.
        (long largest, int most) = Measure(
            "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nA: 1\r\nnot a field\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\nbody\r\n--b--\r\n");

        Assert.Equal(("not a field\r\n".Length, 5), (largest, most));
    }

    [Fact]
    public void TheMessagesOwnHeaderIsMeasuredApartAsMimeKitReadsIt()
    {
        var meter = new BodyPartHeaderMeter(100_000);
        meter.Write("From: a@remote.example\r\nbroken\r\nA: 1\r\nSubject: a folded\r\n subject\r\n\r\nbody\r\n"u8);
        meter.Complete();

        Assert.Equal(("Subject: a folded\r\n subject\r\n".Length, 4, 0L, 0), (meter.OwnLargestField, meter.OwnFields, meter.LargestField, meter.MostFields));
    }

    [Fact]
    public void LinesThatAreNoFieldBeforeAPartsFirstFieldAreSkipped()
    {
        (_, int most) = Measure("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\ngarbage\r\n more garbage\r\nA: 1\r\n\r\nbody\r\n--b--\r\n");

        Assert.Equal(1, most);
    }

    [Fact]
    public void AContentTypeAfterALineThatIsNoFieldStillOpensTheMultipart()
    {
        (_, int most) = Measure("Subject: x\r\nbroken line\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nA: 1\r\nB: 2\r\n\r\nbody\r\n--b--\r\n");

        Assert.Equal(2, most);
    }

    [Fact]
    public void AFieldNameOfAnyLengthIsAField()
    {
        string name = new('N', 200);
        (long largest, int most) = Measure(
            $"Content-Type    :   multipart/mixed; boundary=b\r\n\r\n--b\r\n{name}: v\r\nB: 2\r\n\r\nbody\r\n--b--\r\n");

        Assert.Equal((name.Length + ": v\r\n".Length, 2), (largest, most));
    }

    [Fact]
    public void TheFirstContentTypeOfASectionDecides()
    {
        (_, int most) = Measure("Content-Type: multipart/mixed; boundary=b\r\nContent-Type: text/plain\r\n\r\n--b\r\nA: 1\r\nB: 2\r\n\r\nx\r\n--b--\r\n");
        (_, int ignored) = Measure("Content-Type: text/plain\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nA: 1\r\nB: 2\r\n\r\nx\r\n--b--\r\n");

        Assert.Equal((2, 0), (most, ignored));
    }

    [Fact]
    public void APartWithoutContentTypeInADigestCarriesAMessage()
    {
        // RFC 2046 §5.1.5: the part's default type is message/rfc822, whose header MimeKit parses.
        (_, int most) = Measure("Content-Type: multipart/digest; boundary=d\r\n\r\n--d\r\n\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\nbody\r\n--d--\r\n");
        (_, int typed) = Measure("Content-Type: multipart/digest; boundary=d\r\n\r\n--d\r\nContent-Type: text/plain\r\n\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n--d--\r\n");

        Assert.Equal((3, 1), (most, typed));
    }

    [Theory]
    [InlineData("message/rfc822")]
    [InlineData("message/global")]
    [InlineData("message/news")]
    [InlineData("message/external-body; access-type=x")]
    [InlineData("message/rfc2822")]
    [InlineData("message/global-headers")]
    [InlineData("text/rfc822-headers")]
    public void ATypeMimeKitParsesAsAMessageHasItsHeaderMeasured(string type)
    {
        (_, int most) = Measure($"Content-Type: {type}\r\n\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\nbody\r\n");

        Assert.Equal(3, most);
    }

    [Fact]
    public void ABoundaryLineInAPartsHeaderEndsIt()
    {
        // A boundary may hold a colon (RFC 2046 §5.1.1 bchars), so the line would read as a field; MimeKit checks it first.
        (_, int most) = Measure("Content-Type: multipart/mixed; boundary=\"x:y\"\r\n\r\n--x:y\r\nA: 1\r\n--x:y\r\nB: 1\r\n\r\nbody\r\n--x:y--\r\n");

        Assert.Equal(1, most);
    }

    [Fact]
    public void TheInnermostBoundaryIsTriedFirst()
    {
        // "--b--" ends the inner multipart "b" (MimeKit tries it first), not a new part of the outer "b--": what follows is epilogue.
        (_, int most) = Measure(
            "Content-Type: multipart/mixed; boundary=\"b--\"\r\n\r\n--b--\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
            + "--b\r\nA: 1\r\n\r\nx\r\n--b--\r\nE: 1\r\nF: 2\r\nG: 3\r\n\r\nepilogue\r\n--b----\r\n");

        Assert.Equal(1, most);
    }

    [Fact]
    public void ALastHeaderLineWithoutItsLineEndIsAField()
    {
        (long largest, int most) = Measure("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nA: 1\r\nno colon and no end");

        Assert.Equal(("no colon and no end".Length, 2), (largest, most));
    }

    public static TheoryData<string> UnusualMessages() =>
    [
        "Content-Type: multipart/digest; boundary=d\r\n\r\n--d\r\n\r\nA: 1\r\nno field\r\n\tgoes on\r\n\r\n--d--\r\n",
        "Content-Type: multipart/mixed; boundary=\"x:y\"\r\n\r\n--x:y\r\nA: 1\r\n--x:y\r\n\r\n\r\n--x:y--\r\n",
        "Content-Type: message/news\nX: 1\n\rbad\n\nbody\n",
        "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nA: 1\r\nno end",
    ];

    [Theory]
    [MemberData(nameof(UnusualMessages))]
    public void UnusualSyntaxSplitAtEveryByteIsMeasuredTheSame(string message)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(message);
        (long, int) whole = Measure(message);
        for (int split = 1; split < bytes.Length; split++)
        {
            var meter = new BodyPartHeaderMeter(100_000);
            meter.Write(bytes.AsSpan(0, split));
            meter.Write(bytes.AsSpan(split));
            meter.Complete();
            Assert.Equal(whole, (meter.LargestField, meter.MostFields));
        }
    }

    [Fact]
    public void TheMeterHoldsNoMoreThanTheLimitAndTheOpenBoundaries()
    {
        var meter = new BodyPartHeaderMeter(100);
        meter.Write("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain; x=\""u8);
        for (int i = 0; i < 1000; i++)
        {
            meter.Write("0123456789abcdef"u8);
        }

        meter.Write("\"\r\n\r\n"u8);
        for (int i = 0; i < 1000; i++)
        {
            meter.Write("--b a long body line that is no boundary "u8);
        }

        // The Content-Type capture (limit + 1), the line buffer (80, longer than "--b--"), the boundary "b" (2 bytes).
        Assert.InRange(meter.HeldBytes, 1, (100 + 1) + 80 + 2);
    }

    private static (long LargestField, int MostFields) Measure(string message)
    {
        var meter = new BodyPartHeaderMeter(100_000);
        meter.Write(Encoding.ASCII.GetBytes(message));
        meter.Complete();
        return (meter.LargestField, meter.MostFields);
    }
}
