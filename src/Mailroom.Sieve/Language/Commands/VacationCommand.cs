using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Syntax;
using MimeKit;

namespace Mailroom.Sieve.Language.Commands;

/// <summary>
/// <c>vacation [:days n | :seconds n] [:subject s] [:from s] [:addresses list] [:mime] [:handle s] &lt;reason&gt;</c>
/// (RFC 5230, RFC 6131). Whether a reply is due is decided here, with Pigeonhole's rules in its order: never to the null
/// sender or to the user's own addresses, once per sender and handle within the period, never to mailing lists
/// (List-*), automatic mail (Auto-Submitted, Precedence bulk/list/junk, X-Auto-Response-Suppress) or system addresses,
/// and only when one of the user's addresses is in To/Cc/Bcc/Resent-To/Resent-Cc (RFC 5230 §4.5).
/// </summary>
internal sealed class VacationCommand : SieveCommand
{
    private static readonly string[] ListHeaders = ["list-id", "list-owner", "list-subscribe", "list-post", "list-unsubscribe", "list-help", "list-archive"];
    private static readonly string[] MyAddressHeaders = ["to", "cc", "bcc", "resent-to", "resent-cc"];

    private readonly long? _days;
    private readonly long? _seconds;
    private readonly SieveString? _subject;
    private readonly SieveString? _from;
    private readonly SieveStringList? _addresses;
    private readonly bool _mime;
    private readonly SieveString? _handle;
    private readonly SieveString _reason;

    private VacationCommand(long? days, long? seconds, SieveString? subject, SieveString? from, SieveStringList? addresses, bool mime, SieveString? handle, SieveString reason, SourcePosition position)
        : base(position)
    {
        _days = days;
        _seconds = seconds;
        _subject = subject;
        _from = from;
        _addresses = addresses;
        _mime = mime;
        _handle = handle;
        _reason = reason;
    }

    public static SieveCommand? Compile(AstNode node, CompileContext context)
    {
        var reader = new ArgumentReader(node, context, isTest: false);
        long? days = null;
        long? seconds = null;
        SieveString? subject = null;
        SieveString? from = null;
        SieveStringList? addresses = null;
        SieveString? handle = null;
        bool mime = false;
        AstTag? period = null;
        while (reader.NextTag(out AstTag tag))
        {
            switch (tag.Name)
            {
                case "days":
                case "seconds" when context.IsEnabled(SieveExtensions.VacationSeconds):
                    long? value = reader.TagNumber(tag);
                    if (period is not null)
                    {
                        context.Error(tag.Position, $"the vacation command does not allow :{tag.Name} after :{period.Name}");
                    }

                    period = tag;
                    if (tag.Name == "days")
                    {
                        days = value;
                    }
                    else
                    {
                        seconds = value;
                    }

                    break;
                case "subject":
                    subject = reader.TagString(tag);
                    break;
                case "from":
                    from = reader.TagString(tag);
                    if (from is { IsConstant: true } && !IsValidFrom(from.Constant))
                    {
                        context.Error(from.Position, $"specified :from address '{from.Constant}' is invalid for the vacation action");
                    }

                    break;
                case "addresses":
                    addresses = reader.TagStringList(tag);
                    foreach (SieveString address in addresses?.Items ?? [])
                    {
                        if (address.IsConstant && RedirectCommand.Normalize(address.Constant, out _) is null)
                        {
                            context.Error(address.Position, $"specified :addresses item '{address.Constant}' is invalid for the vacation action");
                        }
                    }

                    break;
                case "mime":
                    mime = true;
                    break;
                case "handle":
                    handle = reader.TagString(tag);
                    break;
                default:
                    reader.UnknownTag(tag);
                    break;
            }
        }

        SieveString? reason = reader.String("reason");
        return reader.Finish() && reason is not null
            ? new VacationCommand(days, seconds, subject, from, addresses, mime, handle, reason, node.Position)
            : null;
    }

    public override Flow Execute(ScriptRun run)
    {
        SieveRuntimeSettings settings = run.Settings;
        string reason = _reason.Evaluate(run);
        string? subject = _subject?.Evaluate(run);
        string? from = _from?.Evaluate(run);
        if (from is not null && !IsValidFrom(from))
        {
            throw new SieveRuntimeException(Position, $"specified :from address '{from}' is invalid for the vacation action");
        }

        List<string> addresses = [];
        foreach (string address in _addresses?.Evaluate(run) ?? [])
        {
            addresses.Add(RedirectCommand.Normalize(address, out _)
                ?? throw new SieveRuntimeException(Position, $"specified :addresses item '{address}' is invalid for the vacation action"));
        }

        // RFC 5230 §4.2 (and Pigeonhole's default): the handle is made of the arguments that shape the reply.
        string handle = _handle?.Evaluate(run) ?? reason + (subject ?? "<default-subject>") + (from ?? "<default-from>") + (_mime ? "<MIME>" : "<NO-MIME>");
        TimeSpan period = Period(settings);
        string sender = run.Envelope.From;
        string recipient = run.Envelope.To;
        string trackingKey = Tracking.Key("vacation", handle, sender.ToLowerInvariant());
        (string? skip, string? replyFrom) = Decide(run, sender, recipient, addresses, trackingKey);
        run.Result.AddVacation(new VacationAction(run.Script.Name, Position)
        {
            Reason = reason,
            Subject = subject,
            From = from,
            Mime = _mime,
            Handle = handle,
            Period = period,
            Recipient = sender,
            ReplyFrom = replyFrom ?? recipient,
            Send = skip is null,
            SkipReason = skip,
            TrackingKey = trackingKey,
        });
        return Flow.Next;
    }

