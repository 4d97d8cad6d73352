#!/usr/bin/env python3
"""CPU a server burns while N IMAP sessions sit in IDLE, and whether a delivery still reaches them.

usage: idle_cpu.py PID HOST PORT USER PASS SESSIONS [SECONDS] [MAILDIR]

Opens SESSIONS connections (LOGIN, SELECT INBOX, IDLE), waits for the server to settle, then reads the server
process's user+system CPU time (/proc/PID/stat) before and after SECONDS of silence. Prints one line of figures.
With MAILDIR (the user's INBOX Maildir), a message is then dropped into MAILDIR/new the way another program delivers
(written in tmp/, renamed into new/), and the time until every idling session has been sent its EXISTS is printed:
the slowest session and the median. Every loop is bounded; sockets are closed at the end.
"""
import os
import selectors
import socket
import sys
import time


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def read_until(sock, marker, limit=10.0):
    data = b""
    deadline = time.monotonic() + limit
    while marker not in data:
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited for {marker!r}, got {data[-200:]!r}")
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def main():
    pid, host, port, user, password, sessions = sys.argv[1:7]
    seconds = float(sys.argv[7]) if len(sys.argv) > 7 else 10.0
    port, sessions = int(port), int(sessions)
    socks = []
    start = time.monotonic()
    for _ in range(sessions):
        s = socket.create_connection((host, port), timeout=30)
        read_until(s, b"\r\n")
        s.sendall(f'a LOGIN "{user}" "{password}"\r\nb SELECT INBOX\r\nc IDLE\r\n'.encode())
        read_until(s, b"+ idling")
        socks.append(s)
    opened = time.monotonic() - start
    time.sleep(3)
    before = cpu_seconds(pid)
    time.sleep(seconds)
    idle_cpu = cpu_seconds(pid) - before
    print(f"sessions={sessions} opened_in={opened:.1f}s idle_cpu={idle_cpu:.3f}s over {seconds:.0f}s "
          f"({100 * idle_cpu / seconds:.2f}% of one core)")
    if len(sys.argv) > 8:
        reach(socks, sys.argv[8], pid)
    for s in socks:
        s.close()


def reach(socks, maildir, pid, limit=30.0):
    """Drops one message into MAILDIR as another program would; prints how long until each session saw EXISTS."""
    name = f"{time.time():.6f}.idlebench.{os.getpid()}"
    tmp = os.path.join(maildir, "tmp", name)
    with open(tmp, "wb") as f:
        f.write(b"From: bench@example.org\r\nTo: bench@example.org\r\nSubject: idle reach\r\n\r\nHello.\r\n")
        f.flush()
        os.fsync(f.fileno())
    selector = selectors.DefaultSelector()
    for s in socks:
        s.setblocking(False)
        selector.register(s, selectors.EVENT_READ, [b""])
    cpu_before = cpu_seconds(pid)
    start = time.monotonic()
    os.rename(tmp, os.path.join(maildir, "new", name))
    latencies = []
    closed = 0
    while len(latencies) + closed < len(socks) and time.monotonic() - start < limit:
        for key, _ in selector.select(timeout=0.5):
            try:
                chunk = key.fileobj.recv(65536)
            except BlockingIOError:
                continue
            key.data[0] += chunk
            if not chunk:
                closed += 1
                selector.unregister(key.fileobj)
            elif b" EXISTS" in key.data[0]:
                latencies.append(time.monotonic() - start)
                selector.unregister(key.fileobj)
    cpu = cpu_seconds(pid) - cpu_before
    latencies.sort()
    missed = len(socks) - len(latencies) - closed
    median = latencies[len(latencies) // 2] if latencies else float("nan")
    slowest = latencies[-1] if latencies else float("nan")
    first = latencies[0] if latencies else float("nan")
    extra = (f", {missed} not within {limit:.0f}s" if missed else "") + (f", {closed} closed" if closed else "")
    print(f"delivery by another program reached {len(latencies)} of {len(socks)} idling sessions "
          f"(first {first:.3f}s, median {median:.3f}s, slowest {slowest:.3f}s{extra}; server CPU meanwhile {cpu:.2f}s)")


if __name__ == "__main__":
    main()
