-- Rows as postfixadmin 3.3 writes them (every mailbox has its self-alias; an alias domain is also a domain row).
-- Passwords: user "<scheme>@example.org" has the password "pass-<SCHEME>", hashed with
--   doveadm pw -s <SCHEME> -p pass-<SCHEME>     (Dovecot 2.3.19, Debian 12)
-- which is what postfixadmin stores for $CONF['encrypt'] = 'dovecot:<SCHEME>'; "bare" has a bare md5crypt string
-- ($CONF['encrypt'] = 'md5crypt'): doveadm pw -s MD5-CRYPT -p pass-bare without its {MD5-CRYPT} prefix.
INSERT INTO domain (domain, description, aliases, mailboxes, maxquota, quota, transport, backupmx, created, modified, active) VALUES
  ('example.org', 'Example', 10, 10, 100, 0, 'virtual', '0', '2024-05-01 10:00:00', '2024-05-01 10:00:00', '1'),
  ('example.net', 'alias domain of example.org', 0, 0, 0, 0, 'virtual', '0', '2024-05-01 10:00:00', '2024-05-01 10:00:00', '1'),
  ('disabled.example', 'disabled', 0, 0, 0, 0, 'virtual', '0', '2024-05-01 10:00:00', '2024-05-01 10:00:00', '0');
INSERT INTO mailbox (username, password, name, maildir, quota, local_part, domain, created, modified, active) VALUES
  ('sha512@example.org', '{SHA512-CRYPT}$6$0hFM3C0.MeGm4abV$2Zh.nZ8MJT2k4t7EllFkdoZe9oVcwfLxL35ohoka.wTwEAp0BHCf48eZwCTpSja3tbm3oC9QdL92qiAJanjiT.', 'SHA512', 'example.org/sha512/', 10485760, 'sha512', 'example.org', '2024-05-01 10:00:00', '2024-05-01 10:00:00', '1'),
  ('sha256@example.org', '{SHA256-CRYPT}$5$Jr059EZGqqZHLgRB$n.43k45c4IIndFDzbjiGXMbRnpSWqYdByCpNn1kmcj.', '', 'example.org/sha256/', 0, 'sha256', 'example.org', '2024-05-01 10:00:00', '2024-05-01 10:00:00', '1'),
  ('md5@example.org', '{MD5-CRYPT}$1$hFWQGVew$06F35gyyIe7y4vYBAn3ez0', '', 'example.org/md5/', 0, 'md5', 'example.org', '2024-05-01 10:00:00', '2024-05-01 10:00:00', '1'),
  ('bare@example.org', '$1$nEVgOInM$UIXk3LDlqy1RiIBlpAG9L0', '', 'example.org/bare/', 0, 'bare', 'example.org', '2024-05-01 10:00:00', '2024-05-01 10:00:00', '1'),
  ('blf@example.org', '{BLF-CRYPT}$2y$05$WiajSPPjGl0d2GVWRRFNzuWI2BDo10eUmC0BDOWP5JYIQN2T50WMC', '', 'example.org/blf/', 0, 'blf', 'example.org', '2024-05-01 10:00:00', '2024-05-01 10:00:00', '1'),
  ('ssha512@example.org', '{SSHA512}j6AZC6/giSWHnJChWl2/nXWEmBDOxgM1r/3xhST+ko0TMdCpWemqBlcN0z8PJ5Gox/rjUu65FkaWnCGP5sbRQeTyN8s=', '', 'example.org/ssha512/', 0, 'ssha512', 'example.org', '2024-05-01 10:00:00', '2024-05-01 10:00:00', '1'),
  ('plainmd5@example.org', '{PLAIN-MD5}63cfca306fca723e3f8f7e0037d2d6bb', '', 'example.org/plainmd5/', 0, 'plainmd5', 'example.org', '2024-05-01 10:00:00', '2024-05-01 10:00:00', '1'),
  ('gone@example.org', '{PLAIN}pass-gone', '', 'example.org/gone/', 0, 'gone', 'example.org', '2024-05-01 10:00:00', '2024-05-01 10:00:00', '0'),
  ('ghost@disabled.example', '{PLAIN}pass-ghost', '', 'disabled.example/ghost/', 0, 'ghost', 'disabled.example', '2024-05-01 10:00:00', '2024-05-01 10:00:00', '1');
INSERT INTO alias (address, goto, domain, created, modified, active) VALUES
  ('sha512@example.org', 'sha512@example.org', 'example.org', '2024-05-01 10:00:00', '2024-05-01 10:00:00', '1'),
  ('sha256@example.org', 'sha256@example.org', 'example.org', '2024-05-01 10:00:00', '2024-05-01 10:00:00', '1'),
  ('md5@example.org', 'md5@example.org,archive@example.com', 'example.org', '2024-05-01 10:00:00', '2024-05-01 10:00:00', '1'),
  ('bare@example.org', 'bare@example.org', 'example.org', '2024-05-01 10:00:00', '2024-05-01 10:00:00', '1'),
  ('blf@example.org', 'sha512@example.org', 'example.org', '2024-05-01 10:00:00', '2024-05-01 10:00:00', '1'),
  ('ssha512@example.org', 'ssha512@example.org', 'example.org', '2024-05-01 10:00:00', '2024-05-01 10:00:00', '1'),
  ('plainmd5@example.org', 'plainmd5@example.org', 'example.org', '2024-05-01 10:00:00', '2024-05-01 10:00:00', '1'),
  ('gone@example.org', 'gone@example.org', 'example.org', '2024-05-01 10:00:00', '2024-05-01 10:00:00', '0'),
  ('postmaster@example.org', 'sha512@example.org, sha256@example.org', 'example.org', '2024-05-01 10:00:00', '2024-05-01 10:00:00', '1'),
  ('@example.org', 'bare@example.org', 'example.org', '2024-05-01 10:00:00', '2024-05-01 10:00:00', '1');
INSERT INTO alias_domain (alias_domain, target_domain, created, modified, active) VALUES
  ('example.net', 'example.org', '2024-05-01 10:00:00', '2024-05-01 10:00:00', '1');
