#!/usr/bin/env bash
# IMAP first access, Mailroom vs Dovecot (Debian dovecot-imapd + dovecot-lmtpd): the first EXAMINE + FETCH 1:* (FLAGS
# ENVELOPE RFC822.SIZE) of a fresh N-message (~4 KB) INBOX, in two cases:
#   delivered: the messages came through each server's own delivery path (Mailroom: SMTP → queue → store, which
#              indexes each message as it saves it; Dovecot: LMTP), once into a template mailbox;
#   copied:    the files were put into the Maildir by another program (bench/pop3/bench.py fill), no index at all.
# Each round gives both servers a fresh copy (cp -a, index files included) of each template under a new user, so every
# measured access is a first access; rounds alternate which server goes first; medians are printed at the end.
#   usage: bench/imap/first-access.sh [messages] [rounds]   (defaults 10000 and 5)
# Ports (127.0.0.1): MR_IMAP, MR_SMTP, DV_IMAP, DV_LMTP (defaults 23143, 23125, 23144, 23124).
# MR_SET: more options for Mailroom's serve (e.g. "--set Store:DeliveryIndexWait=0", numbering left to the reader).
# EXTRA_TEMPLATE=USER (with REUSE=1): one more Mailroom-only case per round, "extra first", from a copy of the Maildir
# <mailroom>/mail/example.org/USER kept from an earlier run (a before/after of the delivery path in the same run: move
# the old tmpl there; REUSE=1 delivers Mailroom's tmpl again when it is missing).
source "$(dirname "$0")/../common.sh"
N=${1:-10000}
ROUNDS=${2:-5}
WORK=/var/tmp/imap-first-access
MR_IMAP=${MR_IMAP:-23143}; MR_SMTP=${MR_SMTP:-23125}; DV_IMAP=${DV_IMAP:-23144}; DV_LMTP=${DV_LMTP:-23124}
command -v dovecot >/dev/null && [ -x /usr/lib/dovecot/imap ] && [ -x /usr/lib/dovecot/lmtp ] \
  || { echo "install dovecot-imapd and dovecot-lmtpd first" >&2; exit 1; }

# REUSE=1: keep the delivered templates of an earlier run of the same N and ROUNDS (delivering 10,000 messages twice
# takes minutes on a loaded machine); only the per-round copies are made again, for the build under test.
REUSE=${REUSE:-0}
build_mailroom
USERS="tmpl $(for r in $(seq 1 "$ROUNDS"); do echo "d$r c$r"; done)"
if [ "$REUSE" = 1 ]; then
  for r in $(seq 1 "$ROUNDS"); do rm -rf "$WORK"/{mailroom,dovecot}/mail/example.org/{d,c,x}"$r"; done
  rm -f "$WORK/results"
  if [ -n "${EXTRA_TEMPLATE:-}" ]; then
    for r in $(seq 1 "$ROUNDS"); do echo secret | mailroom user add "x$r@example.org" --password-stdin --data "$WORK/mailroom" >/dev/null 2>&1 || true; done
  fi
else
rm -rf "$WORK"; mkdir -p "$WORK"
mailroom domain add example.org --create --data "$WORK/mailroom" >/dev/null
for u in $USERS; do echo secret | mailroom user add "$u@example.org" --password-stdin --data "$WORK/mailroom" >/dev/null; done
fi

mkdir -p "$WORK/dovecot/mail/example.org"
id vmail >/dev/null 2>&1 || useradd -r -u 5000 -U vmail
chown -R vmail:vmail "$WORK/dovecot/mail"
for u in $USERS; do dovecot_user "$u@example.org" "$WORK/dovecot/mail/example.org/$u"; done > "$WORK/dovecot/users"
dovecot_start "$WORK/dovecot" imap=$DV_IMAP lmtp=$DV_LMTP
dotnet "$MAILROOM_DLL" serve --data "$WORK/mailroom" --set Imap:BindAddresses:0=127.0.0.1 --set Imap:Port=$MR_IMAP --set Imap:ImapsPort=-1 \
  --set Smtp:BindAddresses:0=127.0.0.1 --set Smtp:Port=$MR_SMTP --set Smtp:SubmissionPort=-1 --set Smtp:SmtpsPort=-1 \
  --set Pop3:Port=-1 --set Pop3:Pop3sPort=-1 --set Net:MaxConnectionsPerIp=0 --set Log:Console=false ${MR_SET:-} >/dev/null 2>&1 &
MR_PID=$!
trap 'kill $MR_PID 2>/dev/null; dovecot_stop "$WORK/dovecot"' EXIT
wait_for_port $MR_IMAP; wait_for_port $MR_SMTP; wait_for_port $DV_IMAP; wait_for_port $DV_LMTP

