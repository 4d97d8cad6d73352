#!/usr/bin/env bash
# Load generator and sink: Postfix's smtp-source → smtp-sink against mailroom bench send → mailroom bench sink,
# same machine, loopback. Prints a markdown table of messages per second.
#   usage: bench/send-sink.sh [messages-per-run]   (default 20000)
source "$(dirname "$0")/common.sh"
N=${1:-20000}
command -v smtp-sink >/dev/null || { echo "install postfix first: apt-get install postfix" >&2; exit 1; }
build_mailroom

# time_sender PORT CMD... → messages/s of the sender's whole run
time_sender() {
  local start end
  [ "$1" = mailroom ] && set -- dotnet "$MAILROOM_DLL" "${@:2}"
  start=$(now)
  if ! timeout 600 "$@" >/dev/null; then echo "failed"; return; fi
  end=$(now)
  rate "$N" "$start" "$end"
}

echo "### Load generator → sink, $N messages of SIZE bytes per run (median of 3 runs)"
echo
machine
echo "- Postfix: \`smtp-sink 127.0.0.1:2600 1024\` and \`smtp-source [-d] -s C -l SIZE -m $N -f a@example.org -t b@example.org 127.0.0.1:2600\`"
echo "- Mailroom: \`mailroom bench sink -p 2601 --listen 127.0.0.1\` and \`mailroom bench send -s C -c CONNS -m PER_CONN -b SIZE -p 2601 -F a@example.org -T b@example.org 127.0.0.1\`"
echo
echo "| size | concurrency | connection | smtp-source→smtp-sink msg/s | bench send→bench sink msg/s | ratio |"
echo "|---|---|---|---|---|---|"
SINK_USER=(); [ "$(id -u)" = 0 ] && SINK_USER=(-u nobody)   # smtp-sink refuses to run as root
smtp-sink "${SINK_USER[@]}" 127.0.0.1:2600 1024 & PF_SINK=$!
dotnet "$MAILROOM_DLL" bench sink -p 2601 --listen 127.0.0.1 >/dev/null & MR_SINK=$!
trap 'kill $PF_SINK $MR_SINK 2>/dev/null || true' EXIT
wait_for_port 2600; wait_for_port 2601
for size in 1024 10240; do
  for conc in 10 50; do
    per=$((N / conc))
    pf=$(median_of_3 time_sender smtp-source -s $conc -l $size -m $N -f a@example.org -t b@example.org 127.0.0.1:2600)
    mr=$(median_of_3 time_sender mailroom bench send -s $conc -c $per -m 1 -b $size -p 2601 -F a@example.org -T b@example.org 127.0.0.1)
    echo "| $((size / 1024)) KB | $conc | new per message | $pf | $mr | $(ratio "$mr" "$pf")× |"
    pf=$(median_of_3 time_sender smtp-source -d -s $conc -l $size -m $N -f a@example.org -t b@example.org 127.0.0.1:2600)
    mr=$(median_of_3 time_sender mailroom bench send -s $conc -c 1 -m $per -b $size -p 2601 -F a@example.org -T b@example.org 127.0.0.1)
    echo "| $((size / 1024)) KB | $conc | reused | $pf | $mr | $(ratio "$mr" "$pf")× |"
  done
done
