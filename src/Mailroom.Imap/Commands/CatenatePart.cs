namespace Mailroom.Imap.Commands;

/// <summary>
/// One piece of an APPENDed message: data the client sent (a literal, or a CATENATE TEXT part) or, for CATENATE,
/// the IMAP URL of a message or part already in the user's mailboxes (RFC 4469 §3).
/// </summary>
internal sealed class CatenatePart
{
    private CatenatePart(Stream? text, string? url)
    {
        Text = text;
        Url = url;
    }

    /// <summary>The data sent, over the command buffer or a spool file; null for a URL.</summary>
    public Stream? Text { get; }

    /// <summary>The URL as sent; null for data.</summary>
    public string? Url { get; }

    public static CatenatePart FromText(Stream text) => new(text, null);

    public static CatenatePart FromUrl(string url) => new(null, url);
}
