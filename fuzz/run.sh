#!/usr/bin/env bash
# Fuzzes Mailroom's parsers and protocol sessions with libFuzzer (see README "Fuzzing").
#
#   fuzz/run.sh TARGET[,TARGET...]|all SECONDS [libFuzzer flags...]
#
# Builds the harness (fuzz/Mailroom.Fuzz), instruments the Mailroom assemblies with SharpFuzz, builds the native
# bridge (fuzz/bridge/dotnet-bridge.c) with clang's libFuzzer, then fuzzes each target for SECONDS, starting from
# fuzz/corpus/TARGET (read only) and fuzz/regressions/TARGET; inputs that found new coverage go to
# artifacts/fuzz/corpus/TARGET. A crash, an exception, a broken invariant, an input slower than FUZZ_TIMEOUT seconds
# or a harness above FUZZ_RSS_MB of memory stops that target: the input is saved under artifacts/fuzz/findings/TARGET/,
# printed, and the script exits 1 after the other targets ran.
#
# Environment: FUZZ_TIMEOUT (per input, default 10 s), FUZZ_RSS_MB (default 2048), FUZZ_OUT (default artifacts/fuzz).
# Needs: clang and libclang-rt-14-dev (Debian 12) or a clang with -fsanitize=fuzzer; the .NET SDK.
set -uo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 2 ]; then
  echo "usage: fuzz/run.sh TARGET[,TARGET...]|all SECONDS [libFuzzer flags...]" >&2
  exit 2
fi
what=$1
seconds=$2
shift 2

timeout=${FUZZ_TIMEOUT:-10}
rss_mb=${FUZZ_RSS_MB:-2048}
out=${FUZZ_OUT:-artifacts/fuzz}
mkdir -p "$out"
out=$(realpath "$out")
harness_dir=$out/harness

echo "== fuzz: building the harness"
rm -rf "$harness_dir"
if ! dotnet publish fuzz/Mailroom.Fuzz/Mailroom.Fuzz.csproj -c Release -o "$harness_dir" -nologo -v quiet >"$out/publish.log" 2>&1; then
  cat "$out/publish.log"
  exit 1
fi

declare -A max_len dict
targets=()
while IFS=$'\t' read -r name length dictionary _; do
  targets+=("$name")
  max_len[$name]=$length
  dict[$name]=$dictionary
done < <("$harness_dir/Mailroom.Fuzz" --list)  # before instrumenting: instrumented code runs only under the fuzzer

if [ "$what" != "all" ]; then
  IFS=, read -r -a targets <<<"$what"
  for target in "${targets[@]}"; do
    if [ -z "${max_len[$target]:-}" ]; then
      echo "unknown target $target; targets: $("$harness_dir/Mailroom.Fuzz" --list | cut -f1 | tr '\n' ' ')" >&2
      exit 2
    fi
  done
fi

echo "== fuzz: instrumenting the Mailroom assemblies"
(cd fuzz && dotnet tool restore >/dev/null) || exit 1
for dll in "$harness_dir"/Mailroom.*.dll; do
  [ "$(basename "$dll")" = "Mailroom.Fuzz.dll" ] && continue
  if ! (cd fuzz && dotnet tool run sharpfuzz "$dll" >/dev/null); then
    echo "sharpfuzz failed on $dll" >&2
    exit 1
  fi
done

echo "== fuzz: building the libFuzzer bridge"
clang=$(command -v clang || command -v clang-14 || true)
if [ -z "$clang" ]; then
  echo "clang is missing (apt-get install clang libclang-rt-14-dev)" >&2
  exit 1
fi
"$clang" -fsanitize=fuzzer -O2 -Wall -Werror -o "$out/dotnet-bridge" fuzz/bridge/dotnet-bridge.c || exit 1

failed=()
for target in "${targets[@]}"; do
  corpus=$out/corpus/$target
  findings=$out/findings/$target
  mkdir -p "$corpus" "$findings"
  seeds=()
  for dir in fuzz/corpus/$target fuzz/regressions/$target; do
    [ -d "$dir" ] && seeds+=("$dir")
  done
  flags=(
    -max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb="$rss_mb" -max_len="${max_len[$target]}"
    -artifact_prefix="$findings/" -print_final_stats=1 -reload=0
  )
  [ "${dict[$target]}" != "-" ] && flags+=(-dict="fuzz/dict/${dict[$target]}")
  echo "== fuzz: $target for ${seconds}s"
  log=$out/$target.log
  "$out/dotnet-bridge" "${flags[@]}" "$@" --dotnet="$harness_dir/Mailroom.Fuzz" --target="$target" \
    "$corpus" "${seeds[@]}" >"$log" 2>&1
  status=$?
  grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb|Done [0-9]+ runs)' "$log" | tr '\n' ' '
  echo
  if [ "$status" != "0" ]; then
    failed+=("$target")
    echo "!! $target failed (libFuzzer exit $status); the end of its log:"
    tail -n 60 "$log"
    for file in "$findings"/*; do
      [ -f "$file" ] || continue
      echo "-- input $file ($(stat -c %s "$file") bytes), base64:"
      head -c 4096 "$file" | base64
      echo "-- replay: dotnet run --project fuzz/Mailroom.Fuzz -c Release -- $target $file"
    done
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: failures in ${failed[*]}"
  exit 1
fi
echo "fuzz: ${#targets[@]} targets ran ${seconds}s each without a finding"
