using System.Text;
using MimeKit.Text;

namespace Mailroom.Core.Text;

/// <summary>
/// The readable text of an HTML part, for Sieve's <c>body :text</c> (RFC 5173 §5.2) and IMAP's PREVIEW (RFC 8970):
/// the character data without tags, comments, scripts and styles, entities decoded by MimeKit's tokenizer, and a space
/// where a block element (paragraph, line break, heading, table cell, list item) separated words. As Dovecot's
/// html2text, which Pigeonhole's body test uses, the text of the document's head (its title) is kept unless
/// <c>skipDocumentHead</c> asks otherwise (a preview shows the body).
/// </summary>
public static class HtmlText
{
    /// <summary>The text of <paramref name="html"/>; reading stops once the text reaches <paramref name="maxLength"/> characters.</summary>
    public static string Extract(string html, int maxLength = int.MaxValue, bool skipDocumentHead = false)
    {
        ArgumentNullException.ThrowIfNull(html);
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        var text = new StringBuilder(Math.Min(html.Length, maxLength));
        var tokenizer = new HtmlTokenizer(new StringReader(html));
        int hidden = 0;
        while (text.Length < maxLength && tokenizer.ReadNextToken(out HtmlToken? token))
        {
            switch (token)
            {
                case HtmlTagToken tag when tag.Id is HtmlTagId.Script or HtmlTagId.Style
                    || (skipDocumentHead && tag.Id is HtmlTagId.Head or HtmlTagId.Title):
                    hidden = Math.Max(hidden + (tag.IsEndTag ? -1 : tag.IsEmptyElement ? 0 : 1), 0);
                    break;
                case HtmlTagToken tag when tag.Id is HtmlTagId.Br or HtmlTagId.P or HtmlTagId.Div or HtmlTagId.H1 or HtmlTagId.H2
                    or HtmlTagId.H3 or HtmlTagId.Table || tag.Name is "tr" or "td" or "li":
                    text.Append(' ');
                    break;
                case HtmlDataToken data when hidden == 0 && token.Kind == HtmlTokenKind.Data:
                    text.Append(data.Data);
                    break;
            }
        }

        return text.ToString();
    }
}
