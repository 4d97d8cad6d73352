#!/usr/bin/env bash
# POP3: a 10,000-message (~4 KB) mailbox, LIST + UIDL + RETR of everything with Python's poplib, against
# Mailroom and against Dovecot's pop3 (Debian dovecot-pop3d) serving an identical copy of the same Maildir.
#   usage: bench/pop3/run.sh [messages]   (default 10000)
source "$(dirname "$0")/../common.sh"
N=${1:-10000}
WORK=/var/tmp/pop3-bench
MR_PORT=2110
DV_PORT=11110
command -v dovecot >/dev/null && [ -x /usr/lib/dovecot/pop3 ] || { echo "install dovecot-pop3d first" >&2; exit 1; }

rm -rf "$WORK"; mkdir -p "$WORK"
build_mailroom
mailroom domain add example.org --data "$WORK/mailroom" >/dev/null
echo secret | mailroom user add bench@example.org --password-stdin --data "$WORK/mailroom" >/dev/null
python3 "$ROOT/bench/pop3/bench.py" fill "$WORK/mailroom/mail/example.org/bench" --count "$N" --size 4096

# Dovecot gets its own copy (it writes index files and moves new/ to cur/), owned by an unprivileged user.
id vmail >/dev/null 2>&1 || useradd -r -u 5000 -U vmail
mkdir -p "$WORK/dovecot/mail/example.org" "$WORK/dovecot/run"
cp -a "$WORK/mailroom/mail/example.org/bench" "$WORK/dovecot/mail/example.org/bench"
chown -R vmail:vmail "$WORK/dovecot/mail"
echo "bench@example.org:{PLAIN}secret:5000:5000::$WORK/dovecot/mail/example.org/bench" > "$WORK/dovecot/users"
cat > "$WORK/dovecot/dovecot.conf" <<CONF
base_dir = $WORK/dovecot/run
protocols = pop3
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
log_path = $WORK/dovecot/dovecot.log
passdb {
  driver = passwd-file
  args = scheme=PLAIN $WORK/dovecot/users
}
userdb {
  driver = passwd-file
  args = $WORK/dovecot/users
}
mail_location = maildir:~
service pop3-login {
  chroot =
  inet_listener pop3 {
    port = $DV_PORT
  }
  inet_listener pop3s {
    port = 0
  }
}
service anvil {
  chroot =
}
CONF
dovecot -c "$WORK/dovecot/dovecot.conf"
dotnet "$MAILROOM_DLL" serve --data "$WORK/mailroom" --set Pop3:BindAddresses:0=127.0.0.1 --set Pop3:Port=$MR_PORT --set Pop3:Pop3sPort=-1 \
  --set Smtp:Port=-1 --set Smtp:SubmissionPort=-1 --set Smtp:SmtpsPort=-1 --set Log:Console=false >/dev/null 2>&1 &
MR_PID=$!
trap 'kill $MR_PID 2>/dev/null; pkill -f "dovecot -c $WORK/dovecot/dovecot.conf"; true' EXIT
wait_for_port $MR_PORT; wait_for_port $DV_PORT

bench() { python3 "$ROOT/bench/pop3/bench.py" run --port "$1" --user bench@example.org --password secret; }

echo "### POP3: LIST + UIDL + RETR of $N messages (~4 KB), Python poplib client, three alternating rounds after a warm-up run"
echo
machine
echo "- Dovecot $(dovecot --version | cut -d' ' -f1) pop3 on Maildir (its own copy); Mailroom \`serve\` (Release, ReadyToRun)"
echo "- command: \`python3 bench/pop3/bench.py run --port PORT --user bench@example.org --password secret\`"
echo
echo '```'
for name in Dovecot:$DV_PORT Mailroom:$MR_PORT; do bench "${name#*:}" >/dev/null; done   # warm both
for round in 1 2 3; do
  for name in Dovecot:$DV_PORT Mailroom:$MR_PORT; do
    echo "${name%%:*} (round $round): $(bench "${name#*:}" | tr '\n' ' ')"
  done
done
echo '```'
