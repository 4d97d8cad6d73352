using System.Text;

namespace Mailroom.Imap.Protocol.Mime;

/// <summary>Text encodings by MIME charset name (IANA names and aliases; the Windows and ISO code pages too).</summary>
internal static class Charsets
{
    static Charsets()
    {
        // .NET carries only the Unicode encodings, ASCII and Latin-1 unless the code-page provider is registered.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    public static bool TryGet(string charset, out Encoding encoding)
    {
        ArgumentNullException.ThrowIfNull(charset);
        encoding = Encoding.UTF8;
        try
        {
            encoding = Encoding.GetEncoding(charset.Trim());
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            return false;
        }
    }
}
