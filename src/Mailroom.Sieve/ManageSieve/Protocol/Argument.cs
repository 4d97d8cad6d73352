using System.Text;

namespace Mailroom.Sieve.ManageSieve.Protocol;

/// <summary>One parsed element of a command: its kind and its octets (a string's value, unquoted).</summary>
internal readonly record struct Argument(ArgumentKind Kind, byte[] Value)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The value as UTF-8 text (RFC 5804 §4: strings are UTF-8); null when it is not valid UTF-8.</summary>
    public string? Text
    {
        get
        {
            try
            {
                return StrictUtf8.GetString(Value);
            }
            catch (DecoderFallbackException)
            {
                return null;
            }
        }
    }
}
