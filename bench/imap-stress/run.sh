#!/usr/bin/env bash
# imaptest stress, Mailroom vs a private Dovecot (Debian dovecot-imapd, its own config, base_dir and port) on the same
# machine: CLIENTS clients change one mailbox for SECS seconds while imaptest tracks the state every session must see
# (EXISTS/EXPUNGE, UIDs, flags, keywords, contents); any "Error:" line is a server fault. Two profiles: imaptest's
# default (a LOGIN ... LOGOUT cycle per client) and logout=0 (sessions kept open). Rounds alternate which server goes
# first; the medians of commands/s and the error counts are printed per server and profile.
# Runs ../shared/tools/imaptest/run.sh with no scripted test, only its stress run (IMAPTEST_BIN overrides the binary).
#   usage: flock /tmp/bench-run.sh.lock bench/imap-stress/run.sh [clients] [seconds] [rounds]   (defaults 20, 60, 3)
#   ports (127.0.0.1): MR_PORT (Mailroom, 24343) and DV_PORT (Dovecot, 24344)
source "$(dirname "$0")/../common.sh"
CLIENTS=${1:-20}
SECS=${2:-60}
ROUNDS=${3:-3}
WORK=/var/tmp/imap-stress-bench
MR_PORT=${MR_PORT:-24343}
DV_PORT=${DV_PORT:-24344}
IMAPTEST_RUN=${IMAPTEST_RUN:-$ROOT/../shared/tools/imaptest/run.sh}
[ -x "$IMAPTEST_RUN" ] || IMAPTEST_RUN=/work/shared/tools/imaptest/run.sh
[ -x "$IMAPTEST_RUN" ] || { echo "no imaptest run.sh (set IMAPTEST_RUN)" >&2; exit 1; }
command -v dovecot >/dev/null && [ -x /usr/lib/dovecot/imap ] || { echo "install dovecot-imapd first" >&2; exit 1; }

rm -rf "$WORK"; mkdir -p "$WORK/dovecot/mail" "$WORK/logs"
build_mailroom
mailroom domain add example.org --create --data "$WORK/mailroom" >/dev/null
echo secret | mailroom user add stress@example.org --password-stdin --data "$WORK/mailroom" >/dev/null
id vmail >/dev/null 2>&1 || useradd -r -u 5000 -U vmail
chown -R vmail:vmail "$WORK/dovecot/mail"
dovecot_user stress@example.org "$WORK/dovecot/mail/stress" > "$WORK/dovecot/users"
# Dovecot's default of 10 connections per user and address would refuse half of the clients.
dovecot_start "$WORK/dovecot" imap=$DV_PORT max_userip=$((CLIENTS * 2 + 10))
dotnet "$MAILROOM_DLL" serve --data "$WORK/mailroom" --set Imap:BindAddresses:0=127.0.0.1 --set Imap:Port=$MR_PORT --set Imap:ImapsPort=-1 \
  --set Pop3:Port=-1 --set Pop3:Pop3sPort=-1 --set Smtp:Port=-1 --set Smtp:SubmissionPort=-1 --set Smtp:SmtpsPort=-1 \
  --set ManageSieve:Port=-1 --set Metrics:Listen= --set Net:MaxConnectionsPerIp=0 --set Log:Console=false >/dev/null 2>&1 &
MR_PID=$!
trap 'kill $MR_PID 2>/dev/null; dovecot_stop "$WORK/dovecot"' EXIT
wait_for_port $MR_PORT; wait_for_port $DV_PORT

# stress PORT PROFILE LOG: one stress run; prints "commands/s errors" ("0 -1" when imaptest gave no totals).
stress() {
  local args=""; [ "$2" != default ] && args=$2
  # A failing run is a result (its error count is reported), not a reason to stop the rounds.
  IMAPTEST_ONLY=none IMAPTEST_STRESS_SECS=$SECS IMAPTEST_STRESS_CLIENTS=$CLIENTS IMAPTEST_STRESS_ARGS=$args \
    IMAPTEST_LOGDIR="$3" "$IMAPTEST_RUN" 127.0.0.1 "$1" stress@example.org secret > "$3.out" 2>&1 || true
  sed -n 's/.*all commands: \([0-9]*\) in \([0-9]*\)s (~[0-9]*\/s); state-tracking errors: \([0-9]*\).*/\1 \2 \3/p' "$3.out" |
    awk '{ printf "%.0f %d\n", $1 / $2, $3 }' | grep . || echo "0 -1"
}

echo "### IMAP stress (imaptest): $CLIENTS clients, $SECS s per run, $ROUNDS alternating rounds per profile"
echo
machine
echo "- Dovecot $(dovecot --version | cut -d' ' -f1) imap on Maildir (private instance); Mailroom \`serve\` (Release, ReadyToRun), defaults but for its ports and Net:MaxConnectionsPerIp=0"
echo "- command: \`flock /tmp/bench-run.sh.lock bench/imap-stress/run.sh $CLIENTS $SECS $ROUNDS\` (imaptest stress through \`../shared/tools/imaptest/run.sh\`)"
echo
echo '```'
RESULTS=$WORK/results
for profile in default logout=0; do
  for r in $(seq 1 "$ROUNDS"); do
    order="Dovecot:$DV_PORT Mailroom:$MR_PORT"; [ $((r % 2)) = 0 ] && order="Mailroom:$MR_PORT Dovecot:$DV_PORT"
    for name in $order; do
      server=${name%%:*}
      read -r rate errors < <(stress "${name#*:}" "$profile" "$WORK/logs/$server-$profile-$r")
      echo "$server $profile round $r: $rate commands/s, $errors errors, load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$RESULTS"
    done
  done
done
echo '```'
echo
echo "| profile | Dovecot commands/s (median) | Mailroom commands/s (median) | Mailroom ÷ Dovecot | errors Dovecot / Mailroom (all rounds) |"
echo "|---|---|---|---|---|"
for profile in default logout=0; do
  d=$(awk -v p="$profile" '$1=="Dovecot" && $2==p {print $5}' "$RESULTS" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')
  m=$(awk -v p="$profile" '$1=="Mailroom" && $2==p {print $5}' "$RESULTS" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')
  de=$(awk -v p="$profile" '$1=="Dovecot" && $2==p {s+=$7} END{print s+0}' "$RESULTS")
  me=$(awk -v p="$profile" '$1=="Mailroom" && $2==p {s+=$7} END{print s+0}' "$RESULTS")
  echo "| $profile | $d | $m | $(ratio "$m" "$d")× | $de / $me |"
done
echo
echo "(logs, with imaptest's first errors if any: $WORK/logs)"
