using Mailroom.Core;

namespace Mailroom.Queue.Tests;

/// <summary>
/// What a milter's inserted header field does to a submission at the end of DATA: the content is replaced by the new
/// field followed by the content written so far, read back while it is replaced.
/// </summary>
internal static class MilterEdit
{
    public static async Task PrependFieldAsync(IMessageSubmission submission, byte[] field)
    {
        await using Stream written = submission.OpenWrittenContent();
        await submission.ReplaceContentAsync(
            async (destination, ct) =>
            {
                await destination.WriteAsync(field, ct);
                await written.CopyToAsync(destination, ct);
            },
            TestContext.Current.CancellationToken);
    }
}
