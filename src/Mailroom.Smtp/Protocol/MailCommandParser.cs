using System.Globalization;
using Mailroom.Core;

namespace Mailroom.Smtp.Protocol;

/// <summary>Parses the MAIL command's argument and ESMTP parameters.</summary>
internal static class MailCommandParser
{
    private static readonly SmtpReply BadSize = new(501, "5.5.4", "Bad message size syntax");
    private static readonly SmtpReply BadBody = new(501, "5.5.4", "Bad BODY keyword syntax");
    private static readonly SmtpReply BadRet = new(501, "5.5.4", "Bad RET parameter syntax");
    private static readonly SmtpReply BadEnvid = new(501, "5.5.4", "Bad ENVID parameter syntax");
    private static readonly SmtpReply BadAuth = new(501, "5.5.4", "Bad AUTH parameter syntax");
    private static readonly SmtpReply BadSmtpUtf8 = new(501, "5.5.4", "Bad SMTPUTF8 parameter syntax");

    /// <summary>Returns null and the request, or the reply that refuses the command.</summary>
    public static SmtpReply? TryParse(string argument, out MailRequest? request)
    {
        request = null;
        if (!PathParser.TrySplit(argument, "FROM:", out string path, out string parameters))
        {
            return SmtpReplies.MailSyntax;
        }

        var result = new MailRequest { Sender = path };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string key, string? value, string raw) in PathParser.SplitParameters(parameters))
        {
            if (!seen.Add(key))
            {
                return new SmtpReply(501, "5.5.4", $"Error: duplicate {key} parameter");
            }

            switch (key)
            {
                case "SIZE":
                    // RFC 1870 §6: size-value ::= 1*20DIGIT
                    if (value is null || value.Length is 0 or > 20 || !value.All(char.IsAsciiDigit))
                    {
                        return BadSize;
                    }

                    result = result with
                    {
                        DeclaredSize = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long size) ? size : long.MaxValue,
                    };
                    break;
                case "BODY":
                    BodyType? body = value?.ToUpperInvariant() switch
                    {
                        "7BIT" => BodyType.SevenBit,
                        "8BITMIME" => BodyType.EightBitMime,
                        "BINARYMIME" => BodyType.BinaryMime,
                        _ => null,
                    };
                    if (body is null)
                    {
                        return BadBody;
                    }

                    result = result with { BodyType = body.Value };
                    break;
                case "SMTPUTF8":
                    if (value is not null)
                    {
                        return BadSmtpUtf8;
                    }

                    result = result with { SmtpUtf8 = true };
                    break;
                case "RET":
                    DsnReturn? ret = value?.ToUpperInvariant() switch
                    {
                        "FULL" => DsnReturn.Full,
                        "HDRS" => DsnReturn.Headers,
                        _ => null,
                    };
                    if (ret is null)
                    {
                        return BadRet;
                    }

                    result = result with { Return = ret.Value };
                    break;
                case "ENVID":
                    // RFC 3461 §4.4: ENVID is xtext, at most 100 characters.
                    string? envid = value is null || value.Length > 100 ? null : Xtext.Decode(value);
                    if (envid is null || envid.Length == 0)
                    {
                        return BadEnvid;
                    }

                    result = result with { EnvelopeId = envid };
                    break;
                case "AUTH":
                    // RFC 4954 §5: AUTH=<> or AUTH=xtext(mailbox); accepted and recorded, never trusted.
                    string? auth = value == "<>" ? "<>" : value is null ? null : Xtext.Decode(value);
                    if (auth is null)
                    {
                        return BadAuth;
                    }

                    result = result with { AuthParameter = auth };
                    break;
                default:
                    return new SmtpReply(555, "5.5.4", $"Unsupported option: {raw}");
            }
        }

        if (path.Length > 0)
        {
            if (!PathParser.IsValidMailbox(path))
            {
                return SmtpReplies.BadSenderSyntax;
            }

            if (!result.SmtpUtf8 && !PathParser.IsAscii(path))
            {
                return NonAsciiRefused(path);
            }
        }

        request = result;
        return null;
    }

    /// <summary>
    /// RFC 6531 §3.4: a non-ASCII address without SMTPUTF8 on MAIL is refused with 553 and RFC 6533's
    /// X.6.7 "non-ASCII addresses not permitted for that sender/recipient".
    /// </summary>
    public static SmtpReply NonAsciiRefused(string address) =>
        new(553, "5.6.7", $"<{address}>: non-ASCII address requires SMTPUTF8");
}