    private TimeSpan Period(SieveRuntimeSettings settings)
    {
        TimeSpan period = _seconds is { } s ? TimeSpan.FromSeconds(Math.Min(s, (long)TimeSpan.MaxValue.TotalSeconds / 2))
            : _days is { } d ? TimeSpan.FromDays(Math.Min(d, 100_000))
            : settings.VacationDefaultPeriod;
        if (period < settings.VacationMinPeriod)
        {
            period = settings.VacationMinPeriod;
        }

        if (settings.VacationMaxPeriod > TimeSpan.Zero && period > settings.VacationMaxPeriod)
        {
            period = settings.VacationMaxPeriod;
        }

        return period;
    }

    /// <summary>Why no reply is due (null: send), and the address of the user the message was sent to.</summary>
    private static (string? Skip, string? ReplyFrom) Decide(ScriptRun run, string sender, string recipient, List<string> addresses, string trackingKey)
    {
        SieveMessage message = run.Message;
        if (sender.Length == 0)
        {
            return ("discarded vacation reply to <>", null);
        }

        if (sender.Equals(recipient, StringComparison.OrdinalIgnoreCase) || sender.Equals(BaseAddress(recipient, run.Settings.RecipientDelimiter), StringComparison.OrdinalIgnoreCase))
        {
            return ($"discarded vacation reply to own address <{sender}>", null);
        }

        if (addresses.Exists(a => a.Equals(sender, StringComparison.OrdinalIgnoreCase)))
        {
            return ($"discarded vacation reply to own address <{sender}> (as specified using :addresses argument)", null);
        }

        if (run.Host.IsTracked(trackingKey))
        {
            return ($"discarded duplicate vacation response to <{sender}>", null);
        }

        foreach (string list in ListHeaders)
        {
            if (message.GetFirstHeader(list) is not null)
            {
                return ($"discarding vacation response to mailinglist recipient <{sender}>", null);
            }
        }

        if (message.GetHeaderValues("auto-submitted").Exists(v => !v.Equals("no", StringComparison.OrdinalIgnoreCase)))
        {
            return ($"discarding vacation response to auto-submitted message from <{sender}>", null);
        }

        if (message.GetHeaderValues("precedence").Find(v => v.ToLowerInvariant() is "junk" or "bulk" or "list") is { } precedence)
        {
            return ($"discarding vacation response to precedence={precedence} message from <{sender}>", null);
        }

        foreach (string value in message.GetHeaderValues("x-auto-response-suppress"))
        {
            foreach (string flag in value.Split(','))
            {
                if (flag.Trim().ToLowerInvariant() is "all" or "oof")
                {
                    return ($"discarding vacation response to message from <{sender}> ('{flag.Trim()}' flag found in x-auto-response-suppress header)", null);
                }
            }
        }

        if (IsSystemAddress(sender))
        {
            return ($"not sending vacation response to system address <{sender}>", null);
        }

        // The user's own addresses: the recipient as delivered (with and without its detail), as first given, and :addresses.
        var mine = new List<string> { recipient, BaseAddress(recipient, run.Settings.RecipientDelimiter), run.Envelope.OriginalTo };
        mine.AddRange(addresses);
        foreach (string field in MyAddressHeaders)
        {
            foreach (MimeKit.Header header in message.GetHeaders(field))
            {
                if (!InternetAddressList.TryParse(ParserOptions.Default, header.RawValue, out InternetAddressList? list))
                {
                    continue;
                }

                foreach (MailboxAddress mailbox in list.Mailboxes)
                {
                    if (mine.Exists(m => m.Length > 0 && m.Equals(mailbox.Address, StringComparison.OrdinalIgnoreCase)))
                    {
                        return (null, mailbox.Address);
                    }
                }
            }
        }

        return ($"discarding vacation response for implicitly delivered message; no known (envelope) recipient address found in message headers (recipient=<{recipient}>, and {(addresses.Count == 0 ? "no " : "")}additional ':addresses' are specified)", null);
    }

    private static string BaseAddress(string address, string delimiters)
    {
        (string local, string domain) = ScriptRun.SplitAddress(address);
        int cut = delimiters.Length == 0 ? -1 : local.IndexOfAny(delimiters.ToCharArray());
        return cut < 0 ? address : local[..cut] + "@" + domain;
    }

    /// <summary>Pigeonhole's system addresses: MAILER-DAEMON, LISTSERV, majordomo, *-request*, owner-*.</summary>
    private static bool IsSystemAddress(string address)
    {
        string local = ScriptRun.SplitAddress(address).Local;
        return local.Equals("MAILER-DAEMON", StringComparison.OrdinalIgnoreCase)
            || local.Equals("LISTSERV", StringComparison.OrdinalIgnoreCase)
            || local.Equals("majordomo", StringComparison.OrdinalIgnoreCase)
            || local.Contains("-request", StringComparison.Ordinal)
            || local.StartsWith("owner-", StringComparison.Ordinal);
    }

    private static bool IsValidFrom(string from) =>
        MailboxAddress.TryParse(ParserOptions.Default, from, out MailboxAddress? mailbox) && RedirectCommand.Normalize(mailbox.Address, out _) is not null;
}
