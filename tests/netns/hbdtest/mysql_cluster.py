"""The seed's MySQL group on a two-node cluster: shared by scripts/demo and test_end_to_end.

Owns: a SharedDisk (one ext4 file system on a loop device over a file in the cluster's workdir,
visible to both nodes as the same /dev/loopN), the DRBD simulator pair r0 between node1 and
node2 (tests/drbd/drbdadm, bound on /usr/local/sbin with its state on /var/lib/drbd-sim, as in
test_data_safety), the haresources line
  node1 drbddisk::r0 Filesystem::/dev/loopN::/srv/mysql::ext4 mysql::... memcached::...
        mysql-proxy::... IPaddr::192.0.2.10/24/eth0
and the fault steps (crash = links cut + SIGKILL of hbd and of every process it left, as a
power cut; reboot; hb_standby). Each node's hbd runs in its own mount namespace with a private
/run (MariaDB's socket and pid under /run/mysqld) and its own /srv (a directory of the node's
dir bound on it), so the Filesystem resource mounts inside the node that holds the group.

Also a minimal MySQL client (handshake with mysql_native_password, COM_QUERY, OK/ERR only) and
the writer: `python3 mysql_cluster.py writer ...` run in the client namespace inserts numbered
rows through the proxy on VIP:4040, one autocommit INSERT each, caches every acknowledged row in
memcached on VIP:11211, and logs one line per attempt ("MONOTONIC ID OK") for the timeline.

Thread-safety: none; one caller thread. Nothing here sends outside the cluster's TEST-NET
networks.
"""

import hashlib
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from hbdtest.cluster import run, wait_for  # noqa: E402
from hbdtest.configs import ha_cf  # noqa: E402

