using System.Text;
using MimeKit;

namespace Mailroom.Policy.Tests.Support;

internal static class TestMessages
{
    public static MimeMessage Parse(string text) =>
        MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\r\n"))));

    public static string Simple(string from = "Ann <ann@example.org>", string to = "bob@example.net", string body = "Hello Bob.\n") =>
        $"From: {from}\nTo: {to}\nSubject: test\nDate: Tue, 1 Oct 2024 10:00:00 +0000\nMessage-ID: <1@example.org>\n\n{body}";

    public static string Serialize(MimeMessage message)
    {
        using var stream = new MemoryStream();
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        message.WriteTo(options, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
