#!/usr/bin/env bash
# Memory of an idle `mailroom serve` (every listener on, defaults) and of idle IMAP connections, and what holds it:
# RSS and PSS split into anonymous memory (GC heap, JIT code, native allocations, thread stacks) and file mappings
# (the runtime's and the assemblies' images), the largest mappings by name, and the managed heap as the runtime
# reports it. Each VARIANT is an environment setting (NAME=VALUE, or "default"), measured in turn on a fresh server.
#   usage: bench/memory/idle.sh [connections] [variant…]      (defaults 200, and "default")
# Port range 127.0.0.1:23150-23159.
source "$(dirname "$0")/../common.sh"
CONNS=${1:-200}; shift || true
VARIANTS=("$@"); [ ${#VARIANTS[@]} -eq 0 ] && VARIANTS=(default)
WORK=/var/tmp/mailroom-memory
build_mailroom

kib() { awk -v k="$1" '/^'"$1"':/{s+=$2} END{print s+0}' "/proc/$2/smaps_rollup"; }

measure() {
  local variant=$1 pid before after
  rm -rf "$WORK"; mkdir -p "$WORK"
  mailroom domain add example.org --create --data "$WORK/data" >/dev/null
  echo secret | mailroom user add bench@example.org --password-stdin --data "$WORK/data" >/dev/null
  python3 "$ROOT/bench/pop3/bench.py" fill "$WORK/data/mail/example.org/bench" --count 100 --size 4096
  local envs=(); [ "$variant" != default ] && envs=("$variant")
  env "${envs[@]}" dotnet "$MAILROOM_DLL" serve --data "$WORK/data" \
    --set Imap:BindAddresses:0=127.0.0.1 --set Imap:Port=23150 --set Imap:ImapsPort=23151 \
    --set Pop3:BindAddresses:0=127.0.0.1 --set Pop3:Port=23152 --set Pop3:Pop3sPort=23153 \
    --set Smtp:BindAddresses:0=127.0.0.1 --set Smtp:Port=23154 --set Smtp:SubmissionPort=23155 --set Smtp:SmtpsPort=23156 \
    --set Net:MaxConnectionsPerIp=0 --set Log:Console=false >/dev/null 2>&1 &
  pid=$!
  wait_for_port 23150; wait_for_port 23154
  # One login so the directory, the store and the IMAP code are loaded as on a server that has served mail.
  python3 "$ROOT/bench/imap/bench.py" fetch --port 23150 --user bench@example.org --password secret >/dev/null
  sleep 10
  echo "$variant: idle RSS $(kib Rss $pid) KiB, PSS $(kib Pss $pid) KiB (anonymous $(kib Anonymous $pid) KiB, file-backed PSS $(( $(kib Pss_File $pid) )) KiB), threads $(ls /proc/$pid/task | wc -l)"
  echo "  largest mappings (RSS KiB):"
  awk '/^[0-9a-f]+-[0-9a-f]+ /{name=($6==""?"[anonymous]":$6)} /^Rss:/{rss[name]+=$2} END{for(n in rss) printf "%8d  %s\n", rss[n], n}' "/proc/$pid/smaps" | sort -rn | head -8
  before=$(kib Pss $pid)
  local fifo=$WORK/idle.fifo; mkfifo "$fifo"
  python3 "$ROOT/bench/imap/bench.py" idle --port 23150 --user bench@example.org --password secret --connections "$CONNS" --hold 12 > "$fifo" &
  local client=$!
  read -r _ < "$fifo"; sleep 3
  after=$(kib Pss $pid)
  wait $client; rm -f "$fifo"
  echo "  $CONNS IDLE connections: PSS $before → $after KiB, $(( (after - before) / CONNS )) KiB per connection"
  kill $pid; wait $pid 2>/dev/null || true
}

echo "### Idle memory of \`mailroom serve\` (Release, ReadyToRun, every listener on)"
machine
echo "- command: \`bench/memory/idle.sh $CONNS ${VARIANTS[*]}\`; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo '```'
for v in "${VARIANTS[@]}"; do measure "$v"; done
echo '```'
