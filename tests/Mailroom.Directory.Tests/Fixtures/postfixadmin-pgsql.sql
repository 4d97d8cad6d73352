-- postfixadmin 3.3's PostgreSQL tables as its upgrade.php leaves them (with its foreign keys), plus two it owns
-- that Mailroom ignores; created here by the test instead of Mailroom's create-schema.
CREATE TABLE admin (
  username character varying(255) NOT NULL PRIMARY KEY, password character varying(255) NOT NULL DEFAULT '',
  created timestamp with time zone DEFAULT now(), modified timestamp with time zone DEFAULT now(),
  active boolean NOT NULL DEFAULT true, superadmin boolean NOT NULL DEFAULT false);
CREATE TABLE domain (
  domain character varying(255) NOT NULL, description character varying(255) NOT NULL DEFAULT '',
  aliases integer NOT NULL DEFAULT 0, mailboxes integer NOT NULL DEFAULT 0, maxquota bigint NOT NULL DEFAULT 0,
  quota bigint NOT NULL DEFAULT 0, transport character varying(255) DEFAULT NULL, backupmx boolean NOT NULL DEFAULT false,
  created timestamp with time zone DEFAULT now(), modified timestamp with time zone DEFAULT now(),
  active boolean NOT NULL DEFAULT true, password_expiry int DEFAULT 0,
  CONSTRAINT domain_key PRIMARY KEY (domain));
CREATE TABLE mailbox (
  username character varying(255) NOT NULL, password character varying(255) NOT NULL DEFAULT '',
  name character varying(255) NOT NULL DEFAULT '', maildir character varying(255) NOT NULL DEFAULT '',
  quota bigint NOT NULL DEFAULT 0, created timestamp with time zone DEFAULT now(),
  modified timestamp with time zone DEFAULT now(), active boolean NOT NULL DEFAULT true,
  domain character varying(255) REFERENCES domain, local_part character varying(255) NOT NULL,
  phone character varying(30) NOT NULL DEFAULT '', email_other character varying(255) NOT NULL DEFAULT '',
  token character varying(255) NOT NULL DEFAULT '', token_validity timestamp with time zone DEFAULT '2000-01-01 00:00:00+00',
  password_expiry timestamp with time zone DEFAULT '2000-01-01 00:00:00+00',
  CONSTRAINT mailbox_key PRIMARY KEY (username));
CREATE INDEX mailbox_domain_idx ON mailbox (domain);
CREATE TABLE alias (
  address character varying(255) NOT NULL, goto text NOT NULL, domain character varying(255) NOT NULL REFERENCES domain,
  created timestamp with time zone DEFAULT now(), modified timestamp with time zone DEFAULT now(),
  active boolean NOT NULL DEFAULT true, CONSTRAINT alias_key PRIMARY KEY (address));
CREATE INDEX alias_address_active ON alias (address, active);
CREATE TABLE alias_domain (
  alias_domain character varying(255) NOT NULL REFERENCES domain (domain) ON DELETE CASCADE,
  target_domain character varying(255) NOT NULL REFERENCES domain (domain) ON DELETE CASCADE,
  created timestamp with time zone DEFAULT now(), modified timestamp with time zone DEFAULT now(),
  active boolean NOT NULL DEFAULT true, PRIMARY KEY (alias_domain));
CREATE TABLE quota2 (username character varying(100) PRIMARY KEY, bytes bigint NOT NULL DEFAULT 0, messages integer NOT NULL DEFAULT 0);
