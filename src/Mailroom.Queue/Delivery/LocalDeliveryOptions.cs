using System.ComponentModel.DataAnnotations;

namespace Mailroom.Queue.Delivery;

/// <summary>Local delivery settings (configuration section <c>Delivery</c>, beside the remote ones).</summary>
public sealed class LocalDeliveryOptions
{
    public const string SectionName = "Delivery";

    /// <summary>
    /// Mail to <c>user+folder@domain</c> goes into the user's existing folder <c>folder</c> instead of INBOX (Dovecot's
    /// <c>lmtp_save_to_detail_mailbox</c>); a Sieve keep goes there too. A folder that does not exist is never created:
    /// the message goes to INBOX. Default false: plus-addressing only tags mail (Sieve can still sort by the detail).
    /// </summary>
    public bool SaveToDetailFolder { get; set; }

    /// <summary>
    /// The plus-address delimiter characters, as Postfix's <c>recipient_delimiter</c>: <c>samt+lists@example.org</c>
    /// reaches <c>samt@example.org</c> (RCPT checks the base address; Sieve's <c>:detail</c> sees <c>lists</c>) unless an
    /// alias or mailbox has the full address. Several characters mean any of them. Default <c>+</c>; empty turns it off.
    /// </summary>
    [RegularExpression(@"^[^@\s""<>(),;:\\[\]]{0,8}$", ErrorMessage = "must be at most 8 characters, none of them white space, @ or address punctuation")]
    public string RecipientDelimiter { get; set; } = "+";

    /// <summary>
    /// Mail a content filter marked as spam (<c>Smtp:SpamHeaders</c>) goes to the recipient's Junk folder, unfiltered, as
    /// DMARC quarantine does; false: into INBOX through the user's filter, like any mail. A user's own
    /// <c>mailbox.spam_to_junk</c> (<c>mailroom user junk</c>) overrides it. Default true: what users of a filtering host expect.
    /// </summary>
    public bool SpamToJunk { get; set; } = true;
}
