using Mailroom.Core;
using Mailroom.Smtp.Protocol;

namespace Mailroom.Fuzz.Targets;

/// <summary>
/// One SMTP command line (without CRLF): the verb/argument split, MAIL and RCPT with their paths and ESMTP
/// parameters (SIZE, BODY, RET, ENVID and AUTH xtext, NOTIFY, ORCPT), and the address and domain syntax behind them.
/// </summary>
internal sealed class SmtpCommandTarget : FuzzTarget
{
    public override string Name => "smtp-command";

    public override string Description => "SMTP command line: verb split, MAIL/RCPT paths and parameters, xtext, addresses";

    public override int MaxLength => 4096;

    public override string? Dictionary => "smtp.dict";

    public override void Run(ReadOnlySpan<byte> input)
    {
        if (!SmtpCommandLine.TryParse(input, out SmtpCommandLine command))
        {
            return;
        }

        if (command.Verb.Length > 16)
        {
            throw new FuzzFailureException($"verb of {command.Verb.Length} characters; the parser caps it at 16");
        }

        string argument = command.Argument;
        // Every parser sees every argument, whatever the verb: the verb decides only which one the session calls.
        CheckMail(argument);
        CheckRcpt(argument, smtpUtf8: false);
        CheckRcpt(argument, smtpUtf8: true);
        CheckAddress(argument);
        _ = Xtext.Decode(argument);
        _ = EmailAddress.IsValidDomain(argument);
    }

    private static void CheckMail(string argument)
    {
        SmtpReply? refusal = MailCommandParser.TryParse(argument, out MailRequest? request);
        if ((refusal is null) == (request is null))
        {
            throw new FuzzFailureException("MAIL parser returned both a request and a refusal, or neither");
        }

        if (request is not null && request.Sender.Length > 0 && !EmailAddress.TryParse(request.Sender, out _))
        {
            throw new FuzzFailureException($"MAIL accepted a sender that is not an address: {request.Sender}");
        }

        if (refusal is { } reply && reply.Code is < 500 or > 599)
        {
            throw new FuzzFailureException($"MAIL refused with a non-5xx reply: {reply}");
        }
    }

    private static void CheckRcpt(string argument, bool smtpUtf8)
    {
        SmtpReply? refusal = RcptCommandParser.TryParse(argument, smtpUtf8, out RcptRequest? request);
        if ((refusal is null) == (request is null))
        {
            throw new FuzzFailureException("RCPT parser returned both a request and a refusal, or neither");
        }

        if (request is null)
        {
            return;
        }

        if (!request.IsBarePostmaster && !EmailAddress.TryParse(request.Address, out _))
        {
            throw new FuzzFailureException($"RCPT accepted a recipient that is not an address: {request.Address}");
        }

        if (!smtpUtf8 && !PathParser.IsAscii(request.Address))
        {
            throw new FuzzFailureException($"RCPT accepted a non-ASCII recipient without SMTPUTF8: {request.Address}");
        }
    }

    private static void CheckAddress(string text)
    {
        if (!EmailAddress.TryParse(text, out EmailAddress? address))
        {
            return;
        }

        // What the parser accepted must survive a round trip: the queue and the store re-read it from text.
        string again = address!.ToString();
        if (!EmailAddress.TryParse(again, out EmailAddress? reparsed) || reparsed != address)
        {
            throw new FuzzFailureException($"address {text} printed as {again}, which does not parse back to the same address");
        }
    }
}
