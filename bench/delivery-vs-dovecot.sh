#!/usr/bin/env bash
# Durable accept + local delivery (issue 14): smtp-source → Mailroom → Maildir against smtp-source → Postfix → Dovecot
# LMTP → Maildir, both with fsync on, 1 KB and 10 KB, 10 and 50 sessions, alternating rounds, medians; a run ends when
# every message is a file in new/. Mailroom runs twice side by side: with direct local delivery (the default) and with
# Queue:DirectLocalDelivery=false (every message through the queue first), so the table also shows what the change buys.
# Postfix and Dovecot run as private instances (own config, spool, runtime directories, loopback ports 23010–23013),
# so the system's Postfix and Dovecot, and other users of them, are untouched.
# SECOND_SET="Key=Value ..." configures the second Mailroom server instead (each word a --set), and SECOND_LABEL names its
# column, e.g. SECOND_SET="Queue:DirectMemoryLimit=0" SECOND_LABEL="direct, spool file" for direct delivery with the
# spool file it had before messages were held in memory. SECOND_ENV="VAR=VALUE ..." puts runtime settings in the second
# server's environment, e.g. SECOND_SET="Queue:DirectLocalDelivery=true" SECOND_ENV="DOTNET_TC_QuickJit=1" for the same
# server with .NET's quick JIT back on.
#   usage: bench/delivery-vs-dovecot.sh [messages-per-run] [rounds]   (defaults 3000 and 3)
#   MR_SET: more options for both Mailroom instances (e.g. "--set Store:DeliveryIndexWait=0")
#   needs: apt-get install postfix dovecot-lmtpd (smtp-source is in postfix)
source "$(dirname "$0")/common.sh"
N=${1:-3000}
ROUNDS=${2:-3}
BASE=/var/tmp/mailroom-bench-lmtp
PF_PORT=23010
LMTP_PORT=23011
MR_PORT=23012
MQ_PORT=23013
DC_CONF=$BASE/dovecot.conf
VMAIL=$BASE/vmail
MR_DATA=$BASE/mailroom-direct
MQ_DATA=$BASE/mailroom-queue
SECOND_SET=${SECOND_SET:-Queue:DirectLocalDelivery=false}
SECOND_LABEL=${SECOND_LABEL:-through the queue}

for tool in smtp-source postfix dovecot; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install postfix dovecot-lmtpd" >&2; exit 1; }
done
[ -x /usr/lib/dovecot/lmtp ] || { echo "missing Dovecot's LMTP server: apt-get install dovecot-lmtpd" >&2; exit 1; }

setup_dovecot() {
  id vmail >/dev/null 2>&1 || useradd -r -U -d "$VMAIL" vmail
  mkdir -p "$VMAIL" "$BASE/dovecot-run" "$BASE/dovecot-state"
  chown vmail:vmail "$VMAIL"
  cat >"$DC_CONF" <<EOF
base_dir = $BASE/dovecot-run
state_dir = $BASE/dovecot-state
instance_name = mailroom-bench-lmtp
protocols = lmtp
listen = 127.0.0.1
ssl = no
log_path = $BASE/dovecot.log
mail_location = maildir:$VMAIL/%d/%n
mail_uid = vmail
mail_gid = vmail
first_valid_uid = 1
# Dovecot's default, spelled out: LMTP fsyncs each delivered message before its reply.
mail_fsync = optimized
passdb {
  driver = static
  args = nopassword=y
}
userdb {
  driver = static
  args = uid=vmail gid=vmail home=$VMAIL/%d/%n
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $LMTP_PORT
  }
}
EOF
  dovecot -c "$DC_CONF"
  wait_for_port $LMTP_PORT
}

setup_postfix() {
  postfix_start "$BASE" "$PF_PORT" <<EOF
virtual_mailbox_domains = example.org
virtual_mailbox_maps = inline:{ samt@example.org=ok }
virtual_transport = lmtp:inet:127.0.0.1:$LMTP_PORT
EOF
}

# start_mailroom DATA PORT SETTING... → the server's pid in MR_STARTED (MR_SET adds options to both servers)
start_mailroom() {
  local data=$1 port=$2 setting sets=()
  shift 2
  for setting in "$@"; do sets+=(--set "$setting"); done
  mailroom_start "$data" "$port" /dev/null "${sets[@]}" ${MR_SET:-}
}

