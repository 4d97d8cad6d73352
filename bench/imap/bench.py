#!/usr/bin/env python3
"""IMAP benchmark: a raw-socket client (cheap next to the server it measures) against any IMAP server on loopback.

Usage:
  bench.py fetch --port PORT --user USER --password PASS
      EXAMINE INBOX, FETCH 1:* (FLAGS ENVELOPE RFC822.SIZE), then FETCH 1:* BODY.PEEK[] (every body).
  bench.py first --port PORT --user USER --password PASS --server-pid PID
      EXAMINE INBOX and FETCH 1:* (FLAGS ENVELOPE RFC822.SIZE) only (a first access), with the CPU time the server
      process (PID) spent on both (utime + stime from /proc/PID/stat; Mailroom's serve is one process).
  bench.py idle --port PORT --user USER --password PASS --connections 1000 --hold SECONDS
      opens N connections, each LOGIN + SELECT INBOX + IDLE, holds them SECONDS, then prints "ready" as soon as all
      are idling (the caller measures the server's memory meanwhile) and closes them.

  bench.py deliver --port PORT [--lmtp] --to RCPT --count N [--size 4096] [--connections 4]
      delivers N messages (the same ~4 KB messages bench/pop3/bench.py fill writes) through a server's own delivery
      path: SMTP (Mailroom) or LMTP (Dovecot), over a few parallel connections; prints the time it took.

The mailbox is filled with bench/pop3/bench.py fill (the same ~4 KB messages the POP3 benchmark uses), or by deliver.
"""
import argparse, os, re, smtplib, socket, sys, threading, time


def command(sock, tag, text):
    """Sends one command and reads until its tagged reply; raw sockets, so the client costs little next to the server."""
    sock.sendall(tag + b" " + text + b"\r\n")
    # The tail starts with a line end so that a reply at the very start of the data is found too.
    chunks, tail = [], b"\r\n"
    marker = b"\r\n" + tag + b" "
    while True:
        chunk = sock.recv(1 << 20)
        if not chunk:
            sys.exit("connection closed")
        chunks.append(chunk)
        tail = (tail + chunk[-4096:])[-4096:]
        at = tail.rfind(marker)
        if at >= 0 and tail.endswith(b"\r\n") and tail.find(b"\r\n", at + 2) == len(tail) - 2:
            data = b"".join(chunks)
            if not tail[at + len(marker):].startswith(b"OK"):
                sys.exit(data[-300:].decode(errors="replace"))
            return data


def fetch(port, user, password):
    s = socket.create_connection(("127.0.0.1", port), timeout=120)
    s.recv(4096)
    command(s, b"a", f'login "{user}" "{password}"'.encode())
    t0 = time.perf_counter()
    data = command(s, b"b", b"examine INBOX")
    count = int(re.search(rb"\* (\d+) EXISTS", data).group(1))
    t_select = time.perf_counter()
    data = command(s, b"c", b"fetch 1:* (FLAGS ENVELOPE RFC822.SIZE)")
    t_env = time.perf_counter()
    envelopes = data.count(b"ENVELOPE (")
    if envelopes != count:
        sys.exit(f"FETCH ENVELOPE: {envelopes} of {count}")
    data = command(s, b"d", b"fetch 1:* BODY.PEEK[]")
    t_body = time.perf_counter()
    if data.count(b" FETCH (") != count:
        sys.exit(f"FETCH BODY: {data.count(b' FETCH (')} of {count}")
    command(s, b"e", b"logout")
    print(f"messages={count} select={t_select - t0:.3f}s fetch_envelope={t_env - t_select:.3f}s "
          f"fetch_bodies={t_body - t_env:.3f}s ({len(data) / (t_body - t_env) / 1e6:.1f} MB/s)")


