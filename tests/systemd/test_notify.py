"""hbd run as systemd runs a Type=notify service with WatchdogSec=: the test binds its own
notification socket (a unix datagram socket, as systemd's) and starts hbd in the foreground with
NOTIFY_SOCKET pointing at it, WATCHDOG_USEC=400000 and WATCHDOG_PID set to hbd's pid (what
systemd sets; libsystemd ignores the watchdog when WATCHDOG_PID names another process).

The cluster is one node (`node sdnode1`, ucast on lo to 127.0.0.1) with one haresources group:
a tiny resource.d script that writes the environment it was started with to a file. Asserted:
READY=1 arrives; STATUS= lines describe the node (its role, that it holds the group, no peers);
WATCHDOG=1 arrives at least twice within a second; SIGTERM gives STOPPING=1, stops the group and
hbd exits 0; the script saw neither NOTIFY_SOCKET nor WATCHDOG_USEC/WATCHDOG_PID.

hbd runs in a private network namespace (its heartbeats go to its own lo, never the host's) and a
private mount namespace with a tmpfs on /var/lib (its generation file stays off the host), both
made by unshare(1); no harness is needed. Needs root.
"""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

SOURCE_DIR = os.environ.get(
    "HBD_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
BIN_DIR = os.environ.get("HBD_BIN_DIR", os.path.join(SOURCE_DIR, "build", "bin"))
NODE = "sdnode1"
GROUP = "envdump::first"

HA_CF = f"""keepalive 100ms
warntime 400ms
deadtime 1
initdead 2
udpport 694
logfacility none
auto_failback off
ucast lo 127.0.0.1
node {NODE}
"""

# Heartbeat-style resource script: `envdump TAG start|stop|status`. start records the
# environment execve gave it (/proc/$$/environ, before the shell adds anything).
ENVDUMP = """#!/bin/sh
dir=$(dirname "$0")/..
case "$2" in
  start) tr '\\0' '\\n' < /proc/$$/environ > "$dir/env.$1"; touch "$dir/state.$1" ;;
  stop) rm -f "$dir/state.$1"; echo stopped >> "$dir/stops.$1" ;;
  status) if [ -f "$dir/state.$1" ]; then echo running; else echo stopped; fi ;;
esac
exit 0
"""

# Inside the new namespaces: loopback up, a tmpfs for /var/lib/hbd, then hbd in this same
# process (exec), so WATCHDOG_PID=$$ set before unshare names hbd itself.
LAUNCH = ('export WATCHDOG_PID=$$; exec unshare --net --mount sh -c '
          '\'ip link set lo up && mount -t tmpfs hbd-systemd-test /var/lib && exec "$@"\' sh "$@"')


class Notifications:
    """What hbd sends to the notification socket, with the time each datagram arrived."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)
        self.received = []  # (monotonic time, [lines])

    def close(self):
        self.sock.close()

    def poll(self, seconds):
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            self.sock.settimeout(left)
            try:
                data = self.sock.recv(4096)
            except socket.timeout:
                return
            self.received.append((time.monotonic(), data.decode().split("\n")))

    def lines(self):
        return [(t, line) for t, lines in self.received for line in lines]

    def wait_for(self, predicate, seconds, what):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for t, line in self.lines():
                if predicate(line):
                    return t, line
            self.poll(min(0.1, max(0.0, deadline - time.monotonic())))
        raise AssertionError(f"no {what} within {seconds} s; got {[l for _, l in self.lines()]}")


@unittest.skipUnless(os.geteuid() == 0, "needs root (private network and mount namespace)")
@unittest.skipUnless(shutil.which("unshare") and shutil.which("ip"), "needs unshare and ip")
class NotifyTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="hbd-systemd-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        conf = os.path.join(self.dir, "ha.d")
        os.makedirs(os.path.join(conf, "resource.d"))
        with open(os.path.join(conf, "ha.cf"), "w") as f:
            f.write(HA_CF)
        with open(os.path.join(conf, "haresources"), "w") as f:
            f.write(f"{NODE} {GROUP}\n")
        keys = os.path.join(conf, "authkeys")
        with open(os.open(keys, os.O_WRONLY | os.O_CREAT, 0o600), "w") as f:
            f.write("auth 1\n1 sha1 systemd-notify-test-secret\n")
        script = os.path.join(conf, "resource.d", "envdump")
        with open(script, "w") as f:
            f.write(ENVDUMP)
        os.chmod(script, 0o755)
        self.conf = conf
        self.notify = Notifications(os.path.join(self.dir, "notify"))
        self.addCleanup(self.notify.close)
        self.hbd = None
        self.addCleanup(self.kill_hbd)

    def kill_hbd(self):
        if self.hbd and self.hbd.poll() is None:
            self.hbd.kill()
            self.hbd.wait(timeout=10)

    def log(self):
        with open(os.path.join(self.dir, "hbd.log")) as f:
            return f.read()[-4000:]

    def start_hbd(self):
        env = {k: v for k, v in os.environ.items()
               if k not in ("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM")}
        env["NOTIFY_SOCKET"] = os.path.join(self.dir, "notify")
        env["WATCHDOG_USEC"] = "400000"
        argv = [os.path.join(BIN_DIR, "hbd"), "-c", self.conf, "--node", NODE,
                "--socket", os.path.join(self.dir, "hbd.sock")]
        out = open(os.path.join(self.dir, "hbd.log"), "w")
        self.addCleanup(out.close)
        self.hbd = subprocess.Popen(["sh", "-c", LAUNCH, "sh"] + argv, env=env,
                                    stdout=out, stderr=subprocess.STDOUT)

    def test_ready_status_watchdog_stopping_and_a_clean_child_environment(self):
        self.start_hbd()
        ready_at, _ = self.notify.wait_for(lambda l: l == "READY=1", 15, "READY=1")

        # The watchdog: WATCHDOG_USEC=400000 means a ping every 200 ms; at least two in 1 s.
        self.notify.poll(1.0)
        pings = [t for t, l in self.notify.lines()
                 if l == "WATCHDOG=1" and ready_at - 0.05 <= t <= ready_at + 1.0]
        self.assertGreaterEqual(len(pings), 2, f"watchdog pings in the first second: {pings}")

        # The status line: the node's role, then the group once it runs here, and no peers.
        _, first = self.notify.wait_for(lambda l: l.startswith("STATUS="), 1, "STATUS=")
        role = first[len("STATUS="):].split(";")[0]
        self.assertIn(role, ("init", "up", "active"), first)
        self.assertTrue(first.endswith("; no peers"), first)
        _, held = self.notify.wait_for(
            lambda l: l.startswith("STATUS=") and f"holds {GROUP}" in l, 20,
            f"a STATUS= line saying the node holds {GROUP}")
        self.assertRegex(held, rf"^STATUS=(up|active); holds {GROUP}; no peers$")
        env_file = os.path.join(self.conf, "env.first")
        self.assertTrue(os.path.exists(env_file), "the group runs but the script never started")

        # Pings keep coming while the daemon runs.
        before = sum(1 for _, l in self.notify.lines() if l == "WATCHDOG=1")
        self.notify.poll(1.0)
        after = sum(1 for _, l in self.notify.lines() if l == "WATCHDOG=1")
        self.assertGreaterEqual(after - before, 2)

        # SIGTERM: STOPPING=1, the group is stopped, hbd leaves with exit 0.
        self.hbd.send_signal(signal.SIGTERM)
        self.notify.wait_for(lambda l: l == "STOPPING=1", 10, "STOPPING=1")
        try:
            code = self.hbd.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.fail("hbd did not exit within 30 s of SIGTERM:\n" + self.log())
        self.assertEqual(code, 0, self.log())
        self.assertTrue(os.path.exists(os.path.join(self.conf, "stops.first")),
                        "the group was not stopped before hbd left")
        self.assertFalse(os.path.exists(os.path.join(self.conf, "state.first")))
        stopping = [l for _, l in self.notify.lines() if l.startswith("STATUS=stopping")]
        self.assertTrue(stopping, "no STATUS=stopping... line")

        # The resource script's environment: hbd's own systemd variables never reach it.
        with open(env_file) as f:
            env = dict(line.split("=", 1) for line in f.read().splitlines() if "=" in line)
        self.assertEqual(env.get("HA_CURHOST"), NODE, env)  # it is the script's environment
        for name in ("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"):
            self.assertNotIn(name, env)


if __name__ == "__main__":
    unittest.main()
