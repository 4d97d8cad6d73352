#!/usr/bin/env python3
"""SORT/THREAD benchmark: a raw-socket client against any IMAP server on loopback.

Usage:
  sort.py fill MAILDIR --count N [--seed S]
      writes N messages (~2 KB) in threads of 1-12 replies: shuffled dates, 400 senders, "Re:"/"[list]" subjects,
      Message-ID, In-Reply-To and References chains, as a mailing-list folder looks.
  sort.py run --port PORT --user USER --password PASS [--rounds R] [--pid PID | --comm NAME] [--repeat K]
      EXAMINE INBOX, then SORT (DATE), SORT (SUBJECT), SORT (FROM) and THREAD REFERENCES UTF-8 ALL, R rounds;
      prints the seconds of each (first round apart: it builds the server's cache) and a digest of each answer so
      two servers' answers can be compared. With --pid (the server process) or --comm (the newest process of that
      name after login: Dovecot's per-session "imap"), each command is then run K more times and the server's CPU
      time per command is printed: on a busy machine wall-clock times mostly measure the other load.
  sort.py compare --user USER --password PASS --server NAME=PORT:pid=PID|comm=NAME ... [--rounds R] [--repeat K]
      the servers side by side in one run: one session each (EXAMINE INBOX, one first round to build the caches,
      digests printed so the answers can be compared), then R rounds in which every command runs K times on each
      server in turn (the order alternating from round to round); prints the median over the rounds of each server's
      CPU per command, so load that comes and goes weighs on every server alike.
"""
import argparse, hashlib, os, random, re, socket, statistics, sys, time
from email.utils import formatdate


def fill(maildir, count, seed):
    rng = random.Random(seed)
    for sub in ("new", "cur", "tmp"):
        os.makedirs(os.path.join(maildir, sub), exist_ok=True)
    senders = [(f"Person {i:03d}", f"user{i:03d}@example{i % 7}.org") for i in range(400)]
    start = 1_700_000_000
    line = b"y" * 70 + b"\r\n"
    messages, topic = [], 0
    while len(messages) < count:
        topic += 1
        root_date = start + rng.randrange(365 * 86400)
        thread = []
        for _ in range(min(rng.randint(1, 12), count - len(messages))):
            i = len(messages)
            parent = rng.choice(thread) if thread else None
            refs = (parent["refs"] + [parent["id"]]) if parent else []
            date = (parent["date"] if parent else root_date) + rng.randrange(1, 86400)
            subject = f"Topic {topic} about things" if parent is None else rng.choice(["Re: ", "RE: ", "Re: [list] ", "Fwd: "]) + f"Topic {topic} about things"
            name, address = rng.choice(senders)
            m = {"id": f"{i}.{seed}@bench.example", "refs": refs, "date": date, "subject": subject, "from": f"{name} <{address}>"}
            thread.append(m)
            messages.append(m)
    rng.shuffle(messages)
    host = socket.gethostname()
    for n, m in enumerate(messages):
        head = (f"From: {m['from']}\r\nTo: list@example.org\r\nSubject: {m['subject']}\r\n"
                f"Date: {formatdate(m['date'], localtime=False)}\r\nMessage-ID: <{m['id']}>\r\n")
        if m["refs"]:
            head += f"In-Reply-To: <{m['refs'][-1]}>\r\nReferences: " + " ".join(f"<{r}>" for r in m["refs"]) + "\r\n"
        data = (head + "\r\n").encode() + line * 24
        base = f"{start + n}.M{n}P{os.getpid()}Q{n + 1}.{host}"
        tmp = os.path.join(maildir, "tmp", base)
        with open(tmp, "wb") as f:
            f.write(data)
        os.rename(tmp, os.path.join(maildir, "cur", f"{base},S={len(data)}:2,S"))


def command(sock, tag, text):
    sock.sendall(tag + b" " + text + b"\r\n")
    chunks, tail, marker = [], b"\r\n", b"\r\n" + tag + b" "
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


COMMANDS = [("sort_date", b"SORT (DATE) UTF-8 ALL"), ("sort_subject", b"SORT (SUBJECT) UTF-8 ALL"),
            ("sort_from", b"SORT (FROM) UTF-8 ALL"), ("thread_references", b"THREAD REFERENCES UTF-8 ALL")]
if os.environ.get("SORT_BENCH_ALL_KEYS") == "1":
    # Every other RFC 5256/5957 key, a multi-key sort and ORDEREDSUBJECT as well.
    COMMANDS += [("sort_arrival", b"SORT (ARRIVAL) UTF-8 ALL"), ("sort_size", b"SORT (SIZE) UTF-8 ALL"),
                 ("sort_to", b"SORT (TO) UTF-8 ALL"), ("sort_cc", b"SORT (CC) UTF-8 ALL"),
                 ("sort_displayfrom", b"SORT (DISPLAYFROM) UTF-8 ALL"), ("sort_displayto", b"SORT (DISPLAYTO) UTF-8 ALL"),
                 ("sort_rev_subject_date", b"SORT (REVERSE SUBJECT DATE) UTF-8 ALL"),
                 ("thread_orderedsubject", b"THREAD ORDEREDSUBJECT UTF-8 ALL")]


TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """utime + stime of a process (fields 14 and 15 of /proc/PID/stat, after the command name)."""
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


def run(port, user, password, rounds, pid, comm, repeat):
    s = socket.create_connection(("127.0.0.1", port), timeout=300)
    s.recv(4096)
    command(s, b"a", f'login "{user}" "{password}"'.encode())
    if comm:
        pid = newest_process(comm)
    data = command(s, b"b", b"examine INBOX")
    count = int(re.search(rb"\* (\d+) EXISTS", data).group(1))
    print(f"messages={count}")
    for r in range(rounds):
        parts = []
        for name, text in COMMANDS:
            t0 = time.perf_counter()
            data = command(s, b"c", text)
            elapsed = time.perf_counter() - t0
            answer = re.search(rb"\* (SORT|THREAD)[^\r\n]*", data).group(0)
            parts.append(f"{name}={elapsed:.3f}s[{hashlib.sha1(answer).hexdigest()[:8]}]")
        print(("first " if r == 0 else f"round{r} ") + " ".join(parts))
    if pid:
        parts = []
        for name, text in COMMANDS:
            before = cpu_seconds(pid)
            for _ in range(repeat):
                command(s, b"c", text)
            parts.append(f"{name}={(cpu_seconds(pid) - before) / repeat * 1000:.1f}ms")
        print(f"server CPU per command ({repeat} runs each): " + " ".join(parts))
    command(s, b"z", b"logout")


def compare(servers, user, password, rounds, repeat):
    sessions = []
    for spec in servers:
        name, rest = spec.split("=", 1)
        port, how = rest.split(":", 1)
        s = socket.create_connection(("127.0.0.1", int(port)), timeout=300)
        s.recv(4096)
        command(s, b"a", f'login "{user}" "{password}"'.encode())
        kind, value = how.split("=", 1)
        pid = newest_process(value) if kind == "comm" else int(value)
        command(s, b"b", b"examine INBOX")
        digests = []
        for cmd, text in COMMANDS:
            data = command(s, b"c", text)
            answer = re.search(rb"\* (SORT|THREAD)[^\r\n]*", data).group(0)
            digests.append(f"{cmd}[{hashlib.sha1(answer).hexdigest()[:8]}]")
        print(f"{name}: first round done, answers " + " ".join(digests))
        sessions.append((name, s, pid))
    samples = {(name, cmd): [] for name, _, _ in sessions for cmd, _ in COMMANDS}
    for r in range(rounds):
        order = sessions if r % 2 == 0 else sessions[::-1]
        for cmd, text in COMMANDS:
            for name, s, pid in order:
                before = cpu_seconds(pid)
                for _ in range(repeat):
                    command(s, b"c", text)
                samples[(name, cmd)].append((cpu_seconds(pid) - before) / repeat * 1000)
    for name, s, _ in sessions:
        parts = [f"{cmd}={statistics.median(samples[(name, cmd)]):.1f}ms" for cmd, _ in COMMANDS]
        print(f"{name}: median server CPU per command ({rounds} rounds x {repeat} runs): " + " ".join(parts))
        command(s, b"z", b"logout")


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="verb", required=True)
    f = sub.add_parser("fill")
    f.add_argument("maildir")
    f.add_argument("--count", type=int, default=10000)
    f.add_argument("--seed", type=int, default=5256)
    r = sub.add_parser("run")
    r.add_argument("--port", type=int, required=True)
    r.add_argument("--user", required=True)
    r.add_argument("--password", required=True)
    r.add_argument("--rounds", type=int, default=4)
    r.add_argument("--pid", type=int, default=0)
    r.add_argument("--comm", default="")
    r.add_argument("--repeat", type=int, default=20)
    c = sub.add_parser("compare")
    c.add_argument("--user", required=True)
    c.add_argument("--password", required=True)
    c.add_argument("--server", action="append", required=True)
    c.add_argument("--rounds", type=int, default=5)
    c.add_argument("--repeat", type=int, default=10)
    a = ap.parse_args()
    if a.verb == "compare":
        compare(a.server, a.user, a.password, a.rounds, a.repeat)
    elif a.verb == "fill":
        fill(a.maildir, a.count, a.seed)
    else:
        run(a.port, a.user, a.password, a.rounds, a.pid, a.comm, a.repeat)


if __name__ == "__main__":
    main()