def first(port, user, password, pid):
    ticks = os.sysconf("SC_CLK_TCK")

    def cpu():
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / ticks

    s = socket.create_connection(("127.0.0.1", port), timeout=120)
    s.recv(4096)
    command(s, b"a", f'login "{user}" "{password}"'.encode())
    c0, t0 = cpu(), time.perf_counter()
    data = command(s, b"b", b"examine INBOX")
    count = int(re.search(rb"\* (\d+) EXISTS", data).group(1))
    t_select = time.perf_counter()
    data = command(s, b"c", b"fetch 1:* (FLAGS ENVELOPE RFC822.SIZE)")
    t_env, c1 = time.perf_counter(), cpu()
    if data.count(b"ENVELOPE (") != count:
        sys.exit(f"FETCH ENVELOPE: {data.count(b'ENVELOPE (')} of {count}")
    command(s, b"e", b"logout")
    print(f"select={t_select - t0:.3f}s fetch_envelope={t_env - t_select:.3f}s cpu={c1 - c0:.2f}s messages={count}")


def expect(sock, tag):
    buf = b""
    while not re.search(rb"(^|\r\n)" + tag + rb" (OK|NO|BAD)[^\r\n]*\r\n$", buf):
        chunk = sock.recv(65536)
        if not chunk:
            sys.exit("connection closed")
        buf += chunk
    if not re.search(rb"(^|\r\n)" + tag + rb" OK", buf):
        sys.exit(buf.decode(errors="replace")[-300:])


def idle(port, user, password, connections, hold):
    socks = []
    for i in range(connections):
        s = socket.create_connection(("127.0.0.1", port), timeout=60)
        s.recv(4096)
        s.sendall(f'a login "{user}" "{password}"\r\n'.encode())
        expect(s, b"a")
        s.sendall(b"b select INBOX\r\n")
        expect(s, b"b")
        s.sendall(b"c idle\r\n")
        line = b""
        while not line.endswith(b"\r\n"):
            line += s.recv(4096)
        if not line.startswith(b"+"):
            sys.exit(f"IDLE refused: {line!r}")
        socks.append(s)
    print("ready", flush=True)
    time.sleep(hold)
    for s in socks:
        s.close()


def bench_message(i, size, rcpt):
    line = "x" * 70 + "\r\n"
    head = (f"From: bench@example.net\r\nTo: {rcpt}\r\nSubject: bench {i}\r\n"
            f"Message-ID: <{i}.bench@example.net>\r\n\r\n")
    return (head + line * max(1, (size - len(head)) // len(line))).encode()


def deliver(port, lmtp, rcpt, count, size, connections):
    """Messages 0..count-1 over `connections` sessions, each message a transaction of its own (as mail arrives)."""
    failures = []

    def worker(first):
        client = smtplib.LMTP("127.0.0.1", port) if lmtp else smtplib.SMTP("127.0.0.1", port, timeout=120)
        try:
            if lmtp:
                client.ehlo_or_helo_if_needed()
            for i in range(first, count, connections):
                refused = client.sendmail("bench@example.net", [rcpt], bench_message(i, size, rcpt))
                if refused:
                    failures.append(refused)
        except Exception as e:  # reported below: a benchmark with lost messages must not print a figure
            failures.append(e)
        finally:
            client.quit()

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(c,)) for c in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        sys.exit(f"delivery failures: {failures[:3]}")
    print(f"delivered={count} seconds={time.perf_counter() - t0:.2f}")


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("fetch", "first", "idle"):
        p = sub.add_parser(name)
        p.add_argument("--port", type=int, required=True)
        p.add_argument("--user", required=True)
        p.add_argument("--password", required=True)
        if name == "first":
            p.add_argument("--server-pid", type=int, required=True)
        if name == "idle":
            p.add_argument("--connections", type=int, default=1000)
            p.add_argument("--hold", type=float, default=10)
    p = sub.add_parser("deliver")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--lmtp", action="store_true")
    p.add_argument("--to", required=True)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--size", type=int, default=4096)
    p.add_argument("--connections", type=int, default=4)
    a = ap.parse_args()
    if a.cmd == "deliver":
        deliver(a.port, a.lmtp, a.to, min(a.count, 1000000), a.size, max(1, min(a.connections, 64)))
    elif a.cmd == "fetch":
        fetch(a.port, a.user, a.password)
    elif a.cmd == "first":
        first(a.port, a.user, a.password, a.server_pid)
    else:
        idle(a.port, a.user, a.password, min(a.connections, 5000), min(a.hold, 120))


if __name__ == "__main__":
    main()
