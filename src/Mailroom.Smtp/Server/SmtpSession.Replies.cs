using System.Globalization;
using Mailroom.Smtp.Protocol;

namespace Mailroom.Smtp.Server;

/// <summary>Writing replies: every 4xx/5xx spends the session's error budget (<see cref="SmtpOptions.MaxErrors"/>).</summary>
internal sealed partial class SmtpSession
{
    public void Reply(SmtpReply reply)
    {
        if (reply.IsError)
        {
            SpendError();
        }

        WriteLine(reply.ToString());
    }

    /// <summary>A multi-line reply (RFC 5321 §4.2.1): <c>250-first</c> … <c>250 last</c>.</summary>
    public void ReplyLines(int code, IReadOnlyList<string> lines)
    {
        for (int i = 0; i < lines.Count; i++)
        {
            char separator = i == lines.Count - 1 ? ' ' : '-';
            WriteLine(string.Create(CultureInfo.InvariantCulture, $"{code}{separator}{lines[i]}"));
        }
    }

    /// <summary>An AUTH challenge (RFC 4954 §4): <c>334 base64</c>; not an error.</summary>
    public void Challenge(string base64) => WriteLine("334 " + base64);

    /// <summary>Sends what is buffered now (before a raw read, such as after 354).</summary>
    public ValueTask<System.IO.Pipelines.FlushResult> FlushAsync(CancellationToken cancellationToken) =>
        Output.FlushAsync(cancellationToken);
}
