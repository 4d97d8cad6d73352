using System.Buffers;
using System.Globalization;
using System.Text;
using Mailroom.Sieve.Compilation;

namespace Mailroom.Sieve.ManageSieve.Server;

/// <summary>Responses (RFC 5804 §1.2, §4): OK/NO/BYE with an optional code and text; strings quoted when they can be, else literals.</summary>
internal sealed partial class ManageSieveSession
{
    // RFC 5804 §4 (erratum 2655): a quoted string holds at most 1024 octets.
    private const int MaxQuoted = 1024;

    /// <summary>Failed commands counted against <see cref="ManageSieveOptions.MaxErrors"/>.</summary>
    public int Errors { get; private set; }

    public long BytesIn { get; private set; }

    public long BytesOut { get; private set; }

    public void Ok(string? code, string? text) => Response("OK", code, text);

    /// <summary>A NO that does not count against the error budget (a script that does not exist, a quota).</summary>
    public void No(string? code, string text) => Response("NO", code, text);

    /// <summary>A NO for a command that should not have been sent (bad syntax, wrong state): it counts.</summary>
    public void Invalid(string text)
    {
        Errors++;
        Response("NO", null, text);
    }

    /// <summary>A failed login: counts.</summary>
    public void Failed(string? code, string text)
    {
        Errors++;
        Response("NO", code, text);
    }

    public void Bye(string? code, string text) => Response("BYE", code, text);

    /// <summary>A string as a response line of its own (GETSCRIPT's script, a SASL challenge).</summary>
    public void WriteStringLine(ReadOnlySpan<byte> value)
    {
        WriteString(value);
        WriteRaw("\r\n"u8);
    }

    /// <summary>A LISTSCRIPTS line: the name, and ACTIVE for the active script.</summary>
    public void WriteScriptLine(ReadOnlySpan<byte> name, bool active)
    {
        WriteString(name);
        WriteRaw(active ? " ACTIVE\r\n"u8 : "\r\n"u8);
    }

    /// <summary>A script as a literal on its own (GETSCRIPT): always a literal, whatever its content.</summary>
    public void WriteLiteralLine(ReadOnlySpan<byte> value)
    {
        WriteText(string.Create(CultureInfo.InvariantCulture, $"{{{value.Length}}}\r\n"));
        WriteRaw(value);
        WriteRaw("\r\n"u8);
    }

    /// <summary>The capability listing (RFC 5804 §1.7), as in the greeting and after STARTTLS.</summary>
    public void WriteCapabilities()
    {
        WriteText("\"IMPLEMENTATION\" \"Mailroom\"\r\n");
        WriteText("\"SIEVE\" ");
        WriteStringLine(Encoding.UTF8.GetBytes(Context.SieveCapability));
        if (State == ManageSieveState.NonAuthenticated)
        {
            WriteText(LoginAllowed ? "\"SASL\" \"PLAIN\"\r\n" : "\"SASL\" \"\"\r\n");
            if (!Connection.IsSecure)
            {
                WriteText("\"STARTTLS\"\r\n");
            }
        }

        WriteText(string.Create(CultureInfo.InvariantCulture, $"\"MAXREDIRECTS\" \"{Context.Sieve.MaxRedirects}\"\r\n"));
        WriteText("\"UNAUTHENTICATE\"\r\n");
        WriteText("\"VERSION\" \"1.0\"\r\n");
    }

    /// <summary>The result of checking a script: NO with the errors (one per line), or OK, with (WARNINGS) when there are some.</summary>
    public void ReportCompilation(SieveCompilation compilation, string okText)
    {
        if (!compilation.Success)
        {
            No(null, compilation.Describe());
        }
        else if (compilation.Diagnostics.Count > 0)
        {
            Ok("WARNINGS", compilation.Describe());
        }
        else
        {
            Ok(null, okText);
        }
    }

    private void Response(string status, string? code, string? text)
    {
        WriteText(status);
        if (code is not null)
        {
            WriteText(" (" + code + ")");
        }

        if (text is not null)
        {
            WriteRaw(" "u8);
            WriteString(Encoding.UTF8.GetBytes(text));
        }

        WriteRaw("\r\n"u8);
    }

    private void WriteString(ReadOnlySpan<byte> value)
    {
        if (value.Length <= MaxQuoted && value.IndexOfAny((byte)'\r', (byte)'\n', (byte)0) < 0)
        {
            var quoted = new ArrayBufferWriter<byte>(value.Length + 2);
            quoted.Write("\""u8);
            foreach (byte b in value)
            {
                if (b is (byte)'"' or (byte)'\\')
                {
                    quoted.Write("\\"u8);
                }

                quoted.Write([b]);
            }

            quoted.Write("\""u8);
            WriteRaw(quoted.WrittenSpan);
            return;
        }

        WriteText(string.Create(CultureInfo.InvariantCulture, $"{{{value.Length}}}\r\n"));
        WriteRaw(value);
    }

    private void WriteText(string text) => WriteRaw(Encoding.UTF8.GetBytes(text));

    private void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        Output.Write(bytes);
        BytesOut += bytes.Length;
    }
}
