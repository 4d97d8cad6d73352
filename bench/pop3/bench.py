#!/usr/bin/env python3
"""POP3 benchmark: fill a Maildir with N messages of ~4 KB, then time LIST + UIDL + RETR of everything.

Usage:
  bench.py fill MAILDIR [--count 10000] [--size 4096]
  bench.py run --port PORT --user USER --password PASS [--host 127.0.0.1] [--stls]
               [--client poplib|raw] [--server-pid PID | --server-comm pop3]
  bench.py summarize < LINES     (lines "SERVER CLIENT round N: <output of run>"; prints medians and ratios)

`fill` writes straight into MAILDIR/new with Maildir names like Mailroom's store (CRLF line ends),
so the same Maildir can be served by Mailroom and by Dovecot (mail_location = maildir:MAILDIR).

`run --client poplib` is Python's poplib, a real client that parses every line (and is the slower party);
`--client raw` sends each command on a socket and reads the reply in large chunks, so that the time measured is
mostly the server's. `--server-pid` (Mailroom: the `serve` process) or `--server-comm` (Dovecot: its per-session
`pop3` process, the newest one after login) adds the server's CPU time over LIST + UIDL + RETR, read from
/proc/PID/stat.
"""
import argparse, os, poplib, re, socket, ssl, statistics, sys, time

TICKS = os.sysconf("SC_CLK_TCK")


