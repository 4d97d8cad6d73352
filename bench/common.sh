# Shared helpers for the benchmark scripts (sourced). Loopback only; every loop is bounded.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# MAILROOM_DLL=path runs another publish (a before/after comparison; with SKIP_BUILD=1 nothing is built).
MAILROOM_DLL="${MAILROOM_DLL:-$ROOT/artifacts/bench/mailroom.dll}"

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

# median: the median of the numbers on stdin, one a line (the mean of the middle two, whole, for an even count).
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN{ printf "%.0f", n/(b-a) }'; }
ratio() { awk -v x="$1" -v y="$2" 'BEGIN{ if (y>0) printf "%.2f", x/y; else print "n/a" }'; }

machine() {
  echo "- machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/{print $2}') GiB RAM, $(uname -sr), $(. /etc/os-release; echo "$PRETTY_NAME")"
  echo "- filesystem of /var/tmp: $(df -T /var/tmp | awk 'NR==2{print $2}')"
  echo "- date: $(date -u +%Y-%m-%dT%H:%MZ)"
}

# dovecot_start DIR imap=PORT [lmtp=PORT] [pop3=PORT] [max_userip=N]: a private Dovecot (Debian's dovecot-imapd,
# -lmtpd, -pop3d), never the system one: its own DIR/dovecot.conf, base_dir DIR/run, log DIR/dovecot.log, plaintext
# PLAIN logins on 127.0.0.1 only, no TLS, Maildir at each user's home. The users are DIR/users, passwd-file lines the
# caller writes first (dovecot_user prints one). Mail is owned by vmail (created here, uid 5000, when missing).
# dovecot_stop DIR stops it (callers put it in their EXIT trap).
dovecot_start() {
  local dir=$1; shift
  local imap=0 lmtp="" pop3="" max_userip=10 protocols="" arg
  for arg in "$@"; do
    case $arg in
      imap=*) imap=${arg#imap=}; protocols="$protocols imap" ;;
      lmtp=*) lmtp=${arg#lmtp=}; protocols="$protocols lmtp" ;;
      pop3=*) pop3=${arg#pop3=}; protocols="$protocols pop3" ;;
      max_userip=*) max_userip=${arg#max_userip=} ;;
      *) echo "dovecot_start: unknown argument $arg" >&2; return 1 ;;
    esac
  done
  id vmail >/dev/null 2>&1 || useradd -r -u 5000 -U vmail
  mkdir -p "$dir/run"
  [ -f "$dir/users" ] || { echo "dovecot_start: write $dir/users first" >&2; return 1; }
  {
    cat <<CONF
base_dir = $dir/run
state_dir = $dir/run/state
protocols =$protocols
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
log_path = $dir/dovecot.log
passdb {
  driver = passwd-file
  args = scheme=PLAIN $dir/users
}
userdb {
  driver = passwd-file
  args = $dir/users
}
mail_location = maildir:~
protocol imap {
  mail_max_userip_connections = $max_userip
}
service anvil {
  chroot =
}
CONF
    if [ -n "$imap" ] && [ "$imap" != 0 ]; then
      printf 'service imap-login {\n  chroot =\n  inet_listener imap {\n    port = %s\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}\n' "$imap"
    fi
    if [ -n "$lmtp" ]; then
      printf 'service lmtp {\n  inet_listener lmtp {\n    address = 127.0.0.1\n    port = %s\n  }\n}\n' "$lmtp"
    fi
    if [ -n "$pop3" ]; then
      printf 'service pop3-login {\n  chroot =\n  inet_listener pop3 {\n    port = %s\n  }\n  inet_listener pop3s {\n    port = 0\n  }\n}\n' "$pop3"
    fi
  } > "$dir/dovecot.conf"
  mkdir -p "$dir/run/state"
  dovecot -c "$dir/dovecot.conf"
}

