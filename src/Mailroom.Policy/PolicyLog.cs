using Microsoft.Extensions.Logging;

namespace Mailroom.Policy;

/// <summary>
/// Mail-log lines in the wording of the classic milters and policy daemons admins grep for: OpenDKIM
/// (<c>DKIM-Signature field added (s=…, d=…)</c>), OpenDMARC (<c>dmarc=fail (p=reject dis=reject) header.from=…</c>)
/// and policyd-spf (<c>prepend Received-SPF: …</c>), each with the record that decided it.
/// </summary>
internal static partial class PolicyLog
{
    [LoggerMessage(EventId = 1601, Level = LogLevel.Information, Message = "{QueueId}: DKIM-Signature field added (s={Selector}, d={Domain})")]
    public static partial void SignatureAdded(ILogger logger, string queueId, string selector, string domain);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Information, Message = "{QueueId}: s={Selector} d={Domain} a={Algorithm} dkim={Result}{Reason}")]
    public static partial void SignatureVerified(ILogger logger, string queueId, string selector, string domain, string algorithm, string result, string reason);

    [LoggerMessage(EventId = 1603, Level = LogLevel.Information, Message = "{QueueId}: ARC-Seal field added (s={Selector}, d={Domain})")]
    public static partial void SealAdded(ILogger logger, string queueId, string selector, string domain);

    [LoggerMessage(EventId = 1604, Level = LogLevel.Information, Message = "{QueueId}: dmarc={Result} ({Comment}) header.from={FromDomain}{Detail}")]
    public static partial void Dmarc(ILogger logger, string queueId, string result, string comment, string fromDomain, string detail);

    [LoggerMessage(EventId = 1605, Level = LogLevel.Information, Message = "{QueueId}: arc={Result}{Detail}")]
    public static partial void Arc(ILogger logger, string queueId, string result, string detail);

    [LoggerMessage(EventId = 1606, Level = LogLevel.Information, Message = "{QueueId}: prepend Received-SPF: {Result} ({Identity}) identity={Identity}; client-ip={Client}; helo={Helo}; envelope-from={Sender}; receiver={Receiver}; domain={Domain}; mechanism={Mechanism}; record=\"{Record}\"{Problem}")]
    public static partial void Spf(ILogger logger, string queueId, string result, string identity, string client, string helo, string sender, string receiver, string domain, string mechanism, string record, string problem);

    [LoggerMessage(EventId = 1607, Level = LogLevel.Information, Message = "{QueueId}: sender rewritten: <{Original}> -> <{Rewritten}>")]
    public static partial void SrsForward(ILogger logger, string queueId, string original, string rewritten);

    [LoggerMessage(EventId = 1608, Level = LogLevel.Warning, Message = "{QueueId}: cannot sign for {Domain}: {Reason}")]
    public static partial void SigningFailed(ILogger logger, string queueId, string domain, string reason);

    [LoggerMessage(EventId = 1609, Level = LogLevel.Warning, Message = "{QueueId}: authentication checks failed, message accepted unchecked: {Reason}")]
    public static partial void CheckFailed(ILogger logger, string queueId, string reason);
}
