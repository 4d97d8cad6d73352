#!/usr/bin/env bash
# IMAP first access of a Maildir copied in by another program, two Mailroom builds side by side (a before/after in one
# run): each round gives both a fresh copy of the copied-in template of bench/imap/first-access.sh (run that once
# first), rounds alternate which build goes first, round 0 warms both up and is not counted. Each figure is the first
# EXAMINE + FETCH 1:* (FLAGS ENVELOPE RFC822.SIZE) and the server's CPU time over both (utime + stime of its process).
#   usage: bench/imap/copied-ab.sh BEFORE.dll AFTER.dll [rounds]   (default 6; publish each with build_mailroom's flags)
# Ports (127.0.0.1): AB_IMAP_A, AB_IMAP_B (defaults 23145, 23146). Run under flock /tmp/bench-copied-ab.sh.lock.
# AB_TEMPLATE=DIR: another Maildir template, e.g. first-access.sh's delivered one (mailroom/mail/example.org/tmpl).
source "$(dirname "$0")/../common.sh"
ROUNDS=${3:-6}
TEMPLATE=${AB_TEMPLATE:-/var/tmp/imap-first-access/copied}
WORK=/var/tmp/imap-copied-ab
[ -d "$TEMPLATE/new" ] || { echo "run bench/imap/first-access.sh first (it makes $TEMPLATE)" >&2; exit 1; }
declare -A DLL PORT DATA PID
DLL[A]=$1; DLL[B]=$2; PORT[A]=${AB_IMAP_A:-23145}; PORT[B]=${AB_IMAP_B:-23146}
rm -rf "$WORK"; mkdir -p "$WORK"
for k in A B; do
  DATA[$k]=$WORK/$k
  dotnet "${DLL[$k]}" domain add example.org --create --data "${DATA[$k]}" >/dev/null 2>&1
  for r in $(seq 0 "$ROUNDS"); do
    echo secret | dotnet "${DLL[$k]}" user add "c$r@example.org" --password-stdin --data "${DATA[$k]}" >/dev/null 2>&1
    mkdir -p "${DATA[$k]}/mail/example.org"
    cp -a "$TEMPLATE" "${DATA[$k]}/mail/example.org/c$r"
  done
  # serve runs as its service user when started as root: the copies are theirs, as in first-access.sh.
  id mailroom >/dev/null 2>&1 && chown -R mailroom:mailroom "${DATA[$k]}"
done
sync
for k in A B; do
  dotnet "${DLL[$k]}" serve --data "${DATA[$k]}" --set Imap:BindAddresses:0=127.0.0.1 --set Imap:Port=${PORT[$k]} --set Imap:ImapsPort=-1 \
    --set Smtp:Port=-1 --set Smtp:SubmissionPort=-1 --set Smtp:SmtpsPort=-1 --set Pop3:Port=-1 --set Pop3:Pop3sPort=-1 \
    --set ManageSieve:Port=-1 --set Net:MaxConnectionsPerIp=0 --set Metrics:Listen= --set Log:Console=false >/dev/null 2>&1 &
  PID[$k]=$!
done
trap 'kill ${PID[A]} ${PID[B]} 2>/dev/null' EXIT
wait_for_port "${PORT[A]}"; wait_for_port "${PORT[B]}"

RESULTS=$WORK/results
echo '```'
echo "load average before the rounds: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 0 "$ROUNDS"); do
  order="A B"; [ $((r % 2)) = 1 ] && order="B A"
  for k in $order; do
    echo "$k round $r: $(python3 "$ROOT/bench/imap/bench.py" first --port "${PORT[$k]}" --user "c$r@example.org" --password secret --server-pid "${PID[$k]}")"
  done
done | tee "$RESULTS"
echo "load average after the rounds: $(cut -d' ' -f1-3 /proc/loadavg)"
echo '```'
python3 - "$RESULTS" <<'PY'
import re, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    m = re.match(r"(\w) round (\d+): select=([\d.]+)s fetch_envelope=([\d.]+)s cpu=([\d.]+)s", line)
    if m and m[2] != "0":
        runs.setdefault(m[1], []).append((float(m[3]) + float(m[4]), float(m[3]), float(m[4]), float(m[5])))
print("| build | EXAMINE + FETCH (median s) | EXAMINE | FETCH | server CPU |")
print("|---|---|---|---|---|")
for k, name in (("A", "before"), ("B", "after")):
    v = runs[k]
    print(f"| {name} | " + " | ".join(f"{statistics.median(x[i] for x in v):.3f}" for i in range(4)) + " |")
PY
