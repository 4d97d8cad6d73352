#!/usr/bin/env bash
# IMAP SORT and THREAD: SORT (DATE), SORT (SUBJECT), SORT (FROM) and THREAD REFERENCES over a 10,000-message
# mailing-list-like folder, Mailroom vs Dovecot's imap (Debian dovecot-imapd) serving identical copies of the Maildir.
# The first round builds each server's cache (Dovecot's dovecot.index.cache, Mailroom's sort keys in its index); the
# digests in brackets show whether the two servers' answers are byte-for-byte the same. Then each command runs 20 more
# times and the server's CPU time per command is printed (Dovecot: its session's imap process; Mailroom: the server).
# Then all servers run side by side (sort.py compare): rounds alternating between them, medians of server CPU per command.
#   usage: bench/imap-sort/run.sh [messages]   (default 10000); ports MR_PORT (Mailroom, 22401) and DV_PORT (Dovecot, 22402)
#   BEFORE_DLL=/path/to/mailroom.dll (an earlier build, e.g. published from main) adds it as a third server on its own
#   copy of the mailbox (port MR_BEFORE_PORT, 22403): a before/after table from one run on the same load.
#   SORT_BENCH_ALL_KEYS=1 adds every other sort key, a multi-key sort and THREAD ORDEREDSUBJECT to the commands.
source "$(dirname "$0")/../common.sh"
N=${1:-10000}
WORK=/var/tmp/imap-sort-bench
MR_PORT=${MR_PORT:-22401}
DV_PORT=${DV_PORT:-22402}
MR_BEFORE_PORT=${MR_BEFORE_PORT:-22403}
BEFORE_DLL=${BEFORE_DLL:-}
command -v dovecot >/dev/null && [ -x /usr/lib/dovecot/imap ] || { echo "install dovecot-imapd first" >&2; exit 1; }

rm -rf "$WORK"; mkdir -p "$WORK"
build_mailroom
mailroom domain add example.org --create --data "$WORK/mailroom" >/dev/null
echo secret | mailroom user add bench@example.org --password-stdin --data "$WORK/mailroom" >/dev/null
python3 "$ROOT/bench/imap-sort/sort.py" fill "$WORK/mailroom/mail/example.org/bench" --count "$N"

mkdir -p "$WORK/dovecot/mail/example.org"
cp -a "$WORK/mailroom/mail/example.org/bench" "$WORK/dovecot/mail/example.org/bench"
id vmail >/dev/null 2>&1 || useradd -r -u 5000 -U vmail
chown -R vmail:vmail "$WORK/dovecot/mail"
dovecot_user bench@example.org "$WORK/dovecot/mail/example.org/bench" > "$WORK/dovecot/users"
dovecot_start "$WORK/dovecot" imap=$DV_PORT
[ -z "$BEFORE_DLL" ] || cp -a "$WORK/mailroom" "$WORK/mailroom-before"
# exec: a backgrounded function is a subshell; exec makes its pid ($!) the server's own.
serve_mailroom() {
  exec dotnet "$1" serve --data "$2" --set Imap:BindAddresses:0=127.0.0.1 --set Imap:Port=$3 --set Imap:ImapsPort=-1 \
    --set Pop3:Port=-1 --set Pop3:Pop3sPort=-1 --set Smtp:Port=-1 --set Smtp:SubmissionPort=-1 --set Smtp:SmtpsPort=-1 \
    --set ManageSieve:Port=-1 --set Metrics:Listen= --set Log:Console=false >/dev/null 2>&1
}
serve_mailroom "$MAILROOM_DLL" "$WORK/mailroom" $MR_PORT &
MR_PID=$!
MR_BEFORE_PID=
if [ -n "$BEFORE_DLL" ]; then serve_mailroom "$BEFORE_DLL" "$WORK/mailroom-before" $MR_BEFORE_PORT & MR_BEFORE_PID=$!; fi
trap 'kill $MR_PID $MR_BEFORE_PID 2>/dev/null; dovecot_stop "$WORK/dovecot"' EXIT
wait_for_port $MR_PORT; wait_for_port $DV_PORT
[ -z "$BEFORE_DLL" ] || wait_for_port $MR_BEFORE_PORT

run() { python3 "$ROOT/bench/imap-sort/sort.py" run --port "$1" --user bench@example.org --password secret --rounds 4 "${@:2}"; }

echo "### IMAP SORT/THREAD: $N messages in threads; SORT (DATE), (SUBJECT), (FROM), THREAD REFERENCES, seconds per command"
echo
machine
echo "- Dovecot $(dovecot --version | cut -d' ' -f1) imap on Maildir (its own copy); Mailroom \`serve\` (Release, ReadyToRun)"
echo "- command: \`bench/imap-sort/run.sh $N\` (client: \`python3 bench/imap-sort/sort.py run --port PORT ...\`, raw sockets)"
echo
echo '```'
echo "Dovecot:"; run $DV_PORT --comm imap | sed 's/^/  /'
echo "Mailroom:"; run $MR_PORT --pid $MR_PID | sed 's/^/  /'
echo "Side by side, alternating (load average before: $(cut -d' ' -f1-3 /proc/loadavg)):"
servers=(--server "dovecot=$DV_PORT:comm=imap" --server "mailroom=$MR_PORT:pid=$MR_PID")
[ -z "$BEFORE_DLL" ] || servers+=(--server "mailroom-before=$MR_BEFORE_PORT:pid=$MR_BEFORE_PID")
python3 "$ROOT/bench/imap-sort/sort.py" compare --user bench@example.org --password secret "${servers[@]}" | sed 's/^/  /'
echo "  (load average after: $(cut -d' ' -f1-3 /proc/loadavg))"
echo '```'