# dovecot_user NAME HOME: the passwd-file line of one user (password "secret", the vmail user's uid and gid: 5000 when
# the bench created it, another when the machine already had a vmail user) for dovecot_start.
dovecot_user() { echo "$1:{PLAIN}secret:$(id -u vmail):$(id -g vmail)::$2"; }

dovecot_stop() { [ -f "$1/dovecot.conf" ] && dovecot -c "$1/dovecot.conf" stop >/dev/null 2>&1; true; }

# postfix_start BASE PORT: a private Postfix instance, never the system one: config in BASE/postfix-etc, queue_directory
# BASE/postfix-spool, data_directory BASE/postfix-data, maillog_file BASE/postfix.log, smtpd on 127.0.0.1:PORT, relaying
# for loopback only, no local(8) recipients. The caller's own main.cf lines (its virtual domains, transport, milters)
# come on stdin and are added after the shared ones. postfix_stop BASE stops it (callers put it in their EXIT trap).
postfix_start() {
  local base=$1 port=$2 etc=$1/postfix-etc
  mkdir -p "$etc" "$base/postfix-spool" "$base/postfix-data"
  chown postfix "$base/postfix-data"
  {
    cat <<CONF
compatibility_level = 3.6
queue_directory = $base/postfix-spool
data_directory = $base/postfix-data
myhostname = bench.example.net
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
alias_maps =
alias_database =
local_recipient_maps =
smtpd_recipient_restrictions = permit_mynetworks, reject_unauth_destination
message_size_limit = 10240000
maillog_file = $base/postfix.log
CONF
    cat
  } >"$etc/main.cf"
  # The Debian master.cf without chroot (the private spool has no copy of /etc) and with smtpd on the bench port.
  awk -v port="$port" '
    /^smtp[ \t]+inet/ { print "127.0.0.1:" port " inet n - n - - smtpd"; next }
    /^[a-z]/ && NF >= 8 { $5 = "n" }
    { print }' /etc/postfix/master.cf >"$etc/master.cf"
  postfix -c "$etc" check >/dev/null 2>&1 || true
  postfix -c "$etc" start >/dev/null 2>&1 || { tail -5 "$base/postfix.log" >&2; return 1; }
  wait_for_port "$port"
}

postfix_stop() { [ -f "$1/postfix-etc/main.cf" ] && postfix -c "$1/postfix-etc" stop >/dev/null 2>&1; true; }

# mailroom_start DATA PORT OUT [--set KEY=VALUE ...]: a fresh DATA with the domain example.org and the user
# samt@example.org (password "secret"), served on 127.0.0.1:PORT for SMTP only (every other listener and the metrics
# off, no per-IP connection limit), console output to OUT; the extra settings are the caller's, MR_ENV (VAR=VALUE words)
# goes into its environment. The server's pid is in MR_STARTED once the port is open.
mailroom_start() {
  local data=$1 port=$2 out=$3; shift 3
  rm -rf "$data"
  mailroom domain add example.org --create --data "$data" >/dev/null
  echo secret | mailroom user add samt@example.org --password-stdin --data "$data" >/dev/null
  # shellcheck disable=SC2086 # MR_ENV: VAR=VALUE words for this server's environment (a runtime setting to compare)
  env ${MR_ENV:-} dotnet "$MAILROOM_DLL" serve --data "$data" --set Smtp:BindAddresses:0=127.0.0.1 --set Smtp:Port="$port" \
    --set Smtp:SubmissionPort=-1 --set Smtp:SmtpsPort=-1 --set Pop3:Port=-1 --set Pop3:Pop3sPort=-1 \
    --set Imap:Port=-1 --set Imap:ImapsPort=-1 --set ManageSieve:Port=-1 --set Metrics:Listen= \
    --set Log:Console=false --set Net:MaxConnectionsPerIp=0 "$@" >"$out" 2>&1 &
  MR_STARTED=$!
  wait_for_port "$port"
}
