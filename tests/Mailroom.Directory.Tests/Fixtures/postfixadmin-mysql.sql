-- postfixadmin 3.3's MySQL tables as its upgrade.php leaves them (domain, mailbox, alias, alias_domain, plus
-- two it owns that Mailroom ignores), created here by the test instead of Mailroom's create-schema.
CREATE TABLE admin (
  username varchar(255) NOT NULL, password varchar(255) NOT NULL, superadmin tinyint(1) NOT NULL DEFAULT '0',
  created datetime NOT NULL DEFAULT '2000-01-01 00:00:00', modified datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
  active tinyint(1) NOT NULL DEFAULT '1', phone varchar(30) NOT NULL DEFAULT '', email_other varchar(255) NOT NULL DEFAULT '',
  token varchar(255) NOT NULL DEFAULT '', token_validity datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
  PRIMARY KEY (username)) ENGINE=InnoDB DEFAULT CHARSET=latin1 COMMENT='Postfix Admin - Virtual Admins';
CREATE TABLE domain (
  domain varchar(255) NOT NULL, description varchar(255) CHARACTER SET utf8 NOT NULL, aliases int(10) NOT NULL DEFAULT '0',
  mailboxes int(10) NOT NULL DEFAULT '0', maxquota bigint(20) NOT NULL DEFAULT '0', quota bigint(20) NOT NULL DEFAULT '0',
  transport varchar(255) NOT NULL, backupmx tinyint(1) NOT NULL DEFAULT '0',
  created datetime NOT NULL DEFAULT '2000-01-01 00:00:00', modified datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
  active tinyint(1) NOT NULL DEFAULT '1', password_expiry int DEFAULT 0,
  PRIMARY KEY (domain)) ENGINE=InnoDB DEFAULT CHARSET=latin1 COMMENT='Postfix Admin - Virtual Domains';
CREATE TABLE mailbox (
  username varchar(255) NOT NULL, password varchar(255) NOT NULL, name varchar(255) CHARACTER SET utf8 NOT NULL,
  maildir varchar(255) NOT NULL, quota bigint(20) NOT NULL DEFAULT '0', local_part varchar(255) NOT NULL,
  domain varchar(255) NOT NULL, created datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
  modified datetime NOT NULL DEFAULT '2000-01-01 00:00:00', active tinyint(1) NOT NULL DEFAULT '1',
  phone varchar(30) CHARACTER SET utf8 NOT NULL DEFAULT '', email_other varchar(255) NOT NULL DEFAULT '',
  token varchar(255) NOT NULL DEFAULT '', token_validity datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
  password_expiry datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
  PRIMARY KEY (username), KEY domain (domain)) ENGINE=InnoDB DEFAULT CHARSET=latin1 COMMENT='Postfix Admin - Virtual Mailboxes';
CREATE TABLE alias (
  address varchar(255) NOT NULL, goto text NOT NULL, domain varchar(255) NOT NULL,
  created datetime NOT NULL DEFAULT '2000-01-01 00:00:00', modified datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
  active tinyint(1) NOT NULL DEFAULT '1', PRIMARY KEY (address), KEY domain (domain)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COMMENT='Postfix Admin - Virtual Aliases';
CREATE TABLE alias_domain (
  alias_domain varchar(255) NOT NULL, target_domain varchar(255) NOT NULL,
  created datetime NOT NULL DEFAULT '2000-01-01 00:00:00', modified datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
  active tinyint(1) NOT NULL DEFAULT '1', PRIMARY KEY (alias_domain), KEY active (active), KEY target_domain (target_domain)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COMMENT='Postfix Admin - Domain Aliases';
CREATE TABLE quota2 (username varchar(100) NOT NULL, bytes bigint(20) NOT NULL DEFAULT '0', messages int(11) NOT NULL DEFAULT '0', PRIMARY KEY (username)) ENGINE=InnoDB DEFAULT CHARSET=latin1;
