namespace Mailroom.Directory.Sql;

/// <summary>The lookups the directory makes; each has a default (postfixadmin) query and a configuration key.</summary>
internal enum QueryKind
{
    Domain,
    AliasDomain,
    Alias,
    Mailbox,
    Password,
    Quota,
    SendingLimits,
    SpamToJunk,
}
