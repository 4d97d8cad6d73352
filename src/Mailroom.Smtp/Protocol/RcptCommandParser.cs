using Mailroom.Core;

namespace Mailroom.Smtp.Protocol;

/// <summary>Parses the RCPT command's argument and its RFC 3461 parameters.</summary>
internal static class RcptCommandParser
{
    private static readonly SmtpReply BadNotify = new(501, "5.5.4", "Error: Bad NOTIFY parameter syntax");
    private static readonly SmtpReply BadOrcpt = new(501, "5.5.4", "Error: Bad ORCPT parameter syntax");

    public static SmtpReply? TryParse(string argument, bool smtpUtf8, out RcptRequest? request)
    {
        request = null;
        if (!PathParser.TrySplit(argument, "TO:", out string path, out string parameters) || path.Length == 0)
        {
            return SmtpReplies.RcptSyntax;
        }

        // RFC 5321 §4.5.1: "<Postmaster>" without a domain must be accepted (case-insensitive).
        bool barePostmaster = path.Equals("postmaster", StringComparison.OrdinalIgnoreCase);
        if (!barePostmaster && !PathParser.IsValidMailbox(path))
        {
            return SmtpReplies.BadRecipientSyntax;
        }

        if (!smtpUtf8 && !PathParser.IsAscii(path))
        {
            return MailCommandParser.NonAsciiRefused(path);
        }

        var result = new RcptRequest { Address = path, IsBarePostmaster = barePostmaster };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string key, string? value, string raw) in PathParser.SplitParameters(parameters))
        {
            if (!seen.Add(key))
            {
                return new SmtpReply(501, "5.5.4", $"Error: duplicate {key} parameter");
            }

            switch (key)
            {
                case "NOTIFY":
                    DsnNotify? notify = value is null ? null : ParseNotify(value);
                    if (notify is null)
                    {
                        return BadNotify;
                    }

                    result = result with { Notify = notify.Value };
                    break;
                case "ORCPT":
                    // RFC 3461 §4.2: ORCPT=addr-type ";" xtext, at most 500 characters.
                    int semicolon = value?.IndexOf(';', StringComparison.Ordinal) ?? -1;
                    if (value is null || value.Length > 500 || semicolon <= 0 || Xtext.Decode(value.AsSpan(semicolon + 1)) is null)
                    {
                        return BadOrcpt;
                    }

                    result = result with { OriginalRecipient = value };
                    break;
                default:
                    return new SmtpReply(555, "5.5.4", $"Unsupported option: {raw}");
            }
        }

        request = result;
        return null;
    }

    /// <summary>RFC 3461 §4.1: <c>NEVER</c>, or a comma list of SUCCESS, FAILURE and DELAY.</summary>
    private static DsnNotify? ParseNotify(string value)
    {
        if (value.Equals("NEVER", StringComparison.OrdinalIgnoreCase))
        {
            return DsnNotify.Never;
        }

        DsnNotify notify = DsnNotify.Unspecified;
        foreach (string item in value.Split(','))
        {
            DsnNotify flag = item.ToUpperInvariant() switch
            {
                "SUCCESS" => DsnNotify.Success,
                "FAILURE" => DsnNotify.Failure,
                "DELAY" => DsnNotify.Delay,
                _ => DsnNotify.Unspecified,
            };
            if (flag == DsnNotify.Unspecified || notify.HasFlag(flag))
            {
                return null;
            }

            notify |= flag;
        }

        return notify;
    }
}
