using System.Buffers;
using System.Globalization;

namespace Mailroom.Sieve.ManageSieve.Protocol;

/// <summary>
/// One command as it arrives: its lines and, after a line ending in a literal marker (<c>{n+}</c> or <c>{n}</c>), that
/// literal's octets, then the rest of the command on the next line. Parsed into arguments once complete (RFC 5804 §4).
/// </summary>
internal sealed class CommandBuffer
{
    private readonly List<(bool Literal, byte[] Data)> _parts = [];
    private ArrayBufferWriter<byte>? _literal;

    /// <summary>Octets held (lines and literals), for the limit on a whole command.</summary>
    public long Length { get; private set; }

    public void AppendLine(ReadOnlySpan<byte> line)
    {
        EndLiteral();
        _parts.Add((false, line.ToArray()));
        Length += line.Length;
    }

    public void BeginLiteral() => _literal = new ArrayBufferWriter<byte>();

    public void AppendLiteral(ReadOnlySequence<byte> data)
    {
        foreach (ReadOnlyMemory<byte> segment in data)
        {
            _literal!.Write(segment.Span);
        }

        Length += data.Length;
    }

    public void Reset()
    {
        _parts.Clear();
        _literal = null;
        Length = 0;
    }

    /// <summary>
    /// Whether <paramref name="line"/> ends with a literal marker outside any quoted string; the size is parsed
    /// without overflow (a huge number reports <see cref="long.MaxValue"/>, which every limit refuses).
    /// </summary>
    public static bool TryGetLiteralMarker(ReadOnlySpan<byte> line, out long size, out bool nonSynchronizing)
    {
        size = 0;
        nonSynchronizing = false;
        bool quoted = false;
        int lastOpen = -1;
        for (int i = 0; i < line.Length; i++)
        {
            byte b = line[i];
            if (quoted)
            {
                if (b == (byte)'\\')
                {
                    i++;
                }
                else if (b == (byte)'"')
                {
                    quoted = false;
                }
            }
            else if (b == (byte)'"')
            {
                quoted = true;
            }
            else if (b == (byte)'{')
            {
                lastOpen = i;
            }
        }

        if (quoted || lastOpen < 0 || line[^1] != (byte)'}')
        {
            return false;
        }

        ReadOnlySpan<byte> inside = line[(lastOpen + 1)..^1];
        if (inside.Length > 0 && inside[^1] == (byte)'+')
        {
            nonSynchronizing = true;
            inside = inside[..^1];
        }

        if (inside.IsEmpty || inside.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
        {
            return false;
        }

        size = inside.Length > 18 ? long.MaxValue : long.Parse(inside, CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>Splits the command into its elements; false and a reason when it is not well-formed.</summary>
    public bool TryParse(out List<Argument> arguments, out string? error)
    {
        EndLiteral();
        arguments = [];
        error = null;
        for (int p = 0; p < _parts.Count; p++)
        {
            (bool literal, byte[] data) = _parts[p];
            if (literal)
            {
                arguments.Add(new Argument(ArgumentKind.String, data));
                continue;
            }

            int i = 0;
            while (i < data.Length)
            {
                byte b = data[i];
                if (b == (byte)' ')
                {
                    i++;
                    continue;
                }

                if (b == (byte)'"')
                {
                    var value = new ArrayBufferWriter<byte>();
                    i++;
                    while (true)
                    {
                        if (i >= data.Length)
                        {
                            error = "Unterminated quoted string.";
                            return false;
                        }

                        byte c = data[i++];
                        if (c == (byte)'"')
                        {
                            break;
                        }

                        if (c == (byte)'\\')
                        {
                            if (i >= data.Length || data[i] is not ((byte)'"' or (byte)'\\'))
                            {
                                error = "Invalid escape in quoted string.";
                                return false;
                            }

                            c = data[i++];
                        }

                        if (c is 0 or (byte)'\r' or (byte)'\n')
                        {
                            error = "Invalid character in quoted string.";
                            return false;
                        }

                        value.Write([c]);
                    }

                    arguments.Add(new Argument(ArgumentKind.String, value.WrittenSpan.ToArray()));
                    continue;
                }

                if (b == (byte)'{')
                {
                    // A literal marker: its octets are the next part (the marker itself carries nothing more).
                    int close = Array.IndexOf(data, (byte)'}', i);
                    if (close != data.Length - 1 || p + 1 >= _parts.Count || !_parts[p + 1].Literal)
                    {
                        error = "Invalid literal.";
                        return false;
                    }

                    i = data.Length;
                    continue;
                }

                int start = i;
                while (i < data.Length && data[i] is > (byte)' ' and < 0x7f and not ((byte)'"' or (byte)'{' or (byte)'(' or (byte)')'))
                {
                    i++;
                }

                if (i == start)
                {
                    error = "Invalid character in command.";
                    return false;
                }

                byte[] token = data[start..i];
                arguments.Add(new Argument(token.AsSpan().IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0 ? ArgumentKind.Number : ArgumentKind.Atom, token));
            }
        }

        return true;
    }

    private void EndLiteral()
    {
        if (_literal is not null)
        {
            _parts.Add((true, _literal.WrittenSpan.ToArray()));
            _literal = null;
        }
    }
}
