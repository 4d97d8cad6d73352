namespace Mailroom.Directory.Admin;

/// <param name="Domain">Lower-case domain name.</param>
/// <param name="Description">Free text.</param>
/// <param name="Active">False when disabled: mail for it is not accepted as local.</param>
/// <param name="Mailboxes">Number of mailboxes.</param>
/// <param name="Aliases">Number of aliases, not counting postfixadmin's mailbox self-aliases.</param>
/// <param name="Created">Creation time (UTC, <c>YYYY-MM-DD HH:MM:SS</c>).</param>
public sealed record DomainInfo(string Domain, string Description, bool Active, int Mailboxes, int Aliases, string Created);

/// <param name="Address">Lower-case <c>user@domain</c>.</param>
/// <param name="Name">Display name.</param>
/// <param name="Maildir">Path relative to the mail root, <c>domain/user/</c>.</param>
/// <param name="QuotaBytes">0 = unlimited.</param>
/// <param name="Active">False when disabled (no login, no delivery).</param>
/// <param name="Created">Creation time (UTC, <c>YYYY-MM-DD HH:MM:SS</c>).</param>
public sealed record UserInfo(string Address, string Name, string Maildir, long QuotaBytes, bool Active, string Created);

/// <param name="Address">Lower-case address, or <c>@domain</c> for a catch-all.</param>
/// <param name="Targets">Where mail goes; contains <see cref="Address"/> itself when a mailbox keeps a copy.</param>
/// <param name="Active">False when disabled.</param>
public sealed record AliasInfo(string Address, IReadOnlyList<string> Targets, bool Active)
{
    public bool IsCatchAll => Address.StartsWith('@');
}

/// <param name="AliasDomain">The domain whose addresses are rewritten.</param>
/// <param name="TargetDomain">The domain they are rewritten to (<c>x@alias → x@target</c>).</param>
/// <param name="Active">False when disabled.</param>
public sealed record AliasDomainInfo(string AliasDomain, string TargetDomain, bool Active);
