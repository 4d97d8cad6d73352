# Shared helpers for the benchmark scripts (sourced). Loopback only; every loop is bounded.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MAILROOM_DLL="$ROOT/artifacts/bench/mailroom.dll"

build_mailroom() {
  # SKIP_BUILD=1 reuses an existing publish (several scripts in a row, one build).
  if [ "${SKIP_BUILD:-0}" = 1 ] && [ -f "$MAILROOM_DLL" ]; then return 0; fi
  # ReadyToRun, as Mailroom ships: short runs would otherwise measure the JIT warming up. Framework-dependent and not
  # single-file (unlike the shipped binary), so that `dotnet mailroom.dll` runs it.
  dotnet publish "$ROOT/src/Mailroom" -c Release -r linux-x64 --self-contained false -p:PublishSingleFile=false -p:PublishReadyToRun=true -o "$ROOT/artifacts/bench" >/dev/null
}

# Foreground use only: a backgrounded function is a subshell whose $! is not the server process.
mailroom() { dotnet "$MAILROOM_DLL" "$@"; }

now() { date +%s.%N; }

# wait_for_files DIR COUNT TIMEOUT_SECONDS: waits until DIR holds COUNT files; prints the time it happened.
wait_for_files() {
  local dir=$1 count=$2 limit=$3 start
  start=$(now)
  while :; do
    local have
    have=$(find "$dir" -type f 2>/dev/null | wc -l)
    if [ "$have" -ge "$count" ]; then now; return 0; fi
    if awk -v s="$start" -v n="$(now)" -v l="$limit" 'BEGIN{exit !(n-s>l)}'; then
      echo "timeout: $have of $count files in $dir" >&2; now; return 1
    fi
    sleep 0.05
  done
}

wait_for_port() {
  local port=$1
  for _ in $(seq 1 200); do
    if (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "port $port did not open" >&2; return 1
}

# median_of_3 CMD...: runs a command printing one number three times and prints the median (the machine is noisy).
median_of_3() {
  local a b c
  a=$("$@"); b=$("$@"); c=$("$@")
  printf '%s\n%s\n%s\n' "$a" "$b" "$c" | sort -n | sed -n 2p
}

rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN{ printf "%.0f", n/(b-a) }'; }
ratio() { awk -v x="$1" -v y="$2" 'BEGIN{ if (y>0) printf "%.2f", x/y; else print "n/a" }'; }

machine() {
  echo "- machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/{print $2}') GiB RAM, $(uname -sr), $(. /etc/os-release; echo "$PRETTY_NAME")"
  echo "- filesystem of /var/tmp: $(df -T /var/tmp | awk 'NR==2{print $2}')"
  echo "- date: $(date -u +%Y-%m-%dT%H:%MZ)"
}
