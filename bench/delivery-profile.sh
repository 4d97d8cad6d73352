#!/usr/bin/env bash
# Where the time of a durable direct local delivery goes (issue 14): one Mailroom server (direct local delivery, the
# default), smtp-source → Maildir, 1 KB messages. Per run: accepted/s (with direct delivery a 250 follows the Maildir
# fsync, so this is delivered/s), server CPU per message (utime + stime of the process from /proc/PID/stat), the load
# average; with MODE=strace also the system calls per message (strace -c -f), with MODE=perf a perf profile.
# Before the measured N, WARMUP messages (default 3000) go unmeasured, so the figures are the warmed server's steady
# state (tiered JIT done), not its start. VARIANTS are run in alternating rounds; each is a command prefix for the server, e.g. "eatmydata" (file fsyncs made
# no-ops: what the fsync costs) or "env DOTNET_TieredPGO=0".
# Fixed port and work directory: run it as  flock /tmp/bench-delivery-profile.sh.lock bench/delivery-profile.sh ...
# (or give it its own with MAILROOM_PROFILE_PORT and MAILROOM_PROFILE_BASE, and a lock of its own).
# NEW_CONNECTION=1 opens one SMTP connection per message (smtp-source without -d), as bench/delivery-vs-dovecot.sh does,
# so the per-connection path (accept, greeting, EHLO, QUIT, close) counts as it does there; by default each session
# reuses its connection (-d). FIRST=F measures the first F messages of the warm-up too (a server just started: the
# first minute, with the JIT at work), reported before the measured N. MODE=jit logs every method the JIT compiles (DOTNET_JitStdOutFile, JitDisasmSummary) and
# counts those compiled during the measured messages, which a warmed server should no longer need. MODE=ctx counts the
# server's context switches and CPU migrations per message (perf stat over the measured messages; a count, steadier
# under load than a rate); MODE=wakeups records who wakes whom and who sleeps (sched_wakeup, sched_switch, with managed
# frames: the waker's stack, i.e. the code that handed work to another thread; frame pointers stop at libc's
# pthread_cond_signal, where most thread-pool wake-ups are, WAKEUP_CALL_GRAPH=dwarf,32768 gets past it).
#   usage: bench/delivery-profile.sh [cpu|strace|perf|jit|ctx|wakeups] [messages] [sessions] [rounds] [variant...]
#   needs: apt-get install postfix (smtp-source), strace, linux-perf, eatmydata (for the variants that use them)
source "$(dirname "$0")/common.sh"
MODE=${1:-cpu}
N=${2:-2000}
SESSIONS=${3:-10}
ROUNDS=${4:-3}
shift $(( $# < 4 ? $# : 4 ))
VARIANTS=("" "$@")
WARMUP=${WARMUP:-3000}
FIRST=${FIRST:-0}
REUSE=$([ "${NEW_CONNECTION:-0}" = 1 ] || echo -d)
PORT=${MAILROOM_PROFILE_PORT:-23030}
BASE=${MAILROOM_PROFILE_BASE:-/var/tmp/mailroom-bench-profile}
command -v smtp-source >/dev/null || { echo "missing smtp-source: apt-get install postfix" >&2; exit 1; }
build_mailroom

# cpu_per_message TICKS_BEFORE TICKS_AFTER MESSAGES → milliseconds of server CPU per message
cpu_per_message() { awk -v a="$1" -v b="$2" -v n="$3" -v hz="$(getconf CLK_TCK)" 'BEGIN{printf "%.2f", (b-a)/hz*1000/n}'; }

# one_run PREFIX → prints one result line
one_run() {
  local prefix=$1 pid before after start end extra=""
  rm -rf "$BASE/data" "$BASE/jit.txt"
  mkdir -p "$BASE"
  mailroom domain add example.org --create --data "$BASE/data" >/dev/null 2>&1
  echo secret | mailroom user add samt@example.org --password-stdin --data "$BASE/data" >/dev/null 2>&1
  # shellcheck disable=SC2086 # the prefix is words on purpose (env VAR=x, eatmydata)
  # perf: the JIT writes /tmp/perf-PID.map for managed frames; W^X off so the mapped code is where perf looks.
  local jit_env=()
  [ "$MODE" = jit ] && jit_env=(DOTNET_JitStdOutFile="$BASE/jit.txt" DOTNET_JitDisasmSummary=1)
  local perf_map=0
  case $MODE in perf | wakeups) perf_map=1 ;; esac
  $prefix env "${jit_env[@]}" DOTNET_PerfMapEnabled=$perf_map \
    DOTNET_EnableWriteXorExecute=$((1 - perf_map)) dotnet "$MAILROOM_DLL" serve \
    --data "$BASE/data" --set Smtp:BindAddresses:0=127.0.0.1 --set Smtp:Port="$PORT" \
    --set Smtp:SubmissionPort=-1 --set Smtp:SmtpsPort=-1 --set Pop3:Port=-1 --set Pop3:Pop3sPort=-1 \
    --set Imap:Port=-1 --set Imap:ImapsPort=-1 --set ManageSieve:Port=-1 --set Metrics:Listen= \
    --set Log:Console=false --set Net:MaxConnectionsPerIp=0 >/dev/null 2>&1 &
  pid=$!
  wait_for_port "$PORT"
  # The server process itself, below the prefix commands (env, eatmydata exec into it: same pid).
  local first_cpu first_start first_end first=""
  if [ "$FIRST" -gt 0 ]; then
    first_cpu=$(awk '{print $14+$15}' "/proc/$pid/stat")
    first_start=$(now)
    smtp-source $REUSE -s "$SESSIONS" -l 1024 -m "$FIRST" -f a@example.net -t samt@example.org 127.0.0.1:"$PORT"
    first_end=$(now)
    first="first $FIRST: accepted/s=$(rate "$FIRST" "$first_start" "$first_end") cpu_ms/msg=$(cpu_per_message "$first_cpu" "$(awk '{print $14+$15}' "/proc/$pid/stat")" "$FIRST"); "
  fi
  if [ "$WARMUP" -gt "$FIRST" ]; then
    smtp-source $REUSE -s "$SESSIONS" -l 1024 -m "$((WARMUP - FIRST))" -f a@example.net -t samt@example.org 127.0.0.1:"$PORT"
  fi
  sleep 1
  local tracer=""
  case $MODE in
    strace) strace -c -f -p "$pid" -o "$BASE/strace.txt" & tracer=$!; sleep 1 ;;
    perf) perf record -F 499 -g -p "$pid" -o "$BASE/perf.data" >/dev/null 2>&1 & tracer=$!; sleep 1 ;;
    ctx) perf stat -e context-switches,cpu-migrations -x, -p "$pid" -o "$BASE/ctx.txt" & tracer=$!; sleep 1 ;;
    wakeups) perf record -e sched:sched_wakeup -e sched:sched_switch --call-graph "${WAKEUP_CALL_GRAPH:-fp}" -p "$pid" -o "$BASE/wakeups.data" >/dev/null 2>&1 & tracer=$!; sleep 1 ;;
  esac
  local jitted_before=0
  [ "$MODE" = jit ] && jitted_before=$(wc -l <"$BASE/jit.txt")
  before=$(awk '{print $14+$15}' "/proc/$pid/stat")
  start=$(now)
  smtp-source $REUSE -s "$SESSIONS" -l 1024 -m "$N" -f a@example.net -t samt@example.org 127.0.0.1:"$PORT"
  end=$(now)
  after=$(awk '{print $14+$15}' "/proc/$pid/stat")
  if [ -n "$tracer" ]; then kill -INT "$tracer"; wait "$tracer" || true; fi
  if [ "$MODE" = strace ]; then
    extra=" per message: $(awk -v n="$N" '$NF ~ /^(fsync|fdatasync|syncfs|openat|rename|unlink|pwrite64|fcntl|futex|sched_yield)$/ { printf "%s=%.1f ", $NF, $4 / n }' "$BASE/strace.txt")"
  fi
  if [ "$MODE" = ctx ]; then
    extra=" per message: $(awk -F, -v n="$N" '$3 ~ /^(context-switches|cpu-migrations)$/ { printf "%s=%.1f ", $3, $1 / n }' "$BASE/ctx.txt")"
  fi
  kill "$pid"; wait "$pid" 2>/dev/null || true
  if [ "$MODE" = jit ]; then
    # The runtime writes the list through a buffer, flushed at exit: counted once the server stopped, so the figure is
    # the methods compiled from the measured messages on, shutdown included (give or take one buffer, ~25 lines).
    tail -n +"$((jitted_before + 1))" "$BASE/jit.txt" >"$BASE/jit-measured.txt"
    extra=" jitted during the measured messages: $(wc -l <"$BASE/jit-measured.txt") of $(wc -l <"$BASE/jit.txt") (list: $BASE/jit-measured.txt)"
  fi
  echo "${first}accepted/s=$(rate "$N" "$start" "$end") cpu_ms/msg=$(cpu_per_message "$before" "$after" "$N") load=$(cut -d' ' -f1-3 /proc/loadavg)$extra"
}

machine
echo "- $N × 1 KB measured after $WARMUP unmeasured (the first $FIRST of them measured apart), $SESSIONS sessions, mode $MODE, $([ -n "$REUSE" ] && echo "connections reused" || echo "one connection per message")"
for round in $(seq 1 "$ROUNDS"); do
  for variant in "${VARIANTS[@]}"; do
    echo "round $round ${variant:-main}: $(one_run "$variant")"
  done
done
[ "$MODE" = perf ] && echo "profile: perf report -i $BASE/perf.data --no-children --sort dso,sym -g none"
if [ "$MODE" = wakeups ]; then echo "wakers: perf script -i $BASE/wakeups.data (last round; WAKEUP_CALL_GRAPH=dwarf,32768 unwinds through libc to the first managed frame)"; fi