echo "### IMAP first access: $N messages (~4 KB), delivered vs copied in, $ROUNDS alternating rounds"
echo
machine
echo "- Dovecot $(dovecot --version | cut -d' ' -f1) (imap, lmtp) on Maildir; Mailroom \`serve\` (Release, ReadyToRun)"
echo "- command: \`bench/imap/first-access.sh $N $ROUNDS\`; each figure \`python3 bench/imap/bench.py fetch --port PORT --user USER --password secret\`"
echo
echo '```'
if [ "$REUSE" != 1 ]; then
# The delivery paths, once each (the templates); their time is informative, not the subject here.
echo "Dovecot LMTP delivery: $(python3 "$ROOT/bench/imap/bench.py" deliver --port $DV_LMTP --lmtp --to tmpl@example.org --count "$N")"
echo "Mailroom SMTP delivery: $(python3 "$ROOT/bench/imap/bench.py" deliver --port $MR_SMTP --to tmpl@example.org --count "$N")"
wait_for_files "$WORK/mailroom/mail/example.org/tmpl/new" "$N" 600 >/dev/null
# The queue hands the message to the store before it removes its own files: wait until it is empty too.
for _ in $(seq 1 600); do [ -z "$(find "$WORK/mailroom/queue" -type f ! -name lock 2>/dev/null | head -1)" ] && break; sleep 0.2; done
sleep 2
python3 "$ROOT/bench/pop3/bench.py" fill "$WORK/copied" --count "$N" --size 4096
elif [ ! -d "$WORK/mailroom/mail/example.org/tmpl" ]; then
echo "Mailroom SMTP delivery: $(python3 "$ROOT/bench/imap/bench.py" deliver --port $MR_SMTP --to tmpl@example.org --count "$N")"
wait_for_files "$WORK/mailroom/mail/example.org/tmpl/new" "$N" 600 >/dev/null
for _ in $(seq 1 600); do [ -z "$(find "$WORK/mailroom/queue" -type f ! -name lock 2>/dev/null | head -1)" ] && break; sleep 0.2; done
sleep 2
fi
for r in $(seq 1 "$ROUNDS"); do
  cp -a "$WORK/mailroom/mail/example.org/tmpl" "$WORK/mailroom/mail/example.org/d$r"
  cp -a "$WORK/dovecot/mail/example.org/tmpl" "$WORK/dovecot/mail/example.org/d$r"
  cp -a "$WORK/copied" "$WORK/mailroom/mail/example.org/c$r"
  cp -a "$WORK/copied" "$WORK/dovecot/mail/example.org/c$r"
  # serve runs as its service user: the copy is theirs, as the delivered template is.
  chown -R --reference="$WORK/mailroom/mail/example.org/tmpl" "$WORK/mailroom/mail/example.org/c$r"
  [ -n "${EXTRA_TEMPLATE:-}" ] && cp -a "$WORK/mailroom/mail/example.org/$EXTRA_TEMPLATE" "$WORK/mailroom/mail/example.org/x$r"
done
chown -R vmail:vmail "$WORK/dovecot/mail"
sync

fetch() { python3 "$ROOT/bench/imap/bench.py" fetch --port "$1" --user "$2@example.org" --password secret; }
RESULTS=$WORK/results
for r in $(seq 1 "$ROUNDS"); do
  order="Dovecot:$DV_IMAP Mailroom:$MR_IMAP"; [ $((r % 2)) = 0 ] && order="Mailroom:$MR_IMAP Dovecot:$DV_IMAP"
  for case in d c; do
    for name in $order; do
      line=$(fetch "${name#*:}" "$case$r")
      echo "${name%%:*} round $r $([ $case = d ] && echo delivered || echo copied) first: $line" | tee -a "$RESULTS"
    done
  done
  if [ -n "${EXTRA_TEMPLATE:-}" ]; then
    line=$(fetch "$MR_IMAP" "x$r")
    echo "Mailroom round $r extra first: $line" | tee -a "$RESULTS"
  fi
  for name in $order; do
    line=$(fetch "${name#*:}" "d$r")
    echo "${name%%:*} round $r delivered warm: $line" | tee -a "$RESULTS"
  done
done
echo "load average after the rounds: $(cut -d' ' -f1-3 /proc/loadavg)"
echo '```'
echo
# Medians of EXAMINE + FETCH ENVELOPE (the first access a client makes) per server and case.
python3 - "$RESULTS" <<'PY'
import re, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    m = re.match(r"(\w+) round \d+ (\w+) (\w+): .*select=([\d.]+)s fetch_envelope=([\d.]+)s", line)
    if m:
        runs.setdefault((m[2], m[3], m[1]), []).append(float(m[4]) + float(m[5]))
print("| case | Dovecot (median s) | Mailroom (median s) | Mailroom speed vs Dovecot |")
print("|---|---|---|---|")
for case in ("delivered first", "copied first", "delivered warm", "extra first"):
    key = tuple(case.split())
    if key + ("Mailroom",) not in runs:
        continue
    # The extra template is Mailroom's only: it is set against Dovecot's delivered first access.
    d = statistics.median(runs[(key if key[0] != "extra" else ("delivered", "first")) + ("Dovecot",)])
    m = statistics.median(runs[key + ("Mailroom",)])
    print(f"| {case} | {d:.3f} | {m:.3f} | {d / m:.2f}× |")
PY
