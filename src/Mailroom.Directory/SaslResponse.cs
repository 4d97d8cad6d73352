using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Mailroom.Directory;

/// <summary>
/// A client's SASL response as SMTP AUTH, POP3 AUTH and IMAP AUTHENTICATE carry it: base64 (RFC 4648 §4) of UTF-8
/// text. Decoding is one linear pass over input the line limit already bounds, into one buffer of at most 3/4 its size.
/// </summary>
public static class SaslResponse
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>True when the response is the client's <c>*</c>, which cancels the exchange (RFC 4954 §4, RFC 5034 §4, RFC 9051 §6.2.2).</summary>
    public static bool IsCancel(ReadOnlySpan<byte> line) => line.SequenceEqual("*"u8);

    /// <summary>Decodes the base64 (surrounding spaces ignored) as strict UTF-8; false when it is neither.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> base64, [NotNullWhen(true)] out string? text)
    {
        base64 = base64.Trim((byte)' ');
        byte[] decoded = ArrayPool<byte>.Shared.Rent(Math.Max(1, Base64.GetMaxDecodedFromUtf8Length(base64.Length)));
        try
        {
            if (Base64.DecodeFromUtf8(base64, decoded, out _, out int written) != OperationStatus.Done)
            {
                text = null;
                return false;
            }

            text = StrictUtf8.GetString(decoded, 0, written);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = null;
            return false;
        }
        finally
        {
            // The decoded bytes hold a password.
            decoded.AsSpan().Clear();
            ArrayPool<byte>.Shared.Return(decoded);
        }
    }
}
