#!/usr/bin/env bash
# The IMAP cost attacks of issue 13 (pre-login literal, huge address list, FETCH item list, LIST pattern, a message
# without header), each against a freshly started server, printing its peak RSS and the attack's duration.
#   usage: [FETCH_ITEMS=300] [SERVER_SET="--set Imap:MaxFetchItems=300"] bench/imap-attacks/run.sh [mailroom.dll] [attack...]
#   default: this checkout, published to artifacts/bench; every attack (literal literal-sync envelope fetch list headerless)
# Loopback only, port 21043 (IMAP; every other listener disabled).
source "$(dirname "$0")/../common.sh"
DLL=${1:-}
shift || true
ATTACKS=${*:-literal literal-sync envelope fetch list headerless}
PORT=21043
WORK=/var/tmp/imap-attacks

if [ -z "$DLL" ]; then
  build_mailroom
  DLL=$MAILROOM_DLL
fi

rm -rf "$WORK"; mkdir -p "$WORK"
dotnet "$DLL" domain add example.org --create --data "$WORK/data" >/dev/null
echo secret | dotnet "$DLL" user add bench@example.org --password-stdin --data "$WORK/data" >/dev/null
python3 "$ROOT/bench/imap-attacks/attacks.py" plant "$WORK/data/mail/example.org/bench"

for attack in $ATTACKS; do
  dotnet "$DLL" serve --data "$WORK/data" --set Imap:BindAddresses:0=127.0.0.1 --set Imap:Port=$PORT --set Imap:ImapsPort=-1 \
    --set Pop3:Port=-1 --set Pop3:Pop3sPort=-1 --set Smtp:Port=-1 --set Smtp:SubmissionPort=-1 --set Smtp:SmtpsPort=-1 \
    --set Log:Console=false ${SERVER_SET:-} >"$WORK/server.log" 2>&1 &
  pid=$!
  wait_for_port $PORT
  # Let the server settle (JIT, first folder load) so that the baseline is its idle size.
  python3 - "$PORT" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=30)
f = s.makefile("rb")
f.readline()
for tag, cmd in ((b"a", b"LOGIN bench@example.org secret"), (b"b", b"EXAMINE INBOX"), (b"c", b"LOGOUT")):
    s.sendall(tag + b" " + cmd + b"\r\n")
    while not f.readline().startswith(tag + b" "):
        pass
PY
  python3 "$ROOT/bench/imap-attacks/attacks.py" run "$attack" --port $PORT --pid $pid --items "${FETCH_ITEMS:-300}" || true
  kill $pid 2>/dev/null; wait $pid 2>/dev/null || true
done
