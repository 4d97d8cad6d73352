using System.Text;
using Mailroom.Core;
using Mailroom.Core.Filtering;
using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mailroom.Sieve.Delivery;

/// <summary>
/// Sieve at local delivery (<see cref="IDeliveryFilter"/>): runs the site's before scripts, the user's active script and
/// the site's after scripts on the message, and turns the result into the plain actions delivery carries out. Pigeonhole's
/// safety rules apply: a script that does not compile is skipped and one that fails keeps the message in INBOX (both
/// logged); a redirect is not repeated for a redelivered message, nor sent when the message already passed this user's
/// redirect (X-Sieve-Redirected-From); vacation replies go once per sender and period. The records are written by
/// <see cref="FilterDecision.CommitAsync"/>, after delivery did what was decided.
/// </summary>
public sealed class SieveDeliveryFilter : IDeliveryFilter
{
    private readonly SieveOptions _options;
    private readonly SieveScriptStore _scripts;
    private readonly SieveTrackingStore _tracking;
    private readonly CompiledScriptCache _cache;
    private readonly SieveInterpreter _interpreter;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly ILogger _diagnostics;
    private readonly string _hostName;
    private readonly string _delimiter;

    public SieveDeliveryFilter(IOptions<SieveOptions> options, SieveScriptStore scripts, SieveTrackingStore tracking, TimeProvider time,
        ILoggerFactory loggerFactory, string hostName, string recipientDelimiter)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options = options.Value;
        _scripts = scripts ?? throw new ArgumentNullException(nameof(scripts));
        _tracking = tracking ?? throw new ArgumentNullException(nameof(tracking));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _hostName = hostName;
        _delimiter = recipientDelimiter;
        _cache = new CompiledScriptCache(new SieveCompiler(SieveSettings.Extensions(_options)));
        _interpreter = new SieveInterpreter(SieveSettings.Runtime(_options, hostName, recipientDelimiter));
        _log = loggerFactory.CreateLogger(MaillogCategories.Sieve);
        _diagnostics = loggerFactory.CreateLogger<SieveDeliveryFilter>();
    }

    public ValueTask<FilterDecision> DecideAsync(FilterRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        string user = request.Recipient.Address;
        if (!_options.Enabled)
        {
            return ValueTask.FromResult(FilterDecision.Unfiltered(request.DefaultFolder));
        }

        try
        {
            return ValueTask.FromResult(Decide(request, user));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SqliteException)
        {
            // The scripts or the records cannot be read: deliver as if there were no filter, rather than lose or hold mail.
            SieveLog.FilterFailed(_diagnostics, ex, user);
            return ValueTask.FromResult(new FilterDecision([new StoreAction(request.DefaultFolder, false, [])], ex.Message));
        }
    }

    private FilterDecision Decide(FilterRequest request, string user)
    {
        bool logging = request.Phase == FilterPhase.Delivery;
        List<CompiledScript> sequence = Sequence(request, user, logging);
        if (sequence.Count == 0)
        {
            return FilterDecision.Unfiltered(request.DefaultFolder);
        }

        DateTimeOffset now = _time.GetUtcNow();
        using SieveMessage message = SieveMessage.Load(request.OpenMessage);
        var envelope = new SieveEnvelope(request.Envelope.Sender, WithDetail(request.Recipient), request.Recipient.OriginalAddress)
        {
            AuthenticatedUser = request.Envelope.AuthenticatedUser,
            RemoteHost = request.Envelope.ClientName,
            RemoteIp = request.Envelope.ClientAddress,
        };
        var host = new DeliveryHost(user, request.DefaultFolder, request.FolderExists, request.Phase == FilterPhase.Delivery ? "post" : "during",
            now, _tracking, _scripts, _cache, _options.GlobalDirectory);
        SieveResult result = _interpreter.Run(sequence, message, envelope, host);
        string messageId = message.GetFirstHeader("message-id") ?? "<>";
        if (result.Error is not null)
        {
            if (logging)
            {
                SieveLog.Failed(_log, request.QueueId, user, messageId, request.DefaultFolder, result.Error);
            }

            return new FilterDecision([new StoreAction(request.DefaultFolder, false, [])], result.Error);
        }

        var actions = new List<FilterAction>();
        var marks = new List<TrackingMark>(result.Marks);
        foreach (SieveAction action in result.Actions)
        {
            switch (action)
            {
                case StoreMessageAction store:
                    actions.Add(new StoreAction(store.Folder, store.Create, store.Flags));
                    break;
                case RedirectMessageAction redirect when Redirect(request, user, messageId, message, redirect, now, logging) is { } forward:
                    actions.Add(forward.Action);
                    marks.Add(forward.Mark);
                    break;
                case RejectMessageAction reject:
                    actions.Add(new RejectAction(reject.Reason, reject.Extended));
                    break;
                case DiscardMessageAction:
                    actions.Add(new DiscardAction());
                    if (logging)
                    {
                        SieveLog.Discarded(_log, request.QueueId, user, messageId);
                    }

                    break;
                case VacationAction { Send: true } vacation when request.Phase == FilterPhase.Delivery:
                    actions.Add(new ReplyAction(vacation.Recipient, VacationReply.Build(vacation, message, _hostName, now)));
                    marks.Add(new TrackingMark(vacation.TrackingKey, now + vacation.Period));
                    SieveLog.VacationSent(_log, request.QueueId, user, messageId, vacation.Recipient);
                    break;
                case VacationAction { SkipReason: { } reason } when logging:
                    SieveLog.VacationSkipped(_log, request.QueueId, user, messageId, reason);
                    break;
            }
        }

        if (result.ImplicitKeep)
        {
            actions.Add(new StoreAction(request.DefaultFolder, false, result.ImplicitKeepFlags));
        }

        if (logging)
        {
            LogOutcome(request, user, messageId, actions);
        }

        return new FilterDecision(actions, commit: marks.Count == 0 ? null : ct =>
        {
            _tracking.Mark(user, marks);
            return ValueTask.CompletedTask;
        });
    }

    private void LogOutcome(FilterRequest request, string user, string messageId, List<FilterAction> actions)
    {
        foreach (FilterAction action in actions)
        {
            switch (action)
            {
                case StoreAction store:
                    SieveLog.Stored(_log, request.QueueId, user, messageId, store.Folder);
                    break;
                case RedirectAction redirect:
                    SieveLog.Forwarded(_log, request.QueueId, user, messageId, redirect.Address);
                    break;
                case RejectAction reject:
                    SieveLog.Rejected(_log, request.QueueId, user, messageId, reject.Reason);
                    break;
            }
        }
    }

    /// <summary>
    /// A redirect, unless this message was forwarded to the address already (a redelivery), or it already passed through
    /// this user's redirect (a loop). Pigeonhole's duplicate id: message id, user, target, resent id, list id.
    /// </summary>
    private (RedirectAction Action, TrackingMark Mark)? Redirect(FilterRequest request, string user, string messageId, SieveMessage message,
        RedirectMessageAction redirect, DateTimeOffset now, bool logging)
    {
        string id = string.Join('-', messageId, user, redirect.Address,
            message.GetFirstHeader("resent-message-id") ?? message.GetFirstHeader("resent-from") ?? "", message.GetFirstHeader("list-id") ?? "");
        string key = Tracking.Key("redirect", "", id);
        if (_tracking.IsTracked(user, key))
        {
            if (logging)
            {
                SieveLog.DuplicateForward(_log, request.QueueId, user, messageId, redirect.Address);
            }

            return null;
        }

        string self = WithDetail(request.Recipient);
        if (message.GetHeaderValues("x-sieve-redirected-from").Exists(v => v.Equals(user, StringComparison.OrdinalIgnoreCase) || v.Equals(self, StringComparison.OrdinalIgnoreCase)))
        {
            if (logging)
            {
                SieveLog.RedirectLoop(_log, request.QueueId, user, messageId, redirect.Address);
            }

            return null;
        }

        string prefix = new StringBuilder()
            .Append("X-Sieve: Mailroom Sieve\r\n")
            .Append("X-Sieve-Redirected-From: ").Append(user).Append("\r\n")
            .ToString();
        return (new RedirectAction(redirect.Address, prefix), new TrackingMark(key, now + _options.RedirectDuplicatePeriod));
    }

    /// <summary>The site's before scripts, the user's active script, the site's after scripts; those that do not compile are skipped (and logged).</summary>
    private List<CompiledScript> Sequence(FilterRequest request, string user, bool logging)
    {
        var sequence = new List<CompiledScript>();
        AddGlobal(sequence, _options.Before, request, user, logging);
        if (_scripts.ActivePath(user) is { } active)
        {
            string name = Path.GetFileNameWithoutExtension(active);
            Add(sequence, _cache.Get(active, name), name, request, user, logging);
        }

        AddGlobal(sequence, _options.After, request, user, logging);
        return sequence;
    }

    private void AddGlobal(List<CompiledScript> sequence, IList<string> locations, FilterRequest request, string user, bool logging)
    {
        foreach (string location in locations)
        {
            IEnumerable<string> files = System.IO.Directory.Exists(location)
                ? System.IO.Directory.EnumerateFiles(location, "*" + SieveScriptStore.Extension).Order(StringComparer.Ordinal)
                : [location];
            foreach (string file in files)
            {
                Add(sequence, _cache.Get(file, Path.GetFileName(file)), file, request, user, logging);
            }
        }
    }

    private void Add(List<CompiledScript> sequence, SieveCompilation? compilation, string name, FilterRequest request, string user, bool logging)
    {
        if (compilation?.Script is { } script)
        {
            sequence.Add(script);
        }
        else if (compilation is not null && logging)
        {
            SieveLog.ScriptInvalid(_log, request.QueueId, user, name, compilation.Describe().Replace("\r\n", " ", StringComparison.Ordinal));
        }
    }

    /// <summary>The recipient as addressed: the mailbox with its plus-address detail put back (RFC 5233).</summary>
    private string WithDetail(EnvelopeRecipient recipient)
    {
        if (recipient.Detail is null || _delimiter.Length == 0)
        {
            return recipient.Address;
        }

        int at = recipient.Address.LastIndexOf('@');
        return at < 0 ? recipient.Address : recipient.Address[..at] + _delimiter[0] + recipient.Detail + recipient.Address[at..];
    }
}
