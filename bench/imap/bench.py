#!/usr/bin/env python3
"""IMAP benchmark: a raw-socket client (cheap next to the server it measures) against any IMAP server on loopback.

Usage:
  bench.py fetch --port PORT --user USER --password PASS
      EXAMINE INBOX, FETCH 1:* (FLAGS ENVELOPE RFC822.SIZE), then FETCH 1:* BODY.PEEK[] (every body).
  bench.py idle --port PORT --user USER --password PASS --connections 1000 --hold SECONDS
      opens N connections, each LOGIN + SELECT INBOX + IDLE, holds them SECONDS, then prints "ready" as soon as all
      are idling (the caller measures the server's memory meanwhile) and closes them.

The mailbox is filled with bench/pop3/bench.py fill (the same ~4 KB messages the POP3 benchmark uses).
"""
import argparse, re, socket, sys, time


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


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("fetch", "idle"):
        p = sub.add_parser(name)
        p.add_argument("--port", type=int, required=True)
        p.add_argument("--user", required=True)
        p.add_argument("--password", required=True)
        if name == "idle":
            p.add_argument("--connections", type=int, default=1000)
            p.add_argument("--hold", type=float, default=10)
    a = ap.parse_args()
    if a.cmd == "fetch":
        fetch(a.port, a.user, a.password)
    else:
        idle(a.port, a.user, a.password, min(a.connections, 5000), min(a.hold, 120))


if __name__ == "__main__":
    main()
