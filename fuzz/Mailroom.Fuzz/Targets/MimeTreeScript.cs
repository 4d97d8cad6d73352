using System.Text;

namespace Mailroom.Fuzz.Targets;

/// <summary>
/// Builds a well-formed MIME message (RFC 2045/2046) from a script of bytes, so that a fuzzer mutating a few bytes
/// reshapes the tree rather than breaking its syntax: how many header fields each part has and how long and folded
/// they are, where its Content-Type sits and how it writes the boundary (plain, quoted, folded, after a comment, split
/// into RFC 2231 sections), multiparts nested and closed or left open, messages carried in parts, boundaries that are
/// prefixes of one another or reused inside, and body lines that look like boundaries and are not. The script's bytes
/// are read in turn; past its end every byte reads as 0.
/// </summary>
internal sealed class MimeTreeScript
{
    private const int MaxDepth = 6;
    private static readonly string[] BoundaryNames = ["b", "b1", "=_b", "b-"];
    private static readonly string[] FieldNames = ["X-F", "Subject", "Content-Description", "X-Folded-Field"];

    private readonly byte[] _script;
    private readonly StringBuilder _text = new();
    private readonly List<string> _open = [];
    private int _at;

    private MimeTreeScript(ReadOnlySpan<byte> script) => _script = script.ToArray();

    public static byte[] Build(ReadOnlySpan<byte> script)
    {
        var builder = new MimeTreeScript(script);
        builder._text.Append("From: a@remote.example\r\n");
        builder.Part(depth: 0);
        return Encoding.ASCII.GetBytes(builder._text.ToString());
    }

    private int Next(int range) => _at < _script.Length ? _script[_at++] % range : 0;

    private void Part(int depth)
    {
        int fields = Next(5);
        int kind = depth < MaxDepth ? Next(4) : 0;
        string? boundary = kind == 1 ? BoundaryNames[Next(BoundaryNames.Length)] + (Next(2) == 0 ? "" : depth.ToString(System.Globalization.CultureInfo.InvariantCulture)) : null;
        int typeAt = Next(fields + 1);
        for (int field = 0; field <= fields; field++)
        {
            if (field == typeAt)
            {
                ContentType(kind, boundary);
            }

            if (field < fields)
            {
                Field(FieldNames[Next(FieldNames.Length)]);
            }
        }

        _text.Append("\r\n");
        switch (kind)
        {
            case 1:
                Multipart(boundary!, depth);
                break;
            case 2:
                Part(depth + 1);
                break;
            default:
                Lines();
                break;
        }
    }

    private void Field(string name)
    {
        _text.Append(name).Append(": ").Append('v', Next(256));
        for (int folds = Next(4); folds > 0; folds--)
        {
            _text.Append("\r\n").Append(Next(2) == 0 ? ' ' : '\t').Append('w', Next(128));
        }

        _text.Append("\r\n");
    }

    private void ContentType(int kind, string? boundary)
    {
        switch (kind)
        {
            case 1:
                _text.Append(Next(4) switch
                {
                    0 => $"Content-Type: multipart/mixed; boundary={(boundary!.Contains('=', StringComparison.Ordinal) ? $"\"{boundary}\"" : boundary)}\r\n",
                    1 => $"Content-Type: multipart/alternative;\r\n\tboundary=\"{boundary}\"\r\n",
                    2 => $"Content-Type: multipart/mixed; boundary*0=\"{boundary![..1]}\"; boundary*1=\"{boundary[1..]}\"\r\n",
                    _ => $"Content-Type: multipart/related (a (nested) comment); type=text/html;\r\n boundary=\"{boundary}\" (after)\r\n",
                });
                break;
            case 2:
                _text.Append("Content-Type: message/rfc822\r\n");
                break;
            default:
                _text.Append(Next(2) == 0 ? "Content-Type: text/plain; charset=us-ascii\r\n" : "Content-Type: text/plain;\r\n boundary=\"not-multipart\"\r\n");
                break;
        }
    }

    private void Multipart(string boundary, int depth)
    {
        _open.Add(boundary);
        if (Next(2) == 1)
        {
            _text.Append("preamble\r\n");
        }

        for (int children = 1 + Next(3); children > 0; children--)
        {
            _text.Append("--").Append(boundary).Append(Next(4) == 0 ? " \t" : "").Append("\r\n");
            Part(depth + 1);
        }

        _open.RemoveAt(_open.Count - 1);
        if (Next(5) != 0)
        {
            _text.Append("--").Append(boundary).Append("--\r\n");
            if (Next(2) == 1)
            {
                _text.Append("epilogue\r\n");
            }
        }
    }

    private void Lines()
    {
        for (int lines = Next(4); lines > 0; lines--)
        {
            _text.Append(Next(4) switch
            {
                0 => "text",
                1 => "--" + BoundaryNames[Next(BoundaryNames.Length)] + "x",
                2 => "-- " + (_open.Count > 0 ? _open[^1] : "b"),
                _ => "Not-A-Header: in a body",
            }).Append("\r\n");
        }
    }
}
