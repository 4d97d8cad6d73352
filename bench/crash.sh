#!/usr/bin/env bash
# Crash consistency at scale (DESIGN invariant 1): the kill -9 test of tests/Mailroom.Interop.Tests/CrashTests.cs,
# run with more rounds and messages than CI can afford. Four SMTP senders load the real server; at a random moment
# after each round's share of messages was acknowledged it is killed with SIGKILL and restarted on the same data.
# At the end every acknowledged message must be in the mailbox: 0 lost. Duplicates (at-least-once delivery after a
# kill between the mailbox fsync and the queue entry's removal) are counted and reported.
#
#   bench/crash.sh [ROUNDS] [MESSAGES]     defaults: 10 rounds, 10000 acknowledged messages in all
#
# Loopback only, ephemeral ports; every round is bounded in time by the test (120 s).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rounds=${1:-10}
messages=${2:-10000}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

dotnet build "$ROOT/tests/Mailroom.Interop.Tests" -c Release >/dev/null
start=$(date +%s)
MAILROOM_CRASH_ROUNDS=$rounds MAILROOM_CRASH_MESSAGES=$messages \
  dotnet test "$ROOT/tests/Mailroom.Interop.Tests" -c Release --no-build \
    --filter "FullyQualifiedName~CrashTests" --logger "console;verbosity=detailed" >"$log" 2>&1 || status=$?
elapsed=$(( $(date +%s) - start ))

grep -E "random seed|round [0-9]+:|were lost" "$log" | sed 's/^ *//' || true
summary=$(grep -Eo "crash summary: .*" "$log" | tail -n 1 || true)
if [ -z "$summary" ] || [ "${status:-0}" != "0" ]; then
  tail -n 40 "$log"
  echo "FAILED after ${elapsed}s"
  exit 1
fi
echo "$summary (${elapsed}s, $(nproc) cores)"