stop_all() {
  [ -n "${MR_PID:-}" ] && kill "$MR_PID" 2>/dev/null || true
  [ -n "${MQ_PID:-}" ] && kill "$MQ_PID" 2>/dev/null || true
  postfix_stop "$BASE"
  dovecot -c "$DC_CONF" stop >/dev/null 2>&1 || true
}

# run PORT MAILDIR SIZE SESSIONS → delivered/s (all N files in MAILDIR/new, from the start of smtp-source)
run() {
  local port=$1 maildir=$2 size=$3 sessions=$4 start delivered
  rm -f "$maildir"/new/* "$maildir"/cur/* 2>/dev/null || true
  start=$(now)
  timeout 600 smtp-source -s "$sessions" -l "$size" -m "$N" -f samt@example.org -t samt@example.org 127.0.0.1:"$port"
  delivered=$(wait_for_files "$maildir/new" "$N" 600)
  rate "$N" "$start" "$delivered"
}

build_mailroom
trap stop_all EXIT
rm -rf "$BASE"
mkdir -p "$BASE"
setup_dovecot
setup_postfix
start_mailroom "$MR_DATA" $MR_PORT Queue:DirectLocalDelivery=true
MR_PID=$MR_STARTED
# shellcheck disable=SC2086 # one --set per word
MR_ENV=${SECOND_ENV:-} start_mailroom "$MQ_DATA" $MQ_PORT $SECOND_SET
MQ_PID=$MR_STARTED
PF_BOX=$VMAIL/example.org/samt
MR_BOX=$MR_DATA/mail/example.org/samt
MQ_BOX=$MQ_DATA/mail/example.org/samt

# Warm-up, unmeasured: process start, JIT, Postfix's and Dovecot's daemons spawning.
run $PF_PORT "$PF_BOX" 1024 10 >/dev/null
run $MR_PORT "$MR_BOX" 1024 10 >/dev/null
run $MQ_PORT "$MQ_BOX" 1024 10 >/dev/null

echo "### Durable accept + local delivery: smtp-source → server → Maildir new/ (fsync on), $N messages per run"
echo
machine
echo "- load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- command: \`smtp-source -s SESSIONS -l SIZE -m $N -f samt@example.org -t samt@example.org 127.0.0.1:PORT\`, then wait until $N files are in new/; $ROUNDS rounds, the three servers alternating within each round; medians"
echo "- Postfix $(postconf -c "$BASE/postfix-etc" -h mail_version) (virtual_transport = lmtp) → Dovecot $(dovecot --version | cut -d' ' -f1) LMTP (mail_fsync = optimized), Maildir; Mailroom \`serve\` (Release, ReadyToRun), defaults but for its ports"
echo "- second Mailroom server: $SECOND_SET${SECOND_ENV:+, environment $SECOND_ENV}"
echo
echo "| size | sessions | Postfix → Dovecot LMTP msg/s | Mailroom $SECOND_LABEL msg/s | Mailroom direct msg/s | $SECOND_LABEL ÷ Postfix | direct ÷ Postfix | per-round direct msg/s |"
echo "|---|---|---|---|---|---|---|---|"
for size in 1024 10240; do
  for sessions in 10 50; do
    pf=() mq=() mr=()
    for _ in $(seq 1 "$ROUNDS"); do
      pf+=("$(run $PF_PORT "$PF_BOX" $size $sessions)")
      mq+=("$(run $MQ_PORT "$MQ_BOX" $size $sessions)")
      mr+=("$(run $MR_PORT "$MR_BOX" $size $sessions)")
    done
    p=$(printf '%s\n' "${pf[@]}" | median)
    q=$(printf '%s\n' "${mq[@]}" | median)
    d=$(printf '%s\n' "${mr[@]}" | median)
    echo "| $((size / 1024)) KB | $sessions | $p (${pf[*]}) | $q (${mq[*]}) | $d | $(ratio "$q" "$p")× | $(ratio "$d" "$p")× | ${mr[*]} |"
  done
done
echo
echo "- load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
