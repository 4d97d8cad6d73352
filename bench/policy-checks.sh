#!/usr/bin/env bash
# What mail authentication costs: (1) signing and checking per message in CPU µs, DNS answered from the resolver's
# cache (bench/policy, against a dnsmasq zone on loopback); (2) durable delivery with the port-25 checks on (loopback
# untrusted, SPF with an include, DMARC p=reject, DKIM and ARC looked for) against the same server with them off
# (loopback trusted, as by default), alternating rounds of smtp-source. Prints markdown.
#   usage: bench/policy-checks.sh [messages-per-run]   (default 2000)
source "$(dirname "$0")/common.sh"
N=${1:-2000}
WORK=/var/tmp/mailroom-policy-bench
MR_PORT=21425
DNS_PORT=21453
ROUNDS=3

rm -rf "$WORK"; mkdir -p "$WORK"
build_mailroom
dotnet build "$ROOT/bench/policy" -c Release -o "$WORK/cost" >/dev/null

# Keys for sender.test, and the zone: SPF through an include, DMARC reject, the DKIM records.
mailroom dkim keygen sender.test --data "$WORK/keys" >/dev/null
{
  echo "no-resolv"; echo "no-hosts"; echo "local=/test/"; echo "local-ttl=300"
  echo 'txt-record=sender.test,"v=spf1 include:_spf.sender.test -all"'
  echo 'txt-record=_spf.sender.test,"v=spf1 ip4:127.0.0.0/8 ip6:::1 -all"'
  echo 'txt-record=_dmarc.sender.test,"v=DMARC1; p=reject"'
  mailroom dkim show sender.test --data "$WORK/keys" | sed -E 's/^([^ ]+)\. IN TXT \( (.*) \)$/txt-record=\1,\2/; s/" "/","/g'
} > "$WORK/zone.conf"
dnsmasq --keep-in-foreground --conf-file="$WORK/zone.conf" --port=$DNS_PORT --listen-address=127.0.0.1 --bind-interfaces --user=root --pid-file= &
DNS_PID=$!
trap 'kill $DNS_PID ${MR_PID:-} 2>/dev/null || true' EXIT
sleep 0.5

echo "### Signing and checking, per message"
echo
machine
echo "- command: \`dotnet bench/policy (PolicyCost) 127.0.0.1:$DNS_PORT KEYS $N\`: one process, CPU time (user+system) / messages"
echo
dotnet "$WORK/cost/PolicyCost.dll" "127.0.0.1:$DNS_PORT" "$WORK/keys/dkim" "$N"
echo

start_mailroom() { # $1: checks on|off
  local trusted=()
  [ "$1" = on ] && trusted=(--set "Smtp:TrustedNetworks=")
  dotnet "$MAILROOM_DLL" serve --data "$WORK/mr" --set Smtp:BindAddresses:0=127.0.0.1 --set Smtp:Port=$MR_PORT \
    --set Smtp:SubmissionPort=-1 --set Smtp:SmtpsPort=-1 --set Pop3:Port=-1 --set Pop3:Pop3sPort=-1 --set Imap:Port=-1 --set Imap:ImapsPort=-1 \
    --set Log:Console=false --set Net:MaxConnectionsPerIp=0 --set "Dns:Servers:0=127.0.0.1:$DNS_PORT" "${trusted[@]}" >/dev/null 2>&1 &
  MR_PID=$!
  wait_for_port $MR_PORT
}

# run SIZE CONCURRENCY → delivered/s
run() {
  local maildir="$WORK/mr/mail/example.org/samt" start delivered
  rm -rf "$maildir"/new/* "$maildir"/cur/* 2>/dev/null || true
  start=$(now)
  timeout 600 smtp-source -s "$2" -l "$1" -m "$N" -f ann@sender.test -t samt@example.org 127.0.0.1:$MR_PORT
  delivered=$(wait_for_files "$maildir/new" "$N" 600)
  rate "$N" "$start" "$delivered"
}

mailroom domain add example.org --create --data "$WORK/mr" >/dev/null
echo secret | mailroom user add samt@example.org --password-stdin --data "$WORK/mr" >/dev/null
echo "### Durable delivery with the port-25 checks on and off, $N messages per run, median of $ROUNDS alternating rounds"
echo
echo "- command: \`smtp-source -s C -l SIZE -m $N -f ann@sender.test -t samt@example.org 127.0.0.1:$MR_PORT\`, then wait for $N files in the Maildir"
echo "- checks on: \`--set Smtp:TrustedNetworks=\` (loopback untrusted): SPF (include), DKIM (none present), ARC, DMARC p=reject, Authentication-Results added (the spool file is written once more)"
echo
echo "| size | sessions | checks off delivered/s | checks on delivered/s | on/off |"
echo "|---|---|---|---|---|"
for size in 1024 10240; do
  for conc in 10 50; do
    off=(); on=()
    for round in $(seq 1 $ROUNDS); do
      for mode in off on; do
        start_mailroom $mode
        run 1024 10 >/dev/null   # warm-up (JIT, DNS cache)
        value=$(run $size $conc)
        kill $MR_PID; wait $MR_PID 2>/dev/null || true
        if [ $mode = off ]; then off+=("$value"); else on+=("$value"); fi
      done
    done
    moff=$(printf '%s\n' "${off[@]}" | sort -n | sed -n 2p)
    mon=$(printf '%s\n' "${on[@]}" | sort -n | sed -n 2p)
    echo "| $((size / 1024)) KB | $conc | $moff | $mon | $(ratio "$mon" "$moff")× |"
  done
done
