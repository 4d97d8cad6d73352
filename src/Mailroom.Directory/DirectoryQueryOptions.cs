namespace Mailroom.Directory;

/// <summary>
/// Custom lookup SQL (<c>Directory:Queries:*</c>). Each query may use the named parameters <c>@user</c> and
/// <c>@address</c> (the full lower-case address, or <c>@domain</c> for a catch-all alias lookup),
/// <c>@local_part</c> and <c>@domain</c>; they are always bound as parameters, never spliced into the text.
/// Unset (default): postfixadmin 3.x's tables. Each set query is checked at start-up with a dry run.
/// </summary>
public sealed class DirectoryQueryOptions
{
    /// <summary>Returns a row when <c>@domain</c> is an active local domain (Postfix <c>virtual_mailbox_domains</c>).</summary>
    public string? Domain { get; set; }

    /// <summary>Returns the target domain when <c>@domain</c> is an active alias domain (postfixadmin <c>alias_domain</c>).</summary>
    public string? AliasDomain { get; set; }

    /// <summary>Returns comma-separated targets of the alias <c>@address</c>, one or more rows (Postfix <c>virtual_alias_maps</c>).</summary>
    public string? Alias { get; set; }

    /// <summary>Returns a row when <c>@user</c> is an active mailbox (Postfix <c>virtual_mailbox_maps</c>).</summary>
    public string? Mailbox { get; set; }

    /// <summary>Returns the stored password of the active mailbox <c>@user</c> in its first column (Dovecot <c>password_query</c>).</summary>
    public string? Password { get; set; }

    /// <summary>Returns the quota in bytes of the mailbox <c>@user</c>, 0 or no row = unlimited (Dovecot <c>user_query</c>'s quota).</summary>
    public string? Quota { get; set; }

    /// <summary>
    /// Returns the hourly sending limits of <c>@user</c>: messages in the first column, recipients in the second; NULL
    /// or no row = the <c>SendingLimits</c> defaults, 0 = unlimited. Default: Mailroom's <c>mailbox.messages_per_hour</c>
    /// and <c>mailbox.recipients_per_hour</c> columns, or the defaults for everyone where the table has no such columns.
    /// </summary>
    public string? SendingLimits { get; set; }

    /// <summary>
    /// Returns whether spam-marked mail to <c>@user</c> goes to the Junk folder, in the first column: true/1 = Junk,
    /// false/0 = INBOX, NULL or no row = <c>Delivery:SpamToJunk</c>. Default: Mailroom's <c>mailbox.spam_to_junk</c> column,
    /// or the default for everyone where the table has no such column.
    /// </summary>
    public string? SpamToJunk { get; set; }
}
