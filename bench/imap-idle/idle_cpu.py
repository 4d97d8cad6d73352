#!/usr/bin/env python3
"""CPU a server burns while N IMAP sessions sit in IDLE, and whether a delivery still reaches them.

usage: idle_cpu.py PID HOST PORT USER PASS SESSIONS [SECONDS]

Opens SESSIONS connections (LOGIN, SELECT INBOX, IDLE), waits for the server to settle, then reads the server
process's user+system CPU time (/proc/PID/stat) before and after SECONDS of silence. Prints one line of figures.
Every loop is bounded; sockets are closed at the end.
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
    for s in socks:
        s.close()


if __name__ == "__main__":
    main()