def fill(maildir, count, size):
    for sub in ("new", "cur", "tmp"):
        os.makedirs(os.path.join(maildir, sub), exist_ok=True)
    host = socket.gethostname()
    line = b"x" * 70 + b"\r\n"
    now = int(time.time())
    for i in range(count):
        head = (f"From: bench@example.net\r\nTo: bench@example.org\r\nSubject: bench {i}\r\n"
                f"Message-ID: <{i}.bench@example.net>\r\n\r\n").encode()
        body = line * max(1, (size - len(head)) // len(line))
        data = head + body
        base = f"{now}.M{i % 1000000}P{os.getpid()}Q{i + 1}.{host}"
        tmp = os.path.join(maildir, "tmp", base)
        with open(tmp, "wb") as f:
            f.write(data)
        os.rename(tmp, os.path.join(maildir, "new", f"{base},S={len(data)}"))


def cpu_seconds(pid):
    """utime + stime of a process, in seconds (fields 14 and 15 of /proc/PID/stat, after the command name)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def newest_process(comm):
    newest = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/comm") as f:
                    if f.read().strip() == comm:
                        newest = max(newest, int(entry))
            except OSError:
                pass
    if not newest:
        sys.exit(f"no process named {comm}")
    return newest


class RawClient:
    """
    Just enough POP3 to time a server: one command at a time, its reply read in 64 KB chunks and checked only for
    its status and its end, so that the client costs little next to the server. Replies to RETR are counted, not
    split into lines: octets = bytes before the terminating ".", less one per dot-stuffed line.
    """

    def __init__(self, host, port):
        self.sock = socket.create_connection((host, port), timeout=60)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.status(self.sock.recv(65536))

    @staticmethod
    def status(reply):
        if not reply.startswith(b"+OK"):
            sys.exit(f"server said {reply[:200]!r}")
        return reply

    def command(self, text):
        self.sock.sendall(text.encode() + b"\r\n")
        reply = self.sock.recv(65536)
        while not reply.endswith(b"\r\n"):
            reply += self.sock.recv(65536)
        return self.status(reply)

    def multiline(self, text):
        """The reply's body, still stuffed, without the status line and the terminating ".CRLF"."""
        self.sock.sendall(text.encode() + b"\r\n")
        reply = self.status(self.sock.recv(65536))
        # The reply is all that is in flight, so it ends where the received bytes end.
        if not reply.endswith(b"\r\n.\r\n"):
            chunks, tail = [reply], reply[-5:]
            while tail != b"\r\n.\r\n":
                chunk = self.sock.recv(65536)
                if not chunk:
                    sys.exit("server closed the connection")
                chunks.append(chunk)
                tail = (tail + chunk)[-5:]
            reply = b"".join(chunks)
        return reply[reply.index(b"\r\n") + 2:-3]

    def login(self, user, password):
        self.command(f"USER {user}")
        self.command(f"PASS {password}")

    def list(self):
        return self.multiline("LIST").split(b"\r\n")[:-1]

    def uidl(self):
        return self.multiline("UIDL").split(b"\r\n")[:-1]

    def retr_octets(self, number):
        body = self.multiline(f"RETR {number}")
        return len(body) - body.count(b"\r\n..") - (1 if body.startswith(b"..") else 0)

    def quit(self):
        self.command("QUIT")
        self.sock.close()


class PoplibClient:
    def __init__(self, host, port, stls):
        self.pop = poplib.POP3(host, port, timeout=60)
        if stls:
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            self.pop.stls(ctx)

    def login(self, user, password):
        self.pop.user(user)
        self.pop.pass_(password)

    def list(self):
        return self.pop.list()[1]

    def uidl(self):
        return self.pop.uidl()[1]

    def retr_octets(self, number):
        return sum(len(l) + 2 for l in self.pop.retr(number)[1])

    def quit(self):
        self.pop.quit()


def run(args):
    t0 = time.perf_counter()
    if args.client == "raw":
        if args.stls:
            sys.exit("--stls needs --client poplib")
        client = RawClient(args.host, args.port)
    else:
        client = PoplibClient(args.host, args.port, args.stls)
    client.login(args.user, args.password)
    t_login = time.perf_counter()
    pid = args.server_pid or (newest_process(args.server_comm) if args.server_comm else 0)
    cpu0 = cpu_seconds(pid) if pid else 0
    listed = client.list()
    t_list = time.perf_counter()
    uids = client.uidl()
    t_uidl = time.perf_counter()
    total = 0
    for entry in listed:
        num, octets = entry.split()
        got = client.retr_octets(int(num))
        if got != int(octets):
            sys.exit(f"size mismatch for {num.decode()}: LIST {octets.decode()} RETR {got}")
        total += got
    t_retr = time.perf_counter()
    cpu = cpu_seconds(pid) - cpu0 if pid else None
    client.quit()
    n = len(listed)
    retr = t_retr - t_uidl
    print(f"messages={n} uids={len(set(uids))} bytes={total}")
    line = (f"login={t_login - t0:.3f}s list={t_list - t_login:.3f}s uidl={t_uidl - t_list:.3f}s "
            f"retr_all={retr:.3f}s ({n / retr:.0f} msg/s, {total / retr / 1e6:.1f} MB/s) "
            f"list_uidl_retr={t_retr - t_login:.3f}s total={t_retr - t0:.3f}s")
    if cpu is not None:
        line += f" server_cpu={cpu:.2f}s ({cpu / max(n, 1) * 1e6:.0f} us/msg)"
    print(line)


def summarize(lines, reference="Dovecot", candidate="Mailroom"):
    """Medians per server and client of RETR msg/s, LIST+UIDL+RETR seconds and server CPU per message; ratios."""
    runs = {}
    for line in lines:
        head = re.match(r"(\S+) (\S+) round \d+: ", line)
        if not head:
            continue
        values = {
            "rate": re.search(r"\((\d+) msg/s", line),
            "time": re.search(r"list_uidl_retr=([\d.]+)s", line),
            "cpu": re.search(r"\((\d+) us/msg\)", line),
        }
        entry = runs.setdefault((head.group(1), head.group(2)), {"rate": [], "time": [], "cpu": []})
        for key, match in values.items():
            if match:
                entry[key].append(float(match.group(1)))
    clients = sorted({client for _, client in runs})
    print(f"| client | {reference} RETR msg/s | {candidate} RETR msg/s | ratio | {reference} LIST+UIDL+RETR s | "
          f"{candidate} LIST+UIDL+RETR s | ratio | {reference} server CPU us/msg | {candidate} server CPU us/msg |")
    print("|---|---|---|---|---|---|---|---|---|")
    for client in clients:
        ref, cand = runs.get((reference, client)), runs.get((candidate, client))
        if not ref or not cand:
            continue
        med = {name: {k: statistics.median(v) if v else float("nan") for k, v in data.items()}
               for name, data in ((reference, ref), (candidate, cand))}
        r, c = med[reference], med[candidate]
        print(f"| {client} (median of {len(cand['rate'])}) | {r['rate']:.0f} | {c['rate']:.0f} | {c['rate'] / r['rate']:.2f}× "
              f"| {r['time']:.3f} | {c['time']:.3f} | {r['time'] / c['time']:.2f}× | {r['cpu']:.0f} | {c['cpu']:.0f} |")


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("fill")
    f.add_argument("maildir")
    f.add_argument("--count", type=int, default=10000)
    f.add_argument("--size", type=int, default=4096)
    r = sub.add_parser("run")
    r.add_argument("--host", default="127.0.0.1")
    r.add_argument("--port", type=int, required=True)
    r.add_argument("--user", required=True)
    r.add_argument("--password", required=True)
    r.add_argument("--stls", action="store_true")
    r.add_argument("--client", choices=("poplib", "raw"), default="poplib")
    cpu = r.add_mutually_exclusive_group()
    cpu.add_argument("--server-pid", type=int, default=0)
    cpu.add_argument("--server-comm", default="")
    sub.add_parser("summarize")
    a = ap.parse_args()
    if a.cmd == "fill":
        fill(a.maildir, a.count, a.size)
    elif a.cmd == "summarize":
        summarize(sys.stdin)
    else:
        run(a)


if __name__ == "__main__":
    main()
