#!/usr/bin/env bash
# Directory lookup cost, this tree against another commit (default: main), side by side in one run:
#   bench/directory/run.sh [BASE_COMMIT] [LOOKUPS] [ROUNDS]
# Builds bench/directory against both trees' Mailroom.Directory, then alternates rounds (base, this, base, ...)
# and prints each round and the medians in ns per lookup, with the load average. Loopback-free: a SQLite file only.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BASE=${1:-main}
LOOKUPS=${2:-100000}
ROUNDS=${3:-5}
WORK=$(mktemp -d /tmp/mailroom-bench-directory.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

mkdir -p "$WORK/base"
git -C "$ROOT" archive "$BASE" src Directory.Build.props Directory.Packages.props | tar -x -C "$WORK/base"
dotnet build "$ROOT/bench/directory" -c Release -p:MailroomSrc="$WORK/base/src" -o "$WORK/out-base" >/dev/null
dotnet build "$ROOT/bench/directory" -c Release -o "$WORK/out-this" >/dev/null

declare -a base_ns this_ns
for round in $(seq 1 "$ROUNDS"); do
  b=$(dotnet "$WORK/out-base/DirectoryLookups.dll" "$LOOKUPS" | awk '{print $1}')
  t=$(dotnet "$WORK/out-this/DirectoryLookups.dll" "$LOOKUPS" | awk '{print $1}')
  base_ns+=("$b"); this_ns+=("$t")
  echo "round $round: $BASE $b ns/lookup, this tree $t ns/lookup, load average $(cut -d' ' -f1-3 /proc/loadavg)"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "median over $ROUNDS rounds of $LOOKUPS lookups: $BASE $(median "${base_ns[@]}") ns/lookup, this tree $(median "${this_ns[@]}") ns/lookup"
