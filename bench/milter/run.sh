#!/usr/bin/env bash
# Delivery through one milter (issue 17): smtp-source → Mailroom (Smtp:Milters = rspamd) → Maildir against
# smtp-source → Postfix (smtpd_milters = the same rspamd) → virtual(8) → Maildir, 1 KB, 10 and 50 sessions, alternating
# rounds, medians; a run ends when every message is a file in new/. Both servers fsync each message before their 250
# and each delivered file (Postfix's virtual(8) Maildir delivery fsyncs; Mailroom's store does).
# Everything runs privately on loopback ports 24610–24613 with its own config, spool and runtime directories: rspamd
# (its proxy worker in milter mode, self-scanning, no Redis, the other workers and the fuzzy check off, hyperscan off,
# DNS to a port where nothing answers, as the interop tests configure it) and a Postfix instance (queue_directory and
# config under $BASE). The system's Postfix and rspamd, and other users of them, are untouched.
#   usage: flock /tmp/bench-milter-run.sh.lock bench/milter/run.sh [messages-per-run] [rounds]   (defaults 1000 and 3)
#   needs: apt-get install postfix rspamd (smtp-source is in postfix)
source "$(dirname "$0")/../common.sh"
N=${1:-1000}
ROUNDS=${2:-3}
BASE=/var/tmp/mailroom-bench-milter
RSPAMD_PORT=24610
RSPAMD_DNS_PORT=24611
PF_PORT=24612
MR_PORT=24613
VMAIL=$BASE/vmail
MR_DATA=$BASE/mailroom
RSPAMD_DIR=$BASE/rspamd

for tool in smtp-source postfix rspamd; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install postfix rspamd" >&2; exit 1; }
done

setup_rspamd() {
  local d=$RSPAMD_DIR/local/local.d
  mkdir -p "$d" "$RSPAMD_DIR/db" "$RSPAMD_DIR/run" "$RSPAMD_DIR/log"
  # One proxy process per core, each scanning itself (no normal worker, so no Redis and no second hop).
  printf 'bind_socket = "127.0.0.1:%s";\nmilter = yes;\ntimeout = 120s;\ncount = %s;\nupstream "local" {\n  default = yes;\n  self_scan = yes;\n}\n' \
    "$RSPAMD_PORT" "$(nproc)" >"$d/worker-proxy.inc"
  for f in worker-normal.inc worker-controller.inc worker-fuzzy.inc fuzzy_check.conf; do echo 'enabled = false;' >"$d/$f"; done
  printf 'type = "file";\nfilename = "%s/rspamd.log";\nlevel = "error";\n' "$RSPAMD_DIR/log" >"$d/logging.inc"
  printf 'dns { nameserver = ["127.0.0.1:%s"]; timeout = 1s; retransmits = 1; }\ndisable_hyperscan = true;\n' "$RSPAMD_DNS_PORT" >"$d/options.inc"
  printf 'use = ["x-spamd-result"];\nskip_local = false;\nskip_authenticated = false;\n' >"$d/milter_headers.conf"
  rspamd -i -c /etc/rspamd/rspamd.conf --var LOCAL_CONFDIR="$RSPAMD_DIR/local" --var DBDIR="$RSPAMD_DIR/db" \
    --var RUNDIR="$RSPAMD_DIR/run" --var LOGDIR="$RSPAMD_DIR/log" >"$RSPAMD_DIR/stdout.log" 2>&1
  # rspamd daemonises; its pid file is in RUNDIR. Loading its rules takes a while on a busy machine.
  for _ in $(seq 1 2400); do (exec 3<>/dev/tcp/127.0.0.1/$RSPAMD_PORT) 2>/dev/null && return 0; sleep 0.1; done
  echo "rspamd did not open port $RSPAMD_PORT" >&2; cat "$RSPAMD_DIR/stdout.log" >&2; exit 1
}

setup_postfix() {
  mkdir -p "$VMAIL"
  id vmail >/dev/null 2>&1 || useradd -r -U -d "$VMAIL" vmail
  chown vmail:vmail "$VMAIL"
  postfix_start "$BASE" "$PF_PORT" <<EOF
virtual_mailbox_domains = example.org
virtual_mailbox_base = $VMAIL
virtual_mailbox_maps = inline:{ samt@example.org=example.org/samt/ }
virtual_uid_maps = static:$(id -u vmail)
virtual_gid_maps = static:$(id -g vmail)
smtpd_milters = inet:127.0.0.1:$RSPAMD_PORT
milter_protocol = 6
milter_default_action = tempfail
EOF
}

