"""The service the benchmark fails over, and the client that times it.

Owns two small Python programs run in namespaces: LISTENER, a TCP listener on 0.0.0.0:PORT on
every node answering each connection with the node's name (so whoever holds the VIP answers), and
PROBER, run in the client namespace, which opens a new non-blocking connection to VIP:PORT every
few milliseconds (each attempt lives a short while) and prints the CLOCK_MONOTONIC time of the
first answer from a node other than the old holder. CLOCK_MONOTONIC is one clock for all network
namespaces of a machine, so the prober's times compare with the bench's time.monotonic().
Both programs are bounded in time. Not thread-safe: one Prober per client run at a time.
"""

import subprocess

LISTENER = r"""
import socket, sys, time
name, port, limit = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", port))
s.listen(64)
s.settimeout(0.5)
deadline = time.monotonic() + limit
while time.monotonic() < deadline:
    try:
        conn, _ = s.accept()
    except socket.timeout:
        continue
    try:
        conn.sendall((name + "\n").encode())
    except OSError:
        pass
    conn.close()
"""

# argv: vip port old_name max_seconds interval_s attempt_lifetime_s
PROBER = r"""
import errno, select, socket, sys, time
vip, port, old = sys.argv[1], int(sys.argv[2]), sys.argv[3]
limit, interval, lifetime = float(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
print("ready", time.monotonic(), flush=True)
deadline = time.monotonic() + limit
connecting = {}  # socket -> opened at (waiting for the handshake)
reading = {}  # socket -> opened at (connected, waiting for the name)
next_open = 0.0
answered = None
while answered is None and time.monotonic() < deadline:
    now = time.monotonic()
    if now >= next_open:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        err = s.connect_ex((vip, port))
        if err in (0, errno.EINPROGRESS):
            connecting[s] = now
        else:
            s.close()
        next_open = now + interval
    for group in (connecting, reading):
        for s, opened in list(group.items()):
            if now - opened > lifetime:
                s.close()
                del group[s]
    if not connecting and not reading:
        time.sleep(max(0.0, next_open - time.monotonic()))
        continue
    # Never block on one attempt: a connection whose answer is lost must not stop the probing.
    readable, writable, _ = select.select(list(reading), list(connecting), [],
                                          max(0.0, next_open - time.monotonic()))
    for s in writable:
        opened = connecting.pop(s)
        if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) != 0:
            s.close()
        else:
            reading[s] = opened
    for s in readable:
        try:
            name = s.recv(64).decode(errors="replace").strip()
        except OSError:
            name = ""
        at = time.monotonic()
        s.close()
        del reading[s]
        if name and name != old:
            answered = (name, at)
            break
for s in list(connecting) + list(reading):
    s.close()
if answered:
    print("answer", answered[0], answered[1], flush=True)
else:
    print("none", flush=True)
"""


def start_listeners(cluster, port, limit_s):
    """A listener on every node of `cluster` (registered with it, so teardown kills them)."""
    for node in cluster.nodes:
        node.spawn(["python3", "-c", LISTENER, node.name, str(port), str(limit_s)],
                   name="listener")


class Prober:
    """One probe run: start() before the fault (returns once probing runs), result() after it:
    (new holder's name, monotonic time of its first answer) or None within max_s."""

    def __init__(self, cluster, vip, port, old_name, max_s=30.0, interval_s=0.002,
                 lifetime_s=0.05):
        self.cmd = ["ip", "netns", "exec", cluster.client, "python3", "-c", PROBER, vip,
                    str(port), old_name, str(max_s), str(interval_s), str(lifetime_s)]
        self.max_s = max_s
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(self.cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, start_new_session=True)
        line = self.proc.stdout.readline()
        if not line.startswith("ready"):
            self.proc.kill()
            raise RuntimeError(f"prober did not start: {line!r} {self.proc.stderr.read()}")
        return self

    def result(self):
        try:
            out, _ = self.proc.communicate(timeout=self.max_s + 10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
            return None
        for line in out.splitlines():
            words = line.split()
            if len(words) == 3 and words[0] == "answer":
                return words[1], float(words[2])
        return None

    def cancel(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
