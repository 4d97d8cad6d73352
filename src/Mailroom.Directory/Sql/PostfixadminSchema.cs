namespace Mailroom.Directory.Sql;

/// <summary>
/// postfixadmin 3.3's tables for the directory (as its <c>upgrade.php</c> leaves them), for an empty MySQL or
/// PostgreSQL database. postfixadmin's web UI can manage a database created here. Differences: no foreign keys
/// on PostgreSQL (postfixadmin requires an alias domain to be a <c>domain</c> row too; Mailroom does not), and
/// postfixadmin's other tables (admin, log, vacation, fetchmail, quota2) are left to postfixadmin.
/// </summary>
internal static class PostfixadminSchema
{
    public static IReadOnlyList<string> MySql { get; } =
    [
        """
        CREATE TABLE domain (
          domain varchar(255) NOT NULL,
          description varchar(255) CHARACTER SET utf8mb4 NOT NULL DEFAULT '',
          aliases int NOT NULL DEFAULT 0,
          mailboxes int NOT NULL DEFAULT 0,
          maxquota bigint NOT NULL DEFAULT 0,
          quota bigint NOT NULL DEFAULT 0,
          transport varchar(255) NOT NULL DEFAULT 'virtual',
          backupmx tinyint(1) NOT NULL DEFAULT 0,
          created datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
          modified datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
          active tinyint(1) NOT NULL DEFAULT 1,
          password_expiry int DEFAULT 0,
          PRIMARY KEY (domain)
        ) ENGINE=InnoDB DEFAULT CHARSET=latin1 COMMENT='Postfix Admin - Virtual Domains'
        """,
        """
        CREATE TABLE mailbox (
          username varchar(255) NOT NULL,
          password varchar(255) NOT NULL,
          name varchar(255) CHARACTER SET utf8mb4 NOT NULL DEFAULT '',
          maildir varchar(255) NOT NULL,
          quota bigint NOT NULL DEFAULT 0,
          local_part varchar(255) NOT NULL,
          domain varchar(255) NOT NULL,
          created datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
          modified datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
          active tinyint(1) NOT NULL DEFAULT 1,
          phone varchar(30) CHARACTER SET utf8mb4 NOT NULL DEFAULT '',
          email_other varchar(255) NOT NULL DEFAULT '',
          token varchar(255) NOT NULL DEFAULT '',
          token_validity datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
          password_expiry datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
          PRIMARY KEY (username),
          KEY domain (domain)
        ) ENGINE=InnoDB DEFAULT CHARSET=latin1 COMMENT='Postfix Admin - Virtual Mailboxes'
        """,
        """
        CREATE TABLE alias (
          address varchar(255) NOT NULL,
          goto text NOT NULL,
          domain varchar(255) NOT NULL,
          created datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
          modified datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
          active tinyint(1) NOT NULL DEFAULT 1,
          PRIMARY KEY (address),
          KEY domain (domain)
        ) ENGINE=InnoDB DEFAULT CHARSET=latin1 COMMENT='Postfix Admin - Virtual Aliases'
        """,
        """
        CREATE TABLE alias_domain (
          alias_domain varchar(255) NOT NULL,
          target_domain varchar(255) NOT NULL,
          created datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
          modified datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
          active tinyint(1) NOT NULL DEFAULT 1,
          PRIMARY KEY (alias_domain),
          KEY active (active),
          KEY target_domain (target_domain)
        ) ENGINE=InnoDB DEFAULT CHARSET=latin1 COMMENT='Postfix Admin - Domain Aliases'
        """,
    ];

    public static IReadOnlyList<string> PostgreSql { get; } =
    [
        """
        CREATE TABLE domain (
          domain varchar(255) NOT NULL PRIMARY KEY,
          description varchar(255) NOT NULL DEFAULT '',
          aliases integer NOT NULL DEFAULT 0,
          mailboxes integer NOT NULL DEFAULT 0,
          maxquota bigint NOT NULL DEFAULT 0,
          quota bigint NOT NULL DEFAULT 0,
          transport varchar(255) DEFAULT NULL,
          backupmx boolean NOT NULL DEFAULT false,
          created timestamp with time zone DEFAULT now(),
          modified timestamp with time zone DEFAULT now(),
          active boolean NOT NULL DEFAULT true,
          password_expiry integer DEFAULT 0
        )
        """,
        """
        CREATE TABLE mailbox (
          username varchar(255) NOT NULL PRIMARY KEY,
          password varchar(255) NOT NULL DEFAULT '',
          name varchar(255) NOT NULL DEFAULT '',
          maildir varchar(255) NOT NULL DEFAULT '',
          quota bigint NOT NULL DEFAULT 0,
          created timestamp with time zone DEFAULT now(),
          modified timestamp with time zone DEFAULT now(),
          active boolean NOT NULL DEFAULT true,
          domain varchar(255),
          local_part varchar(255) NOT NULL,
          phone varchar(30) NOT NULL DEFAULT '',
          email_other varchar(255) NOT NULL DEFAULT '',
          token varchar(255) NOT NULL DEFAULT '',
          token_validity timestamp with time zone DEFAULT '2000-01-01 00:00:00+00',
          password_expiry timestamp with time zone DEFAULT '2000-01-01 00:00:00+00'
        )
        """,
        "CREATE INDEX mailbox_domain_idx ON mailbox (domain)",
        """
        CREATE TABLE alias (
          address varchar(255) NOT NULL PRIMARY KEY,
          goto text NOT NULL,
          domain varchar(255) NOT NULL,
          created timestamp with time zone DEFAULT now(),
          modified timestamp with time zone DEFAULT now(),
          active boolean NOT NULL DEFAULT true
        )
        """,
        "CREATE INDEX alias_address_active ON alias (address, active)",
        """
        CREATE TABLE alias_domain (
          alias_domain varchar(255) NOT NULL PRIMARY KEY,
          target_domain varchar(255) NOT NULL,
          created timestamp with time zone DEFAULT now(),
          modified timestamp with time zone DEFAULT now(),
          active boolean NOT NULL DEFAULT true
        )
        """,
        "CREATE INDEX alias_domain_active ON alias_domain (alias_domain, active)",
    ];
}