SOURCE_DIR = os.environ.get(
    "HBD_SOURCE_DIR",
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
SIMULATOR = os.path.join(SOURCE_DIR, "tests", "drbd", "drbdadm")
THIS_FILE = os.path.abspath(__file__)

VIP = "192.0.2.10"
PROXY_PORT = 4040
MEMCACHED_PORT = 11211
RES = "r0"
MOUNT = "/srv/mysql"
DATADIR = "/srv/mysql/data"
SOCKET = "/run/mysqld/mysqld.sock"
PIDFILE = "/run/mysqld/mysqld.pid"
DB_USER = "demo"
DB_PASSWORD = "demo-pw"
HANDLER = "/usr/local/sbin/drbd-peer-outdater"
EXTRA = ("respawn hacluster /usr/lib/heartbeat/dopd\n"
         "apiauth dopd gid=haclient uid=hacluster\n")


def haresources(device):
    """The seed's group (conf/haresources) with the loop device in place of /dev/drbd0."""
    return ("node1 " + " ".join([
        f"drbddisk::{RES}",
        f"Filesystem::{device}::{MOUNT}::ext4",
        f"mysql::{DATADIR}::{SOCKET}::127.0.0.1::3306::{PIDFILE}::none",
        f"memcached::0.0.0.0::{MEMCACHED_PORT}::64",
        f"mysql-proxy::0.0.0.0::{PROXY_PORT}::127.0.0.1:3306",
        f"IPaddr::{VIP}/24/eth0"]) + "\n")


# Shared disk ------------------------------------------------------------------------------
class SharedDisk:
    """An ext4 file system in WORKDIR/shared-disk.img on a loop device (made once)."""

    def __init__(self, workdir, size_mb=256):
        self.image = os.path.join(workdir, "shared-disk.img")
        with open(self.image, "wb") as f:
            f.truncate(size_mb * 1024 * 1024)
        self.device = run(["losetup", "-f", "--show", self.image]).stdout.strip()
        run(["mkfs.ext4", "-q", "-F", "-L", "hbd-mysql", self.device], timeout=60)

    def mounted_anywhere(self):
        """Pids whose mount namespace has the device mounted (reads every /proc/PID/mountinfo)."""
        pids = []
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open(f"/proc/{pid}/mountinfo") as f:
                    if f" {self.device} " in f.read():
                        pids.append(int(pid))
            except OSError:
                pass
        return pids

    def fsck(self):
        """e2fsck -fn on the (unmounted) device: (exit code, output)."""
        r = run(["e2fsck", "-fn", self.device], check=False, timeout=120)
        return r.returncode, r.stdout + r.stderr

    def detach(self):
        if self.device:
            run(["losetup", "-d", self.device], check=False)
            self.device = None


def loop_leftovers(prefix):
    """Loop devices whose backing file lies in a workdir with this prefix (earlier runs)."""
    out = run(["losetup", "-l", "-n", "-O", "NAME,BACK-FILE"], check=False).stdout
    return [line.split()[0] for line in out.splitlines()
            if len(line.split()) >= 2 and f"/{prefix}-" in line.split(None, 1)[1]]


def remove_loop_leftovers(prefix):
    for dev in loop_leftovers(prefix):
        run(["losetup", "-d", dev], check=False)


# DRBD simulator plumbing (as tests/netns/test_data_safety.py) ------------------------------
def sim_dir(node):
    return os.path.join(node.dir, "drbd-sim")


def binds(node):
    """The node's simulated DRBD, its tools and its own /srv."""
    return [(sim_dir(node), "/var/lib/drbd-sim"), (os.path.join(node.dir, "sbin"),
                                                   "/usr/local/sbin"),
            (os.path.join(node.dir, "srv"), "/srv")]


def prepare_node_dirs(cluster):
    for node in cluster.nodes:
        for sub in ("drbd-sim", "sbin", "srv"):
            os.makedirs(os.path.join(node.dir, sub), exist_ok=True)
        os.chmod(node.dir, 0o755)
        shutil.copy2(SIMULATOR, os.path.join(node.dir, "sbin", "drbdadm"))
        shutil.copy2(os.path.join(cluster.bin_dir, "drbd-peer-outdater"),
                     os.path.join(node.dir, "sbin", "drbd-peer-outdater"))
    n1, n2 = cluster.node(1), cluster.node(2)
    link = os.path.join(cluster.workdir, "drbd-link", RES)
    run([SIMULATOR, "sim-pair", RES, link, f"node1:{sim_dir(n1)}", f"node2:{sim_dir(n2)}",
         "fencing=resource-only", f"fence_peer_handler={HANDLER} -t 5"])


def drbd_offline(node, *args):
    env = dict(os.environ, DRBD_SIM_DIR=sim_dir(node))
    return subprocess.run([SIMULATOR] + list(args), env=env, capture_output=True, text=True,
                          timeout=30, check=True)


# Cluster views ------------------------------------------------------------------------------
def group(node):
    status = node.status()
    if status is None or not status.get("groups"):
        return None
    return status["groups"][0]


def holds_vip(node):
    text = run(["ip", "-n", node.netns, "-4", "-o", "addr", "show", "dev", "eth0"],
               check=False).stdout
    return f" {VIP}/" in text


def runs_group(node):
    g = group(node) if node.running() else None
    return bool(g) and g["state_here"] == "running" and holds_vip(node)


def sql(node, statement, timeout=30):
    """A statement as MariaDB's root over the node's own socket (inside its namespaces)."""
    return node.exec(["mariadb", "--no-defaults", "-S", SOCKET, "-u", "root", "-N", "-B", "-e",
                      statement], timeout=timeout).stdout


SETUP_SQL = (
    "CREATE DATABASE IF NOT EXISTS hbd; "
    "CREATE TABLE IF NOT EXISTS hbd.ledger (id INT PRIMARY KEY, written DOUBLE) ENGINE=InnoDB; " +
    "".join(f"CREATE USER IF NOT EXISTS '{DB_USER}'@'{h}' IDENTIFIED BY '{DB_PASSWORD}'; "
            f"GRANT ALL ON hbd.* TO '{DB_USER}'@'{h}'; "
            for h in ("%", "localhost", "127.0.0.1")) + "FLUSH PRIVILEGES;")


class MysqlCluster:
    """The scenario's steps on a started Cluster (2 nodes). Call setup() first, teardown()
    always (it removes the loop device after the Cluster's own teardown)."""

    def __init__(self, cluster, timings=None):
        self.cluster = cluster
        self.timings = timings or {}
        self.disk = None
        self.writer_proc = None
        self.writer_log = os.path.join(cluster.workdir, "writer.log")

    def setup(self):
        self.disk = SharedDisk(self.cluster.workdir)
        prepare_node_dirs(self.cluster)
        for node in self.cluster.nodes:
            node.write_config(ha_cf(self.cluster.nodes, ping=["192.0.2.254"], extra=EXTRA,
                                    **self.timings), haresources(self.disk.device))

    def start(self, node):
        node.start(binds=binds(node))

    def other(self, node):
        return next(n for n in self.cluster.nodes if n is not node)

    def holder(self):
        for node in self.cluster.nodes:
            if runs_group(node):
                return node
        return None

    def wait_running(self, node, timeout=60):
        """Waits until `node` runs the whole group; returns its group view."""
        wait_for(lambda: runs_group(node), timeout, interval=0.05,
                 what=f"{node.name} runs the group")
        return group(node)

    def create_schema(self, node):
        sql(node, SETUP_SQL)

    def crash(self, node):
        """Power cut: both links down, SIGKILL to hbd and to everything it started (so its
        mount namespace, holding the file system, goes away with them). Returns the wall-clock
        and monotonic instants of the crash."""
        node.link_down(0)
        node.link_down(1)
        wall, mono = time.time(), time.monotonic()
        node.kill_all()
        # DRBD on a crashed node is gone; after the reboot it comes back Secondary. The
        # simulator models that at once (the pair stays connected, no resync needed).
        drbd_offline(node, "sim-set", RES, "role=Secondary")
        return wall, mono

    def reboot(self, node):
        """The crashed node comes back: stale VIP gone, links up, hbd started."""
        run(["ip", "-n", node.netns, "addr", "flush", "dev", "eth0", "to", VIP], check=False)
        node.link_up(0)
        node.link_up(1)
        self.start(node)
        wait_for(lambda: self.other(node).peer_status(node.name) == "active", 30,
                 what=f"{node.name} back")

    def standby(self, node, program=None):
        """hb_standby on `node` (hbctl standby when no program is given); returns its result."""
        if program:
            return node.exec([program], check=False, timeout=120)
        return node.hbctl("standby", check=False)

    # The writer ------------------------------------------------------------------------------
    def start_writer(self, interval=0.005, max_seconds=600):
        log = open(os.path.join(self.cluster.workdir, "writer.out"), "ab")
        self.writer_proc = subprocess.Popen(
            ["ip", "netns", "exec", self.cluster.client, sys.executable, THIS_FILE, "writer",
             "--log", self.writer_log, "--interval", str(interval), "--max-seconds",
             str(max_seconds)], stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        self.cluster.started.append(self.writer_proc)
        wait_for(lambda: self.acked(), 30, what="the writer's first acknowledged row")

    def stop_writer(self):
        if self.writer_proc and self.writer_proc.poll() is None:
            self.writer_proc.send_signal(signal.SIGTERM)
            self.writer_proc.wait(timeout=10)

    def timeline(self):
        """[(monotonic, id, ok)] from the writer's log."""
        out = []
        try:
            with open(self.writer_log) as f:
                for line in f:
                    parts = line.split()
                    if len(parts) == 3:
                        out.append((float(parts[0]), int(parts[1]), parts[2] == "1"))
        except FileNotFoundError:
            pass
        return out

    def acked(self):
        return [i for _, i, ok in self.timeline() if ok]

    def outage(self, since, until):
        """Client-visible outage of an event between monotonic `since` (fault or command) and
        `until` (the group runs on its new node): the longest gap between consecutive
        acknowledged commits from the last one before `since` to the first one after `until`
        (None until a commit after `until` was acknowledged)."""
        acks = [t for t, _, ok in self.timeline() if ok]
        before = [t for t in acks if t <= since]
        after = [t for t in acks if t > until]
        if not before or not after:
            return None
        span = [t for t in acks if before[-1] <= t <= after[0]]
        return max(b - a for a, b in zip(span, span[1:]))

    def wait_client_back(self, since, until, timeout=60):
        return wait_for(lambda: self.outage(since, until), timeout,
                        what="the writer's commits flowing again")

    def memcached_roundtrip(self, key, value):
        """set + get of key on VIP:11211 from the client namespace; True when it answers."""
        code = ("import sys; sys.path.insert(0, %r); from hbdtest.mysql_cluster import mc_roundtrip;"
                " print(mc_roundtrip(%r, %r))" % (os.path.dirname(os.path.dirname(THIS_FILE)),
                                                   key, value))
        r = self.cluster.in_client([sys.executable, "-c", code], check=False)
        return r.stdout.strip() == "True"

    def rows_in_table(self, node):
        return [int(x) for x in sql(node, "SELECT id FROM hbd.ledger ORDER BY id").split()]

    def teardown(self):
        self.stop_writer()
        self.cluster.teardown()
        if self.disk:
            wait_for(lambda: not self.disk.mounted_anywhere(), 10, what="shared disk unmounted")
            self.disk.detach()


def steps_text(g):
    """'drbddisk 120ms, Filesystem 30ms, ...' from a group view's last transition."""
    t = (g or {}).get("last_transition", {})
    return ", ".join(f"{s['resource'].split('::')[0]} {s['ms']}ms"
                     for s in t.get("steps", []))


# A minimal MySQL client -------------------------------------------------------------------
class MyError(Exception):
    pass


def _scramble(password, salt):
    if not password:
        return b""
    p1 = hashlib.sha1(password.encode()).digest()
    p2 = hashlib.sha1(p1).digest()
    p3 = hashlib.sha1(salt + p2).digest()
    return bytes(a ^ b for a, b in zip(p1, p3))


class MyConn:
    def __init__(self, host, port, user, password, db, timeout=1.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.seq = 0
        try:
            self._login(user, password, db)
        except BaseException:
            self.close()
            raise

    def _recvn(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise MyError("connection closed")
            buf += chunk
        return buf

    def _read(self):
        head = self._recvn(4)
        length = head[0] | head[1] << 8 | head[2] << 16
        self.seq = (head[3] + 1) & 0xFF
        return self._recvn(length)

    def _write(self, payload):
        self.sock.sendall(struct.pack("<I", len(payload))[:3] + bytes([self.seq]) + payload)
        self.seq = (self.seq + 1) & 0xFF

    @staticmethod
    def _check(packet):
        if packet[:1] == b"\xff":
            raise MyError(packet[9:].decode(errors="replace"))
        if packet[:1] != b"\x00":
            raise MyError(f"unexpected reply 0x{packet[0]:02x}")

    def _login(self, user, password, db):
        pkt = self._read()
        if pkt[:1] == b"\xff":
            raise MyError(pkt[3:].decode(errors="replace"))
        i = pkt.index(b"\0", 1) + 1 + 4
        salt = pkt[i:i + 8]
        i += 8 + 1 + 2 + 1 + 2 + 2
        auth_len = pkt[i]
        i += 1 + 10
        salt = (salt + pkt[i:i + max(13, auth_len - 8)])[:20]
        flags = 0x1 | 0x8 | 0x200 | 0x8000 | 0x80000  # long pw, db, 4.1, secure conn, plugin
        auth = _scramble(password, salt)
        self._write(struct.pack("<IIB", flags, 1 << 24, 33) + b"\0" * 23 + user.encode() +
                    b"\0" + bytes([len(auth)]) + auth + db.encode() + b"\0" +
                    b"mysql_native_password\0")
        reply = self._read()
        if reply[:1] == b"\xfe":  # auth switch request: plugin name, then new salt
            j = reply.index(b"\0", 1)
            self._write(_scramble(password, reply[j + 1:].rstrip(b"\0")[:20]))
            reply = self._read()
        self._check(reply)

    def execute(self, statement):
        """Runs a statement that returns no rows; returns when the server acknowledged it."""
        self.seq = 0
        self._write(b"\x03" + statement.encode())
        self._check(self._read())

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def mc_roundtrip(key, value, host=VIP, port=MEMCACHED_PORT, timeout=1.0):
    try:
        with socket.create_connection((host, port), timeout=timeout) as s:
            s.sendall(f"set {key} 0 0 {len(value)}\r\n{value}\r\nget {key}\r\n".encode())
            want = f"STORED\r\nVALUE {key} 0 {len(value)}\r\n{value}\r\nEND\r\n".encode()
            got = b""
            while len(got) < len(want):
                chunk = s.recv(4096)
                if not chunk:
                    break
                got += chunk
            return got == want
    except OSError:
        return False


def writer_main(argv):
    import argparse
    p = argparse.ArgumentParser()
    p.add_argument("--log", required=True)
    p.add_argument("--interval", type=float, default=0.005)
    p.add_argument("--max-seconds", type=float, default=600)
    a = p.parse_args(argv)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    deadline = time.monotonic() + a.max_seconds
    conn = None
    cache = None
    n = 0
    with open(a.log, "a", buffering=1) as log:
        while not stop and time.monotonic() < deadline:
            if conn is None:
                try:
                    conn = MyConn(VIP, PROXY_PORT, DB_USER, DB_PASSWORD, "hbd", timeout=0.5)
                except (OSError, MyError):
                    conn = None
                    time.sleep(0.02)
                    continue
            n += 1
            try:
                conn.execute(f"INSERT INTO ledger (id, written) VALUES ({n}, UNIX_TIMESTAMP(NOW(6)))")
                ok = True
            except (OSError, MyError):
                ok = False
                conn.close()
                conn = None
            log.write(f"{time.monotonic():.6f} {n} {1 if ok else 0}\n")
            if ok:  # cache the row (best effort: a lost cache is no error)
                try:
                    if cache is None:
                        cache = socket.create_connection((VIP, MEMCACHED_PORT), timeout=0.3)
                    v = str(n)
                    cache.sendall(f"set row:{n} 0 0 {len(v)}\r\n{v}\r\n".encode())
                    if not cache.recv(64).startswith(b"STORED"):
                        raise OSError("not stored")
                except OSError:
                    if cache:
                        cache.close()
                    cache = None
            time.sleep(a.interval)
    if conn:
        conn.close()
    return 0


if __name__ == "__main__" and len(sys.argv) > 1 and sys.argv[1] == "writer":
    sys.exit(writer_main(sys.argv[2:]))
