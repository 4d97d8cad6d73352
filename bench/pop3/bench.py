#!/usr/bin/env python3
"""POP3 benchmark: fill a Maildir with N messages of ~4 KB, then time LIST + UIDL + RETR of everything.

Usage:
  bench.py fill MAILDIR [--count 10000] [--size 4096]
  bench.py run --host 127.0.0.1 --port PORT --user USER --password PASS [--stls]

`fill` writes straight into MAILDIR/new with Maildir names like Mailroom's store (CRLF line ends),
so the same Maildir can be served by Mailroom and by Dovecot (mail_location = maildir:MAILDIR).
"""
import argparse, os, poplib, socket, ssl, sys, time


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


def run(host, port, user, password, stls):
    t0 = time.perf_counter()
    p = poplib.POP3(host, port, timeout=60)
    if stls:
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        p.stls(ctx)
    p.user(user)
    p.pass_(password)
    t_login = time.perf_counter()
    listed = p.list()[1]
    t_list = time.perf_counter()
    uids = p.uidl()[1]
    t_uidl = time.perf_counter()
    total = 0
    for entry in listed:
        num, octets = entry.split()
        _, lines, _ = p.retr(int(num))
        got = sum(len(l) + 2 for l in lines)
        if got != int(octets):
            sys.exit(f"size mismatch for {num.decode()}: LIST {octets.decode()} RETR {got}")
        total += got
    t_retr = time.perf_counter()
    p.quit()
    n = len(listed)
    print(f"messages={n} uids={len(set(uids))} bytes={total}")
    print(f"login={t_login - t0:.3f}s list={t_list - t_login:.3f}s uidl={t_uidl - t_list:.3f}s "
          f"retr_all={t_retr - t_uidl:.3f}s ({n / (t_retr - t_uidl):.0f} msg/s, "
          f"{total / (t_retr - t_uidl) / 1e6:.1f} MB/s) total={t_retr - t0:.3f}s")


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
    a = ap.parse_args()
    if a.cmd == "fill":
        fill(a.maildir, a.count, a.size)
    else:
        run(a.host, a.port, a.user, a.password, a.stls)


if __name__ == "__main__":
    main()
