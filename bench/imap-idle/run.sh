#!/usr/bin/env bash
# Idle cost: N IMAP sessions in IDLE on one folder; the server's CPU over SECONDS of silence, then how long a message
# dropped into the Maildir by another program takes to reach every idling session (bench/imap-idle/idle_cpu.py).
# Issue 15's target: 10,000 idle sessions cost at most 1% of a core, and the delivery reaches them all within 1 s.
#   usage: flock /tmp/bench-run.sh.lock bench/imap-idle/run.sh [sessions] [seconds]   (defaults 10000 and 10)
#   port (127.0.0.1): MR_PORT (24345)
source "$(dirname "$0")/../common.sh"
N=${1:-10000}
SECS=${2:-10}
WORK=/var/tmp/imap-idle-bench
MR_PORT=${MR_PORT:-24345}
# Each process (the client and the server) holds N sockets: raise the soft limit as far as the hard one allows.
want=$((N + 1000)); hard=$(ulimit -Hn)
[ "$hard" != unlimited ] && [ "$want" -gt "$hard" ] && want=$hard
ulimit -n "$want"

rm -rf "$WORK"; mkdir -p "$WORK"
build_mailroom
mailroom domain add example.org --create --data "$WORK/mailroom" >/dev/null
echo secret | mailroom user add idle@example.org --password-stdin --data "$WORK/mailroom" >/dev/null
dotnet "$MAILROOM_DLL" serve --data "$WORK/mailroom" --set Imap:BindAddresses:0=127.0.0.1 --set Imap:Port=$MR_PORT --set Imap:ImapsPort=-1 \
  --set Pop3:Port=-1 --set Pop3:Pop3sPort=-1 --set Smtp:Port=-1 --set Smtp:SubmissionPort=-1 --set Smtp:SmtpsPort=-1 \
  --set ManageSieve:Port=-1 --set Metrics:Listen= --set Net:Pools:Imap:MaxConnections=$((N + 2000)) \
  --set Net:Pools:Imap:MaxConnectionsPerIp=0 --set Log:Console=false >/dev/null 2>&1 &
MR_PID=$!
trap 'kill $MR_PID 2>/dev/null; true' EXIT
wait_for_port $MR_PORT

echo "### IMAP idle cost: $N sessions in IDLE on one folder, $SECS s of silence, then a delivery by another program"
echo
machine
echo "- Mailroom \`serve\` (Release, ReadyToRun); command: \`flock /tmp/bench-run.sh.lock bench/imap-idle/run.sh $N $SECS\`"
echo
echo '```'
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# The INBOX Maildir exists once a session has selected it; idle_cpu.py's sessions do that before the delivery.
MAILDIR=$WORK/mailroom/mail/example.org/idle
python3 "$ROOT/bench/imap-idle/idle_cpu.py" $MR_PID 127.0.0.1 $MR_PORT idle@example.org secret "$N" "$SECS" "$MAILDIR"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo '```'
