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
}
