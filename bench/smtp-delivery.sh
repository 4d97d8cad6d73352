#!/usr/bin/env bash
# Durable accept-and-deliver: Postfix's smtp-source against Mailroom and against Postfix itself, both doing
# local virtual delivery into Maildir with fsync, on this machine. Prints a markdown table.
#   usage: bench/smtp-delivery.sh [messages-per-run]   (default 2000)
source "$(dirname "$0")/common.sh"
N=${1:-2000}
MR_DATA=/var/tmp/mailroom-bench
PF_VMAIL=/var/tmp/postfix-bench/vmail
MR_PORT=2525

setup_postfix() {
  command -v smtp-source >/dev/null || { echo "install postfix first: apt-get install postfix" >&2; exit 1; }
  id vmail >/dev/null 2>&1 || useradd -r -u 5000 -U -d "$PF_VMAIL" vmail
  mkdir -p "$PF_VMAIL"; chown -R vmail:vmail "$(dirname "$PF_VMAIL")"
  echo "samt@example.org example.org/samt/" > /etc/postfix/vmailbox
  postmap /etc/postfix/vmailbox
  postconf -e "inet_interfaces = loopback-only" "mydestination = localhost" \
    "mynetworks = 127.0.0.0/8 [::1]/128" \
    "virtual_mailbox_domains = example.org" "virtual_mailbox_base = $PF_VMAIL" \
    "virtual_mailbox_maps = hash:/etc/postfix/vmailbox" "virtual_minimum_uid = 100" \
    "virtual_uid_maps = static:5000" "virtual_gid_maps = static:5000" \
    "smtpd_recipient_restrictions = permit_mynetworks, reject_unauth_destination" \
    "message_size_limit = 10240000" "maillog_file = /var/log/postfix-bench.log"
  postfix stop >/dev/null 2>&1 || true
  postfix start >/dev/null 2>&1
  wait_for_port 25
}

setup_mailroom() {
  rm -rf "$MR_DATA"
  mailroom domain add example.org --create --data "$MR_DATA" >/dev/null
  echo secret | mailroom user add samt@example.org --password-stdin --data "$MR_DATA" >/dev/null
  dotnet "$MAILROOM_DLL" serve --data "$MR_DATA" --set Smtp:BindAddresses:0=127.0.0.1 --set Smtp:Port=$MR_PORT \
    --set Smtp:SubmissionPort=-1 --set Smtp:SmtpsPort=-1 --set Pop3:Port=-1 --set Pop3:Pop3sPort=-1 \
    --set Log:Console=false --set Net:MaxConnectionsPerIp=0 >/dev/null 2>&1 &
  MR_PID=$!
  wait_for_port $MR_PORT
}

# run NAME PORT MAILDIR SIZE CONCURRENCY REUSE → "accepted/s delivered/s"
run() {
  local port=$1 maildir=$2 size=$3 conc=$4 reuse=$5
  rm -rf "$maildir"/new/* "$maildir"/cur/* 2>/dev/null || true
  local start end delivered flags="-s $conc -l $size -m $N -f samt@example.org -t samt@example.org"
  [ "$reuse" = yes ] && flags="-d $flags"
  start=$(now)
  timeout 600 smtp-source $flags 127.0.0.1:"$port"
  end=$(now)
  delivered=$(wait_for_files "$maildir/new" "$N" 600)
  echo "$(rate "$N" "$start" "$end") $(rate "$N" "$start" "$delivered")"
}

build_mailroom
setup_postfix
setup_mailroom
trap 'kill $MR_PID 2>/dev/null; postfix stop >/dev/null 2>&1 || true' EXIT
# Warm both servers up (process start, JIT, Postfix's daemons spawning) before anything is measured.
run 25 "$PF_VMAIL/example.org/samt" 1024 10 no >/dev/null
run $MR_PORT "$MR_DATA/mail/example.org/samt" 1024 10 no >/dev/null

echo "### Durable accept and deliver: smtp-source → server → Maildir (fsync), $N messages per run"
echo
machine
echo "- each server is warmed up with one unmeasured run first"
echo "- command: \`smtp-source [-d] -s C -l SIZE -m $N -f samt@example.org -t samt@example.org 127.0.0.1:PORT\`, then wait until $N files are in the Maildir"
echo "- Postfix $(postconf -h mail_version) with virtual(8) Maildir delivery; Mailroom \`serve\` with defaults (Release build)"
echo
echo "| size | sessions | connection | Postfix accepted/s | Postfix delivered/s | Mailroom accepted/s | Mailroom delivered/s | delivered ratio |"
echo "|---|---|---|---|---|---|---|---|"
for size in 1024 10240; do
  for conc in 1 10 50; do
    for reuse in no yes; do
      read -r pa pd < <(run 25 "$PF_VMAIL/example.org/samt" $size $conc $reuse)
      read -r ma md < <(run $MR_PORT "$MR_DATA/mail/example.org/samt" $size $conc $reuse)
      echo "| $((size / 1024)) KB | $conc | $([ $reuse = yes ] && echo reused || echo new per message) | $pa | $pd | $ma | $md | $(ratio "$md" "$pd")× |"
    done
  done
done
