#!/usr/bin/env bash
# IMAP: a 10,000-message (~4 KB) mailbox — EXAMINE + FETCH 1:* (FLAGS ENVELOPE RFC822.SIZE), FETCH of every body —
# and the memory of 1,000 idle IDLE connections, Mailroom vs Dovecot's imap (Debian dovecot-imapd) serving identical
# copies of the same Maildir on this machine.
#   usage: bench/imap/run.sh [messages] [idle-connections]   (defaults 10000 and 1000)
source "$(dirname "$0")/../common.sh"
N=${1:-10000}
IDLE=${2:-1000}
WORK=/var/tmp/imap-bench
MR_PORT=2143
DV_PORT=11143
command -v dovecot >/dev/null && [ -x /usr/lib/dovecot/imap ] || { echo "install dovecot-imapd first" >&2; exit 1; }
ulimit -n "$(ulimit -Hn)"   # 1,000 client sockets + the servers' ends

rm -rf "$WORK"; mkdir -p "$WORK"
build_mailroom
mailroom domain add example.org --create --data "$WORK/mailroom" >/dev/null
echo secret | mailroom user add bench@example.org --password-stdin --data "$WORK/mailroom" >/dev/null
python3 "$ROOT/bench/pop3/bench.py" fill "$WORK/mailroom/mail/example.org/bench" --count "$N" --size 4096

id vmail >/dev/null 2>&1 || useradd -r -u 5000 -U vmail
mkdir -p "$WORK/dovecot/mail/example.org" "$WORK/dovecot/run"
cp -a "$WORK/mailroom/mail/example.org/bench" "$WORK/dovecot/mail/example.org/bench"
chown -R vmail:vmail "$WORK/dovecot/mail"
dovecot_user bench@example.org "$WORK/dovecot/mail/example.org/bench" > "$WORK/dovecot/users"
cat > "$WORK/dovecot/dovecot.conf" <<CONF
base_dir = $WORK/dovecot/run
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
log_path = $WORK/dovecot/dovecot.log
default_process_limit = 5000
default_client_limit = 10000
passdb {
  driver = passwd-file
  args = scheme=PLAIN $WORK/dovecot/users
}
userdb {
  driver = passwd-file
  args = $WORK/dovecot/users
}
mail_location = maildir:~
protocol imap {
  mail_max_userip_connections = 5000
}
service imap-login {
  chroot =
  inet_listener imap {
    port = $DV_PORT
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
  client_limit = 20000
}
CONF
dovecot -c "$WORK/dovecot/dovecot.conf"
dotnet "$MAILROOM_DLL" serve --data "$WORK/mailroom" --set Imap:BindAddresses:0=127.0.0.1 --set Imap:Port=$MR_PORT --set Imap:ImapsPort=-1 \
  --set Pop3:Port=-1 --set Pop3:Pop3sPort=-1 --set Smtp:Port=-1 --set Smtp:SubmissionPort=-1 --set Smtp:SmtpsPort=-1 \
  --set Net:MaxConnections=5000 --set Net:MaxConnectionsPerIp=5000 --set Log:Console=false >/dev/null 2>&1 &
MR_PID=$!
trap 'kill $MR_PID 2>/dev/null; pkill -f "dovecot -c $WORK/dovecot/dovecot.conf"; true' EXIT
wait_for_port $MR_PORT; wait_for_port $DV_PORT

fetch() { python3 "$ROOT/bench/imap/bench.py" fetch --port "$1" --user bench@example.org --password secret; }

# Proportional set size (shared pages split among their users) of a set of processes, in KiB.
pss() { local total=0 pid; for pid in "$@"; do total=$((total + $(awk '/^Pss:/{print $2}' /proc/"$pid"/smaps_rollup 2>/dev/null || echo 0))); done; echo $total; }
dovecot_pids() { pgrep -f "^dovecot/(imap|imap-login)( |$)" | tr '\n' ' '; }

# idle_memory NAME PORT PIDS-COMMAND: PSS before, and with $IDLE IDLE connections open; prints KiB per connection.
idle_memory() {
  local name=$1 port=$2 pids=$3 before after fifo
  before=$(pss $($pids))
  fifo=$WORK/idle.$name; mkfifo "$fifo"
  python3 "$ROOT/bench/imap/bench.py" idle --port "$port" --user bench@example.org --password secret --connections "$IDLE" --hold 15 > "$fifo" &
  local client=$!
  read -r _ < "$fifo"; sleep 2
  after=$(pss $($pids))
  wait $client; rm -f "$fifo"
  echo "$name: PSS ${before} KiB idle → ${after} KiB with $IDLE IDLE connections: $(( (after - before) / IDLE )) KiB per connection"
}

echo "### IMAP: $N messages (~4 KB); EXAMINE + FETCH 1:* (FLAGS ENVELOPE RFC822.SIZE), FETCH 1:* BODY.PEEK[]; $IDLE idle connections"
echo
machine
echo "- Dovecot $(dovecot --version | cut -d' ' -f1) imap on Maildir (its own copy); Mailroom \`serve\` (Release, ReadyToRun)"
echo "- command: \`python3 bench/imap/bench.py fetch --port PORT --user bench@example.org --password secret\` (raw sockets)"
echo
echo '```'
for name in Dovecot:$DV_PORT Mailroom:$MR_PORT; do echo "${name%%:*} (first access, index built): $(fetch "${name#*:}")"; done
for round in 1 2 3; do
  for name in Dovecot:$DV_PORT Mailroom:$MR_PORT; do
    echo "${name%%:*} (round $round): $(fetch "${name#*:}")"
  done
done
idle_memory Dovecot $DV_PORT dovecot_pids
idle_memory Mailroom $MR_PORT "echo $MR_PID"
echo '```'
