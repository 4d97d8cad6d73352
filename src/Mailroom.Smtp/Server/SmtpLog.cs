using Microsoft.Extensions.Logging;

namespace Mailroom.Smtp.Server;

/// <summary>
/// Mail-log lines of smtpd and cleanup (Information events on the <c>mailroom/smtpd</c> and <c>mailroom/cleanup</c>
/// categories), worded exactly as Postfix writes them, plus diagnostics (ids 9xx) on ordinary categories.
/// </summary>
internal static partial class SmtpLog
{
    [LoggerMessage(1, LogLevel.Information, "connect from {ClientName}[{ClientAddress}]")]
    public static partial void Connect(ILogger logger, string clientName, string clientAddress);

    [LoggerMessage(2, LogLevel.Information, "disconnect from {ClientName}[{ClientAddress}] {Counters}")]
    public static partial void Disconnect(ILogger logger, string clientName, string clientAddress, string counters);

    [LoggerMessage(3, LogLevel.Information, "{QueueId}: client={ClientName}[{ClientAddress}]")]
    public static partial void Client(ILogger logger, string queueId, string clientName, string clientAddress);

    [LoggerMessage(4, LogLevel.Information, "{QueueId}: client={ClientName}[{ClientAddress}], sasl_method={SaslMethod}, sasl_username={SaslUsername}")]
    public static partial void AuthenticatedClient(ILogger logger, string queueId, string clientName, string clientAddress, string saslMethod, string saslUsername);

    [LoggerMessage(5, LogLevel.Information, "NOQUEUE: reject: RCPT from {ClientName}[{ClientAddress}]: {Reply}; from=<{Sender}> to=<{Recipient}> proto={Proto} helo=<{Helo}>")]
    public static partial void RcptRejected(ILogger logger, string clientName, string clientAddress, string reply, string sender, string recipient, string proto, string helo);

    [LoggerMessage(6, LogLevel.Information, "NOQUEUE: reject: MAIL from {ClientName}[{ClientAddress}]: {Reply}; from=<{Sender}> proto={Proto} helo=<{Helo}>")]
    public static partial void MailRejected(ILogger logger, string clientName, string clientAddress, string reply, string sender, string proto, string helo);

    [LoggerMessage(7, LogLevel.Information, "lost connection after {Command} from {ClientName}[{ClientAddress}]")]
    public static partial void LostConnection(ILogger logger, string command, string clientName, string clientAddress);

    [LoggerMessage(8, LogLevel.Information, "timeout after {Command} from {ClientName}[{ClientAddress}]")]
    public static partial void Timeout(ILogger logger, string command, string clientName, string clientAddress);

    [LoggerMessage(9, LogLevel.Information, "too many errors after {Command} from {ClientName}[{ClientAddress}]")]
    public static partial void TooManyErrors(ILogger logger, string command, string clientName, string clientAddress);

    // Postfix's line really starts with "warning: " (fail2ban and pflogsumm match it), whatever our log level.
#pragma warning disable SYSLIB1012
    [LoggerMessage(10, LogLevel.Information, "warning: {ClientName}[{ClientAddress}]: SASL {Mechanism} authentication failed: authentication failure")]
    public static partial void SaslFailed(ILogger logger, string clientName, string clientAddress, string mechanism);
#pragma warning restore SYSLIB1012

    [LoggerMessage(11, LogLevel.Information, "{QueueId}: reject: {Command} from {ClientName}[{ClientAddress}]: {Reply}; from=<{Sender}> proto={Proto} helo=<{Helo}>")]
    public static partial void ContentRejected(ILogger logger, string queueId, string command, string clientName, string clientAddress, string reply, string sender, string proto, string helo);

    [LoggerMessage(12, LogLevel.Information, "PREGREET {Bytes} after {Seconds} from [{ClientAddress}]:{ClientPort}: {Text}")]
    public static partial void Pregreet(ILogger logger, long bytes, string seconds, string clientAddress, int clientPort, string text);

    // anvil's and smtpd's words for a rate limit; the line starts with "warning: " as Postfix's does, whatever our level.
#pragma warning disable SYSLIB1012
    [LoggerMessage(13, LogLevel.Information, "warning: {What} rate limit exceeded: {Limit} per hour for {Key} from {ClientName}[{ClientAddress}] for service {Service}")]
    public static partial void RateLimitExceeded(ILogger logger, string what, int limit, string key, string clientName, string clientAddress, string service);
#pragma warning restore SYSLIB1012

    [LoggerMessage(20, LogLevel.Information, "{QueueId}: message-id={MessageId}")]
    public static partial void MessageId(ILogger logger, string queueId, string messageId);

    [LoggerMessage(900, LogLevel.Warning, "Starting a queue file for {ClientAddress} failed")]
    public static partial void BeginFailed(ILogger logger, Exception exception, string clientAddress);

    [LoggerMessage(901, LogLevel.Warning, "{QueueId}: writing or committing the queue file failed")]
    public static partial void QueueWriteFailed(ILogger logger, Exception exception, string queueId);

    [LoggerMessage(902, LogLevel.Warning, "Directory lookup for {Address} failed")]
    public static partial void DirectoryFailed(ILogger logger, Exception exception, string address);

    [LoggerMessage(904, LogLevel.Warning, "DNSBL check of {ClientAddress} failed; the client is taken as not listed")]
    public static partial void BlocklistCheckFailed(ILogger logger, Exception exception, string clientAddress);

    [LoggerMessage(903, LogLevel.Warning, "{QueueId}: authentication checks failed; the message is accepted unchecked")]
    public static partial void PolicyCheckFailed(ILogger logger, Exception exception, string queueId);
}
