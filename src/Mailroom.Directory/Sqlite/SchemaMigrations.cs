namespace Mailroom.Directory.Sqlite;

/// <summary>
/// The schema, as ordered migrations (version = index + 1). Tables and columns are postfixadmin 3.x's
/// (<c>domain</c>, <c>mailbox</c>, <c>alias</c>, <c>alias_domain</c>) with the same meanings, so existing
/// postfixadmin data and tools (and Dovecot/Postfix SQL queries written for them) work unchanged:
/// addresses lower-case, <c>alias.goto</c> a comma-separated target list, <c>mailbox.quota</c> in bytes,
/// <c>domain.maxquota</c> in MB, times as <c>YYYY-MM-DD HH:MM:SS</c> (UTC here), <c>active</c> 0/1.
/// Append new migrations; never edit a released one.
/// </summary>
internal static class SchemaMigrations
{
    public static IReadOnlyList<string> All { get; } =
    [
        """
        CREATE TABLE domain (
            domain      TEXT    NOT NULL PRIMARY KEY,
            description TEXT    NOT NULL DEFAULT '',
            aliases     INTEGER NOT NULL DEFAULT 0,
            mailboxes   INTEGER NOT NULL DEFAULT 0,
            maxquota    INTEGER NOT NULL DEFAULT 0,
            quota       INTEGER NOT NULL DEFAULT 0,
            transport   TEXT    NOT NULL DEFAULT 'virtual',
            backupmx    INTEGER NOT NULL DEFAULT 0,
            created     TEXT    NOT NULL DEFAULT '2000-01-01 00:00:00',
            modified    TEXT    NOT NULL DEFAULT '2000-01-01 00:00:00',
            active      INTEGER NOT NULL DEFAULT 1
        );
        CREATE TABLE mailbox (
            username   TEXT    NOT NULL PRIMARY KEY,
            password   TEXT    NOT NULL,
            name       TEXT    NOT NULL DEFAULT '',
            maildir    TEXT    NOT NULL,
            quota      INTEGER NOT NULL DEFAULT 0,
            local_part TEXT    NOT NULL,
            domain     TEXT    NOT NULL,
            created    TEXT    NOT NULL DEFAULT '2000-01-01 00:00:00',
            modified   TEXT    NOT NULL DEFAULT '2000-01-01 00:00:00',
            active     INTEGER NOT NULL DEFAULT 1
        );
        CREATE INDEX mailbox_domain ON mailbox (domain);
        CREATE TABLE alias (
            address  TEXT    NOT NULL PRIMARY KEY,
            goto     TEXT    NOT NULL,
            domain   TEXT    NOT NULL,
            created  TEXT    NOT NULL DEFAULT '2000-01-01 00:00:00',
            modified TEXT    NOT NULL DEFAULT '2000-01-01 00:00:00',
            active   INTEGER NOT NULL DEFAULT 1
        );
        CREATE INDEX alias_domain_index ON alias (domain);
        CREATE TABLE alias_domain (
            alias_domain  TEXT    NOT NULL PRIMARY KEY,
            target_domain TEXT    NOT NULL,
            created       TEXT    NOT NULL DEFAULT '2000-01-01 00:00:00',
            modified      TEXT    NOT NULL DEFAULT '2000-01-01 00:00:00',
            active        INTEGER NOT NULL DEFAULT 1
        );
        CREATE INDEX alias_domain_target ON alias_domain (target_domain);
        """,

        // Mailroom's own columns, absent from postfixadmin's schema: a user's hourly sending limits (SendingLimits:*),
        // NULL for the configured default, 0 for none.
        """
        ALTER TABLE mailbox ADD COLUMN messages_per_hour INTEGER;
        ALTER TABLE mailbox ADD COLUMN recipients_per_hour INTEGER;
        """,

        // Mailroom's own column: whether spam-marked mail goes to the user's Junk folder (1) or INBOX (0); NULL for
        // the configured default (Delivery:SpamToJunk).
        "ALTER TABLE mailbox ADD COLUMN spam_to_junk INTEGER;",
    ];
}