start_mailroom() {
  mailroom_start "$MR_DATA" "$MR_PORT" "$BASE/mailroom.out" \
    --set Smtp:Milters:0:Address=inet:127.0.0.1:$RSPAMD_PORT --set Smtp:Milters:0:DefaultAction=Tempfail
  MR_PID=$MR_STARTED
}

stop_all() {
  [ -n "${MR_PID:-}" ] && kill "$MR_PID" 2>/dev/null || true
  postfix_stop "$BASE"
  [ -f "$RSPAMD_DIR/run/rspamd.pid" ] && kill "$(cat "$RSPAMD_DIR/run/rspamd.pid")" 2>/dev/null || true
}

# run PORT MAILDIR SESSIONS → delivered/s (all N files in MAILDIR/new, from the start of smtp-source)
run() {
  local port=$1 maildir=$2 sessions=$3 start delivered
  rm -f "$maildir"/new/* "$maildir"/cur/* 2>/dev/null || true
  start=$(now)
  timeout 900 smtp-source -s "$sessions" -l 1024 -m "$N" -f samt@example.org -t samt@example.org 127.0.0.1:"$port"
  delivered=$(wait_for_files "$maildir/new" "$N" 900)
  rate "$N" "$start" "$delivered"
}

build_mailroom
trap stop_all EXIT
rm -rf "$BASE"
mkdir -p "$BASE"
setup_rspamd
setup_postfix
start_mailroom
PF_BOX=$VMAIL/example.org/samt
MR_BOX=$MR_DATA/mail/example.org/samt

# Warm-up, unmeasured: process start, JIT, Postfix's daemons spawning, rspamd's first scans.
run $PF_PORT "$PF_BOX" 10 >/dev/null
run $MR_PORT "$MR_BOX" 10 >/dev/null

# Both really went through rspamd: its header is on the delivered copies.
grep -qs '^X-Spamd-Result:' "$(find "$PF_BOX/new" -type f | head -1)" || { echo "Postfix's mail has no X-Spamd-Result: rspamd not in the path" >&2; exit 1; }
grep -qs '^X-Spamd-Result:' "$(find "$MR_BOX/new" -type f | head -1)" || { echo "Mailroom's mail has no X-Spamd-Result: rspamd not in the path" >&2; exit 1; }

echo "### Delivery through one milter (rspamd): smtp-source → server + rspamd milter → Maildir new/ (fsync on), 1 KB, $N messages per run"
echo
machine
echo "- load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- command: \`smtp-source -s SESSIONS -l 1024 -m $N -f samt@example.org -t samt@example.org 127.0.0.1:PORT\`, then wait until $N files are in new/; $ROUNDS rounds, the two servers alternating within each round; medians"
echo "- rspamd $(rspamd --version | awk '{print $NF}') proxy worker in milter mode (self-scan, $(nproc) processes, no Redis), shared by both; Postfix $(postconf -c "$BASE/postfix-etc" -h mail_version) (smtpd_milters, milter_protocol 6) → virtual(8) Maildir; Mailroom \`serve\` (Release, ReadyToRun), Smtp:Milters, defaults but for its ports"
echo
echo "| size | sessions | Postfix + rspamd msg/s | Mailroom + rspamd msg/s | Mailroom ÷ Postfix |"
echo "|---|---|---|---|---|"
for sessions in 10 50; do
  pf=() mr=()
  for _ in $(seq 1 "$ROUNDS"); do
    pf+=("$(run $PF_PORT "$PF_BOX" $sessions)")
    mr+=("$(run $MR_PORT "$MR_BOX" $sessions)")
  done
  p=$(printf '%s\n' "${pf[@]}" | median)
  m=$(printf '%s\n' "${mr[@]}" | median)
  echo "| 1 KB | $sessions | $p (${pf[*]}) | $m (${mr[*]}) | $(ratio "$m" "$p")× |"
done
echo
echo "- load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
