#!/usr/bin/env bash
# POP3: a 10,000-message (~4 KB) mailbox, LIST + UIDL + RETR of everything, against Mailroom and against Dovecot's
# pop3 (Debian dovecot-pop3d) serving an identical copy of the same Maildir, with two clients: Python's poplib (a
# real client, slower than either server) and a raw-socket client that leaves the time to the server. Rounds
# alternate between the servers; medians, ratios and each server's CPU per message (from /proc) are reported.
#   usage: bench/pop3/run.sh [messages] [rounds]   (defaults 10000 and 7)
#   MAILROOM_SERVER_ENV="NAME=VALUE ..." runs Mailroom's server with those environment variables (runtime knobs).
source "$(dirname "$0")/../common.sh"
N=${1:-10000}
ROUNDS=${2:-7}
WORK=/var/tmp/pop3-bench
MR_PORT=${MR_PORT:-2110}
DV_PORT=${DV_PORT:-11110}
command -v dovecot >/dev/null && [ -x /usr/lib/dovecot/pop3 ] || { echo "install dovecot-pop3d first" >&2; exit 1; }

rm -rf "$WORK"; mkdir -p "$WORK"
build_mailroom
mailroom domain add example.org --create --data "$WORK/mailroom" >/dev/null
echo secret | mailroom user add bench@example.org --password-stdin --data "$WORK/mailroom" >/dev/null
python3 "$ROOT/bench/pop3/bench.py" fill "$WORK/mailroom/mail/example.org/bench" --count "$N" --size 4096

# Dovecot gets its own copy (it writes index files and moves new/ to cur/), owned by an unprivileged user.
id vmail >/dev/null 2>&1 || useradd -r -u 5000 -U vmail
mkdir -p "$WORK/dovecot/mail/example.org" "$WORK/dovecot/run"
cp -a "$WORK/mailroom/mail/example.org/bench" "$WORK/dovecot/mail/example.org/bench"
chown -R vmail:vmail "$WORK/dovecot/mail"
dovecot_user bench@example.org "$WORK/dovecot/mail/example.org/bench" > "$WORK/dovecot/users"
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
env ${MAILROOM_SERVER_ENV:-} dotnet "$MAILROOM_DLL" serve --data "$WORK/mailroom" --set Pop3:BindAddresses:0=127.0.0.1 --set Pop3:Port=$MR_PORT --set Pop3:Pop3sPort=-1 \
  --set Smtp:Port=-1 --set Smtp:SubmissionPort=-1 --set Smtp:SmtpsPort=-1 --set Imap:Port=-1 --set Imap:ImapsPort=-1 \
  --set Log:Console=false >/dev/null 2>&1 &
MR_PID=$!
trap 'kill $MR_PID 2>/dev/null; pkill -f "dovecot -c $WORK/dovecot/dovecot.conf"; true' EXIT
wait_for_port $MR_PORT; wait_for_port $DV_PORT

# bench SERVER CLIENT: one run; the server's CPU is read from its process (Mailroom) or its session's (Dovecot).
bench() {
  local cpu
  if [ "$1" = Mailroom ]; then cpu="--server-pid $MR_PID"; else cpu="--server-comm pop3"; fi
  python3 "$ROOT/bench/pop3/bench.py" run --port "$(port_of "$1")" --user bench@example.org --password secret --client "$2" $cpu
}
port_of() { if [ "$1" = Mailroom ]; then echo $MR_PORT; else echo $DV_PORT; fi; }

echo "### POP3: LIST + UIDL + RETR of $N messages (~4 KB), $ROUNDS alternating rounds per client after a warm-up run"
echo
machine
echo "- Dovecot $(dovecot --version | cut -d' ' -f1) pop3 on Maildir (its own copy); Mailroom \`serve\` (Release, ReadyToRun)${MAILROOM_SERVER_ENV:+ with $MAILROOM_SERVER_ENV}"
echo "- command: \`python3 bench/pop3/bench.py run --port PORT --user bench@example.org --password secret --client poplib|raw\`"
echo "  (\`--server-pid\` / \`--server-comm pop3\` add the server's CPU time over LIST + UIDL + RETR)"
echo
results=$WORK/results.txt; : > "$results"
echo '```'
for client in raw poplib; do
  for name in Dovecot Mailroom; do bench $name $client >/dev/null; done   # warm both
  for round in $(seq 1 "$ROUNDS"); do
    for name in Dovecot Mailroom; do
      echo "$name $client round $round: $(bench $name $client | tr '\n' ' ')" | tee -a "$results"
    done
  done
done
echo '```'
echo
python3 "$ROOT/bench/pop3/bench.py" summarize < "$results"
