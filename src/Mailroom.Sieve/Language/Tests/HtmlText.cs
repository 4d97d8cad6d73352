using System.Text;
using MimeKit.Text;

namespace Mailroom.Sieve.Language.Tests;

/// <summary>The text of an HTML part for <c>body :text</c>: the character data, without tags, scripts and styles, entities decoded.</summary>
internal static class HtmlText
{
    public static string Extract(string html)
    {
        var text = new StringBuilder(html.Length / 2);
        var tokenizer = new HtmlTokenizer(new StringReader(html));
        int hidden = 0;
        while (tokenizer.ReadNextToken(out HtmlToken? token))
        {
            switch (token)
            {
                case HtmlTagToken tag when tag.Id is HtmlTagId.Script or HtmlTagId.Style:
                    hidden += tag.IsEndTag ? -1 : tag.IsEmptyElement ? 0 : 1;
                    hidden = Math.Max(hidden, 0);
                    break;
                case HtmlTagToken tag when tag.Id is HtmlTagId.Br or HtmlTagId.P or HtmlTagId.Div || tag.Name is "tr" or "li":
                    text.Append(' ');
                    break;
                case HtmlDataToken data when hidden == 0:
                    text.Append(data.Data);
                    break;
            }
        }

        return text.ToString();
    }
}
