using System.Globalization;
using System.Text;
using Mailroom.Imap.Protocol;

namespace Mailroom.Fuzz.Targets;

/// <summary>
/// IMAP URLs as CATENATE takes them (RFC 5092, RFC 4469 §3): parsing never throws, what parses names a message
/// (UID, mailbox and partial length never empty or zero), and the URL printed again from what was parsed parses back
/// to the same thing.
/// </summary>
internal sealed class ImapUrlTarget : FuzzTarget
{
    private const string User = "fuzz@example.org";

    public override string Name => "imap-url";

    public override string Description => "IMAP URLs of CATENATE: parse, print, parse again";

    public override int MaxLength => 4096;

    public override void Run(ReadOnlySpan<byte> input)
    {
        string text = Encoding.Latin1.GetString(input);
        if (!ImapUrl.TryParse(text, User, IsThisServer, out ImapUrl? url))
        {
            return;
        }

        if (url!.Uid == 0 || url.Mailbox?.Length == 0 || url.PartialLength == 0 || url.Section?.Length == 0)
        {
            throw new FuzzFailureException($"{text} parsed to a URL that names nothing: {url}");
        }

        string printed = Print(url);
        if (!ImapUrl.TryParse(printed, User, IsThisServer, out ImapUrl? again) || again != url)
        {
            throw new FuzzFailureException($"{text} parsed to {url}, printed as {printed}, which parses to {again?.ToString() ?? "nothing"}");
        }
    }

    private static bool IsThisServer(string host) => host == "mail.example.org";

    private static string Print(ImapUrl url)
    {
        var text = new StringBuilder();
        if (url.Mailbox is { } mailbox)
        {
            text.Append('/').Append(string.Join('/', mailbox.Split('/').Select(Uri.EscapeDataString)));
            if (url.UidValidity is { } validity)
            {
                text.Append(CultureInfo.InvariantCulture, $";UIDVALIDITY={validity}");
            }

            text.Append('/');
        }

        text.Append(CultureInfo.InvariantCulture, $";UID={url.Uid}");
        if (url.Section is { } section)
        {
            text.Append("/;SECTION=").Append(Uri.EscapeDataString(section));
        }

        if (url.PartialOffset is { } offset)
        {
            text.Append(CultureInfo.InvariantCulture, $"/;PARTIAL={offset}");
            if (url.PartialLength is { } length)
            {
                text.Append(CultureInfo.InvariantCulture, $".{length}");
            }
        }

        return text.ToString();
    }
}
