namespace Mailroom.Smtp.Protocol;

/// <summary>
/// The fixed replies, worded as Postfix words them (admins and log tools know these texts).
/// Replies that carry an address or host name are built where they are used.
/// </summary>
internal static class SmtpReplies
{
    public static readonly SmtpReply Ok = new(250, "2.0.0", "Ok");
    public static readonly SmtpReply SenderOk = new(250, "2.1.0", "Ok");
    public static readonly SmtpReply RecipientOk = new(250, "2.1.5", "Ok");
    public static readonly SmtpReply StartData = new(354, "", "End data with <CR><LF>.<CR><LF>");
    public static readonly SmtpReply Bye = new(221, "2.0.0", "Bye");
    public static readonly SmtpReply ReadyToStartTls = new(220, "2.0.0", "Ready to start TLS");
    public static readonly SmtpReply AuthSucceeded = new(235, "2.7.0", "Authentication successful");
    public static readonly SmtpReply AuthFailed = new(535, "5.7.8", "Error: authentication failed");
    public static readonly SmtpReply AuthAborted = new(501, "5.0.0", "Authentication aborted");
    public static readonly SmtpReply AuthBadBase64 = new(501, "5.5.2", "Cannot Base64-decode Client responses");
    public static readonly SmtpReply AuthUnsupportedMechanism = new(504, "5.5.4", "Unsupported authentication mechanism");
    /// <summary>AUTH before TLS where AUTH is offered only after it (the one case AUTH is not offered): RFC 3207 §4's reply, which tells the client what to do.</summary>
    public static readonly SmtpReply StartTlsFirst = new(530, "5.7.0", "Must issue a STARTTLS command first");
    public static readonly SmtpReply AuthAlreadyDone = new(503, "5.5.1", "Error: already authenticated");
    public static readonly SmtpReply TransactionInProgress = new(503, "5.5.1", "Error: MAIL transaction in progress");
    public static readonly SmtpReply AuthSyntax = new(501, "5.5.4", "Syntax: AUTH mechanism");
    public static readonly SmtpReply AuthRequired = new(530, "5.7.0", "Authentication required");
    public static readonly SmtpReply CommandNotRecognized = new(502, "5.5.2", "Error: command not recognized");
    public static readonly SmtpReply BadUtf8 = new(500, "5.5.2", "Error: bad UTF-8 syntax");
    public static readonly SmtpReply LineTooLong = new(500, "5.5.2", "Error: line too long");
    public static readonly SmtpReply SendHeloFirst = new(503, "5.5.1", "Error: send HELO/EHLO first");
    public static readonly SmtpReply NestedMail = new(503, "5.5.1", "Error: nested MAIL command");
    public static readonly SmtpReply NeedMail = new(503, "5.5.1", "Error: need MAIL command");
    public static readonly SmtpReply NeedRcpt = new(503, "5.5.1", "Error: need RCPT command");
    public static readonly SmtpReply NoValidRecipients = new(554, "5.5.1", "Error: no valid recipients");
    public static readonly SmtpReply TemporaryLookupFailure = new(451, "4.3.0", "Error: temporary lookup failure");
    public static readonly SmtpReply BadSequence = new(503, "5.5.1", "Error: bad sequence of commands");
    public static readonly SmtpReply DataAfterBdat = new(503, "5.5.1", "Error: DATA cannot be mixed with BDAT");
    public static readonly SmtpReply HeloSyntax = new(501, "5.5.4", "Syntax: HELO hostname");
    public static readonly SmtpReply EhloSyntax = new(501, "5.5.4", "Syntax: EHLO hostname");
    public static readonly SmtpReply MailSyntax = new(501, "5.5.4", "Syntax: MAIL FROM:<address>");
    public static readonly SmtpReply RcptSyntax = new(501, "5.5.4", "Syntax: RCPT TO:<address>");
    public static readonly SmtpReply BdatSyntax = new(501, "5.5.4", "Syntax: BDAT count [LAST]");
    public static readonly SmtpReply BadSenderSyntax = new(501, "5.1.7", "Bad sender address syntax");
    public static readonly SmtpReply BadRecipientSyntax = new(501, "5.1.3", "Bad recipient address syntax");
    public static readonly SmtpReply NoArguments = new(501, "5.5.4", "Syntax: no arguments allowed");
    public static readonly SmtpReply SizeExceedsLimit = new(552, "5.3.4", "Message size exceeds fixed limit");
    public static readonly SmtpReply MessageTooBig = new(552, "5.3.4", "Error: message file too big");

    // RFC 5321 §4.5.3.1.10 / RFC 3463 5.3.4 (too big for system), as for the whole message: a header past Smtp:MaxHeaderFieldSize
    // or Smtp:MaxHeaderFields is a permanent refusal, which the sender's bounce explains.
    public static readonly SmtpReply HeaderFieldTooBig = new(552, "5.3.4", "Error: message header field too long");
    public static readonly SmtpReply TooManyHeaderFields = new(552, "5.3.4", "Error: too many message header fields");

    /// <summary>Every recipient's mailbox would be over its quota with this message (RFC 3463 X.2.2).</summary>
    public static readonly SmtpReply MailboxFull = new(552, "5.2.2", "Error: mailbox full");
    public static readonly SmtpReply BareLineEnding = new(550, "5.5.2", "Error: bare <CR> or <LF> received");

    // RFC 5322 §3.5 and RFC 5321 §4.5.2 do not allow NUL in message text (only BINARYMIME may carry it, RFC 3030 §3);
    // 5.6.0 is RFC 3463's "other or undefined media error". Postfix would strip or reject per message_reject_characters.
    public static readonly SmtpReply NulInMessage = new(550, "5.6.0", "Error: message content contains NUL characters");
    public static readonly SmtpReply QueueWriteError = new(451, "4.3.0", "Error: queue file write error");

    /// <summary>The spool's disk is full or below its free-space floor (RFC 3463 X.3.1; Postfix's queue_minfree reply).</summary>
    public static readonly SmtpReply InsufficientStorage = new(452, "4.3.1", "Insufficient system storage");

    /// <summary>The reply for a spool write that failed: 452 4.3.1 when the disk is full, else 451 4.3.0.</summary>
    public static SmtpReply ForWriteFailure(Exception? failure) =>
        Core.StorageErrors.IsOutOfSpace(failure) ? InsufficientStorage : QueueWriteError;
    public static readonly SmtpReply TooManyRecipients = new(452, "4.5.3", "Error: too many recipients");
    public static readonly SmtpReply VrfyDisabled = new(502, "5.5.1", "VRFY command is disabled");
    public static readonly SmtpReply TlsAlreadyActive = new(554, "5.5.1", "Error: TLS already active");
    public static readonly SmtpReply StartTlsSyntax = new(501, "5.5.4", "Syntax: STARTTLS");
    public static readonly SmtpReply Help = new(214, "2.0.0", "Commands: HELO EHLO MAIL RCPT DATA BDAT RSET NOOP QUIT HELP VRFY STARTTLS AUTH");
}
