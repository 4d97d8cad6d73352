using System.Text;
using Mailroom.Core.Text;
using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Language.Matching;
using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Syntax;
using MimeKit;

namespace Mailroom.Sieve.Language.Tests;

/// <summary>
/// <c>body [COMPARATOR] [MATCH-TYPE] [:raw | :content &lt;types&gt; | :text] &lt;key-list&gt;</c> (RFC 5173):
/// <c>:raw</c> the undecoded body; <c>:content</c> the decoded parts of the given types ("text" any text/*, "" all);
/// <c>:text</c> (the default) the text parts, HTML reduced to its text, as Pigeonhole extracts them.
/// </summary>
internal sealed class BodyTest(BodyTransform transform, SieveStringList? contentTypes, SieveStringList keys, MatchSpec match, SourcePosition position)
    : SieveTest(position)
{
    public static SieveTest? Compile(AstNode node, CompileContext context)
    {
        var reader = new ArgumentReader(node, context, isTest: true);
        var options = new MatchOptions();
        BodyTransform? transform = null;
        SieveStringList? contentTypes = null;
        while (reader.NextTag(out AstTag tag))
        {
            if (tag.Name is "raw" or "content" or "text")
            {
                if (transform is not null)
                {
                    context.Error(tag.Position, "the body test allows only one of :raw, :content and :text");
                }

                transform = tag.Name switch { "raw" => BodyTransform.Raw, "content" => BodyTransform.Content, _ => BodyTransform.Text };
                if (tag.Name == "content")
                {
                    contentTypes = reader.TagStringList(tag);
                }
            }
            else if (!options.TryTake(tag, reader))
            {
                reader.UnknownTag(tag);
            }
        }

        SieveStringList? keys = reader.StringList("key list");
        if (!reader.Finish() || keys is null)
        {
            return null;
        }

        MatchSpec match = HeaderSelection.BuildMatch(options, reader, keys);
        return new BodyTest(transform ?? BodyTransform.Text, contentTypes, keys, match, node.Position);
    }

    public override bool Evaluate(ScriptRun run)
    {
        List<string> values = transform switch
        {
            BodyTransform.Raw => [run.Message.RawBody],
            BodyTransform.Content => Parts(run.Message.Mime, contentTypes!.Evaluate(run), extractText: false),
            _ => Parts(run.Message.Mime, ["text", "application/xhtml+xml"], extractText: true),
        };
        return match.Match(run, values, keys);
    }

    private static List<string> Parts(MimeMessage message, List<string> wanted, bool extractText)
    {
        var values = new List<string>();
        Collect(message.Body, wanted, extractText, values, depth: 0);
        return values;
    }

    private static void Collect(MimeEntity? entity, List<string> wanted, bool extractText, List<string> values, int depth)
    {
        // MimeKit bounds the nesting it parses (ParserOptions.MaxMimeDepth); this only stops pathological trees early.
        if (entity is null || depth > 64)
        {
            return;
        }

        switch (entity)
        {
            case Multipart multipart:
                foreach (MimeEntity child in multipart)
                {
                    Collect(child, wanted, extractText, values, depth + 1);
                }

                break;
            case MessagePart { Message: { } inner }:
                if (IsWanted(wanted, entity.ContentType))
                {
                    values.Add(inner.Headers.ToString() ?? "");
                }

                Collect(inner.Body, wanted, extractText, values, depth + 1);
                break;
            case MimePart part when IsWanted(wanted, part.ContentType):
                string content = Decode(part);
                values.Add(extractText && IsHtml(part.ContentType) ? HtmlText.Extract(content) : content);
                break;
        }
    }

    /// <summary>RFC 5173 §5.2: a type alone matches all its subtypes, "type/subtype" exactly, "" everything.</summary>
    private static bool IsWanted(List<string> wanted, ContentType type)
    {
        foreach (string item in wanted)
        {
            if (item.Length == 0)
            {
                return true;
            }

            int slash = item.IndexOf('/', StringComparison.Ordinal);
            bool matches = slash < 0
                ? type.MediaType.Equals(item, StringComparison.OrdinalIgnoreCase)
                : type.MimeType.Equals(item, StringComparison.OrdinalIgnoreCase);
            if (matches)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsHtml(ContentType type) =>
        type.IsMimeType("text", "html") || type.IsMimeType("application", "xhtml+xml");

    private static string Decode(MimePart part)
    {
        if (part is TextPart text)
        {
            return text.Text ?? "";
        }

        if (part.Content is null)
        {
            return "";
        }

        using var buffer = new MemoryStream();
        part.Content.DecodeTo(buffer);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}

internal enum BodyTransform
{
    Raw,
    Content,
    Text,
}
