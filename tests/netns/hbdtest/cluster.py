"""A test cluster in network namespaces.

Owns: a switch namespace holding one bridge per network, one namespace per node (each node has
one interface per network: eth0, eth1, ...), a router/ping host and a client namespace, and the
hbd processes started in them (each in its own mount and UTS namespace, with its own hostname,
/run and /etc/ha.d). Everything it makes carries its prefix and is torn down by teardown(), also
when a test fails. Addresses are TEST-NET only: network k is NETWORKS[k] + ".0/24", node i is .i,
the client .100 and the router/ping host .254 (on network 0).
"""

import os
import shutil
import signal
import subprocess
import tempfile
import time

NETWORKS = ["192.0.2", "198.51.100", "203.0.113"]
ROUTER_HOST = 254
HEARTBEAT_PROGRAM = "/usr/libexec/heartbeat/heartbeat"
HEARTBEAT_CONF_DIR = "/etc/ha.d"  # the package's harc, shellfuncs, rc.d, resource.d
HEARTBEAT_STATE_DIR = "/var/lib/heartbeat"
CLIENT_HOST = 100


def run(cmd, check=True, timeout=30, input=None):
    """Runs a command (list), returns CompletedProcess with text output; a failure with check
    raises with the command's stderr in the message."""
    result = subprocess.run(cmd, timeout=timeout, capture_output=True, text=True, input=input)
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: exit {result.returncode}: {result.stderr.strip()}")
    return result


def parent_pid(pid):
    """The parent of `pid` from /proc (None when it has exited)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            # "PID (comm) STATE PPID ...": comm may hold spaces and parentheses.
            return int(f.read().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def vip_holders(cluster, vip):
    """Names of the nodes whose eth0 carries `vip` now (one cheap `ip -n` per node)."""
    out = []
    for node in cluster.nodes:
        addrs = run(["ip", "-n", node.netns, "-4", "-o", "addr", "show", "dev", "eth0"],
                    check=False).stdout
        if f" {vip}/" in addrs:
            out.append(node.name)
    return out


def wait_for(predicate, timeout, interval=0.05, what="condition"):
    """Polls predicate until it returns a truthy value or timeout seconds pass (bounded)."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what} (last: {last!r})")


class Node:
    def __init__(self, cluster, index):
        self.cluster = cluster
        self.index = index
        self.name = f"node{index}"
        self.netns = f"{cluster.prefix}-n{index}"
        self.dir = os.path.join(cluster.workdir, self.name)
        self.confdir = os.path.join(self.dir, "ha.d")
        self.statedir = os.path.join(self.dir, "state")
        self.logpath = os.path.join(self.dir, "hbd.log")
        self.proc = None
        self.drops = set()  # addresses drop_traffic_to() cut (read by the VIP sampler)
        os.makedirs(self.confdir, exist_ok=True)

    def address(self, network=0):
        return f"{NETWORKS[network]}.{self.index}"

    def interface(self, network=0):
        return f"eth{network}"

    # Configuration -----------------------------------------------------------------------
    def write_config(self, ha_cf, haresources="", authkeys="auth 1\n1 sha1 test-secret\n"):
        for name, text in (("ha.cf", ha_cf), ("haresources", haresources)):
            with open(os.path.join(self.confdir, name), "w") as f:
                f.write(text)
        path = os.path.join(self.confdir, "authkeys")
        with open(path, "w") as f:
            f.write(authkeys)
        os.chmod(path, 0o600)

    # Processes -------------------------------------------------------------------------------
    def start(self, args=None, program=None, env=None, binds=None):
        """Starts hbd (or `program`) in this node's namespaces: own netns, mount ns with a private
        /run, /etc/ha.d and /var/lib/hbd bound to this node's directories, own UTS name.
        `binds`: more (host source, path in the node) pairs bound in the node's mount namespace
        only, in order, e.g. [(dir, "/usr/local/sbin")]; missing mount points are created (like
        /var/lib/hbd, they stay behind as empty directories: removing a mount point is unsafe
        while another namespace may have something mounted on it)."""
        assert self.proc is None or self.proc.poll() is not None, f"{self.name} already running"
        program = program or [os.path.join(self.cluster.bin_dir, "hbd"), "-c", "/etc/ha.d"]
        binds = list(binds or [])
        for src, dst in binds:
            assert os.path.isabs(src) and os.path.isabs(dst), f"bind {src} -> {dst}: absolute"
            assert os.path.exists(src), f"bind source {src} is missing"
        # Each bind: "$N" source, "$N+1" mount point (positional, so paths need no quoting).
        extra = "".join(f'mkdir -p "${{{5 + 2 * i}}}" && mount --bind "${{{4 + 2 * i}}}" '
                        f'"${{{5 + 2 * i}}}" && ' for i in range(len(binds)))
        setup = ('hostname "$1" && mount -t tmpfs -o mode=0755 tmpfs /run && '
                 'mkdir -p /run/hbd /etc/ha.d /var/lib/hbd && mount --bind "$2" /etc/ha.d && '
                 'mount --bind "$3" /var/lib/hbd && ' + extra +
                 f'shift {3 + 2 * len(binds)} && exec "$@"')
        os.makedirs(self.statedir, exist_ok=True)
        cmd = ["ip", "netns", "exec", self.netns, "unshare", "--mount", "--uts",
               "--propagation", "private", "/bin/sh", "-c", setup, "sh", self.name, self.confdir,
               self.statedir]
        for src, dst in binds:
            cmd += [src, dst]
        cmd += program + (args or [])
        log = open(self.logpath, "ab")
        full_env = dict(os.environ)
        full_env.update(env or {})
        # ip netns exec and unshare exec (no fork), so the Popen pid is hbd's pid.
        self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=full_env,
                                     start_new_session=True)
        log.close()
        self.cluster.started.append(self.proc)
        return self.proc

    def start_heartbeat(self, args=None, realtime=False):
        """Starts Debian's Heartbeat 3 (`heartbeat -f -l`, foreground, no realtime; with
        `realtime`, `heartbeat -f`: its default SCHED_RR and locked memory) in this node's
        namespaces like start(): the node's config dir (completed with the packaged harc,
        shellfuncs, rc.d and resource.d, never overwriting the node's own files) bound on
        /etc/ha.d, a private copy of /var/lib/heartbeat bound on it, and a tmpfs /run holding
        /run/heartbeat. Heartbeat forks children: stop it with stop() or kill_all()."""
        for entry in os.listdir(HEARTBEAT_CONF_DIR):
            src = os.path.join(HEARTBEAT_CONF_DIR, entry)
            dst = os.path.join(self.confdir, entry)
            if os.path.lexists(dst):
                continue
            if os.path.isdir(src):
                shutil.copytree(src, dst, symlinks=True)
            else:
                shutil.copy2(src, dst)
        libdir = os.path.join(self.dir, "heartbeat-lib")
        if not os.path.isdir(libdir):
            shutil.copytree(HEARTBEAT_STATE_DIR, libdir, symlinks=True)
        os.chmod(self.dir, 0o755)
        setup = ('hostname "$1" && mount -t tmpfs -o mode=0755 tmpfs /run && '
                 'mount --bind "$2" /etc/ha.d && mount --bind "$3" /var/lib/heartbeat && '
                 'mkdir -p /run/heartbeat/ccm /run/heartbeat/crm /run/heartbeat/dopd '
                 '/run/heartbeat/rsctmp /run/resource-agents && '
                 'chown hacluster:haclient /run/heartbeat '
                 '/run/heartbeat/ccm /run/heartbeat/crm /run/heartbeat/dopd && '
                 'chmod 0750 /run/heartbeat && shift 3 && exec "$@"')
        cmd = ["ip", "netns", "exec", self.netns, "unshare", "--mount", "--uts",
               "--propagation", "private", "/bin/sh", "-c", setup, "sh", self.name, self.confdir,
               libdir, HEARTBEAT_PROGRAM, "-f"] + ([] if realtime else ["-l"]) + (args or [])
        log = open(self.logpath, "ab")
        self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        log.close()
        self.cluster.started.append(self.proc)
        return self.proc

    def spawn(self, cmd, name="spawned"):
        """Starts cmd (a list) in the background in this node's network namespace only (host
        mount and UTS namespaces: `hostname` there is the host's), output to NAME.log in the
        node's directory. Registered with the cluster, so teardown kills it (process group)."""
        log = open(os.path.join(self.dir, f"{name}.log"), "ab")
        proc = subprocess.Popen(["ip", "netns", "exec", self.netns] + cmd, stdout=log,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
        log.close()
        self.cluster.started.append(proc)
        return proc

    def namespace_pids(self):
        """Every process in this node's network namespace (a daemon and all its children),
        except the harness's own observers: a direct child of this test process other than the
        node's daemon is a reading in flight (the VIP sampler's `ip -n`, an hbctl call), not part
        of the node, so a crash does not kill the observer and a "nothing left" check does not
        count it."""
        listing = run(["ip", "netns", "pids", self.netns], check=False).stdout.split()
        own = self.proc.pid if self.proc is not None else None
        pids = []
        for pid in (int(p) for p in listing if p.isdigit()):
            if pid != own and parent_pid(pid) == os.getpid():
                continue
            pids.append(pid)
        return pids

    def kill_all(self):
        """SIGKILL to the started process, its process group and every process left in the
        node's network namespace (children of a forking daemon such as Heartbeat)."""
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=10)
        for pid in self.namespace_pids():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def signal(self, sig):
        if self.running():
            os.kill(self.proc.pid, sig)

    def kill(self):
        """SIGKILL: a crash."""
        if self.running():
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self, timeout=30):
        if self.running():
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)

    def log(self):
        try:
            with open(self.logpath, errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def hbctl(self, *args, check=True):
        """Runs hbctl on this node (inside its namespaces, default socket)."""
        return self.exec([os.path.join(self.cluster.bin_dir, "hbctl")] + list(args), check=check)

    def status(self):
        """The node's status JSON (hbctl status --json), or None while hbd does not answer."""
        import json
        result = self.hbctl("status", "--json", check=False)
        if result.returncode != 0:
            return None
        return json.loads(result.stdout)

    def peer_status(self, peer):
        """What this node says of `peer` (node or ping target): its status word, or None."""
        status = self.status()
        if status is None:
            return None
        for entry in status["nodes"] + status["ping"]:
            if entry["name"] == peer:
                return entry["status"]
        return None

    def link_status(self, peer, link):
        status = self.status()
        if status is None:
            return None
        for entry in status["nodes"]:
            if entry["name"] == peer:
                for l in entry.get("links", []):
                    if l["name"] == link:
                        return l["status"]
        return None

    def exec(self, cmd, check=True, timeout=30):
        """Runs cmd on this node: inside hbd's namespaces while it runs (so /run and /etc/ha.d
        are the node's own), else in the node's network namespace."""
        if self.running():
            full = ["nsenter", "-t", str(self.proc.pid), "-m", "-u", "-n", "--"] + cmd
        else:
            full = ["ip", "netns", "exec", self.netns] + cmd
        return run(full, check=check, timeout=timeout)

    # Faults ------------------------------------------------------------------------------------
    def link_down(self, network):
        run(["ip", "-n", self.netns, "link", "set", self.interface(network), "down"])

    def link_up(self, network):
        run(["ip", "-n", self.netns, "link", "set", self.interface(network), "up"])

    def drop_traffic_to(self, address):
        """Drops this node's packets to `address` (nftables in the node's namespace)."""
        rules = ("table inet hbdtest {\n chain out {\n type filter hook output priority 0;\n"
                 f" ip daddr {address} drop\n }}\n}}\n")
        run(["ip", "netns", "exec", self.netns, "nft", "-f", "-"], input=rules)
        self.drops.add(address)

    def allow_all_traffic(self):
        run(["ip", "netns", "exec", self.netns, "nft", "delete", "table", "inet", "hbdtest"],
            check=False)
        self.drops.clear()


class Cluster:
    """Use as a context manager: `with Cluster(2) as c: ...`; teardown runs on exit."""

    def __init__(self, nodes=2, networks=2, prefix=None, bin_dir=None, batch=False):
        """`batch`: make the namespaces and links with a few `ip -batch` runs instead of one
        `ip` per step (same result; seconds faster for tens of nodes)."""
        assert 1 <= nodes <= 99 and 1 <= networks <= len(NETWORKS)
        self.prefix = prefix or f"hbt{os.getpid() % 100000}"
        self.bin_dir = os.path.abspath(bin_dir or os.environ.get("HBD_BIN_DIR", "build/bin"))
        self.workdir = tempfile.mkdtemp(prefix=f"{self.prefix}-")
        self.networks = networks
        self.switch = f"{self.prefix}-sw"
        self.router = f"{self.prefix}-rt"
        self.client = f"{self.prefix}-cl"
        self.started = []
        self.batch = batch
        self.extra_hosts = []  # namespaces made by add_host()
        self.nodes = [Node(self, i) for i in range(1, nodes + 1)]

    def __enter__(self):
        try:
            self.create()
        except BaseException:
            self.teardown()
            raise
        return self

    def __exit__(self, *exc):
        self.teardown()
        return False

    def node(self, name_or_index):
        if isinstance(name_or_index, int):
            return self.nodes[name_or_index - 1]
        return next(n for n in self.nodes if n.name == name_or_index)

    def namespaces(self):
        return [self.switch, self.router, self.client] + [n.netns for n in self.nodes]

    def create(self):
        if os.geteuid() != 0:
            raise RuntimeError("namespace tests need root (ip netns, mounts)")
        sweep(self.prefix)
        if self.batch:
            self._create_batched()
            return
        for ns in self.namespaces():
            run(["ip", "netns", "add", ns])
            run(["ip", "-n", ns, "link", "set", "lo", "up"])
        for k in range(self.networks):
            run(["ip", "-n", self.switch, "link", "add", f"br{k}", "type", "bridge"])
            run(["ip", "-n", self.switch, "link", "set", f"br{k}", "up"])
        for node in self.nodes:
            for k in range(self.networks):
                self._attach(node.netns, f"n{node.index}e{k}", f"eth{k}", k,
                             f"{NETWORKS[k]}.{node.index}/24")
        self._attach(self.router, "rte0", "eth0", 0, f"{NETWORKS[0]}.{ROUTER_HOST}/24")
        self._attach(self.client, "cle0", "eth0", 0, f"{NETWORKS[0]}.{CLIENT_HOST}/24")

    def _create_batched(self):
        """create() in one `ip -batch` for the namespaces, one in the switch (bridges, veth
        pairs) and one per other namespace (addresses, links up)."""
        def batch(lines, netns=None):
            cmd = ["ip"] + (["-n", netns] if netns else []) + ["-batch", "-"]
            run(cmd, input="\n".join(lines) + "\n", timeout=60)

        batch([f"netns add {ns}" for ns in self.namespaces()])
        ends = []  # (namespace, switch end, inner name, network, cidr)
        for node in self.nodes:
            for k in range(self.networks):
                ends.append((node.netns, f"n{node.index}e{k}", f"eth{k}", k,
                             f"{NETWORKS[k]}.{node.index}/24"))
        ends.append((self.router, "rte0", "eth0", 0, f"{NETWORKS[0]}.{ROUTER_HOST}/24"))
        ends.append((self.client, "cle0", "eth0", 0, f"{NETWORKS[0]}.{CLIENT_HOST}/24"))
        lines = ["link set lo up"]
        for k in range(self.networks):
            lines += [f"link add br{k} type bridge", f"link set br{k} up"]
        for netns, end, inner, k, _ in ends:
            lines += [f"link add {end} type veth peer name {inner} netns {netns}",
                      f"link set {end} master br{k}", f"link set {end} up"]
        batch(lines, self.switch)
        inner_lines = {ns: ["link set lo up"] for ns in self.namespaces() if ns != self.switch}
        for netns, _, inner, _, cidr in ends:
            inner_lines[netns] += [f"addr add {cidr} dev {inner}", f"link set {inner} up"]
        for netns, lines_ in inner_lines.items():
            batch(lines_, netns)

    def _attach(self, netns, switch_end, inner_name, network, cidr):
        run(["ip", "-n", self.switch, "link", "add", switch_end, "type", "veth", "peer", "name",
             inner_name, "netns", netns])
        run(["ip", "-n", self.switch, "link", "set", switch_end, "master", f"br{network}"])
        run(["ip", "-n", self.switch, "link", "set", switch_end, "up"])
        run(["ip", "-n", netns, "addr", "add", cidr, "dev", inner_name])
        run(["ip", "-n", netns, "link", "set", inner_name, "up"])

    def add_host(self, name, host_index):
        """An extra namespace PREFIX-NAME attached to every heartbeat network, with address
        NETWORKS[k].host_index on its eth{k} (e.g. 192.0.2.200, 198.51.100.200), for traffic
        that is not a node's (a packet injector). Torn down with the cluster (prefix). Returns
        the namespace name."""
        assert 1 <= host_index <= 253 and host_index not in (CLIENT_HOST, ROUTER_HOST)
        assert all(n.index != host_index for n in self.nodes), "address of a node"
        netns = f"{self.prefix}-{name}"
        run(["ip", "netns", "add", netns])
        run(["ip", "-n", netns, "link", "set", "lo", "up"])
        for k in range(self.networks):
            self._attach(netns, f"{name[:6]}{host_index}e{k}", f"eth{k}", k,
                         f"{NETWORKS[k]}.{host_index}/24")
        self.extra_hosts.append(netns)
        return netns

    def in_router(self, cmd, check=True, timeout=30):
        return run(["ip", "netns", "exec", self.router] + cmd, check=check, timeout=timeout)

    def in_client(self, cmd, check=True, timeout=30):
        return run(["ip", "netns", "exec", self.client] + cmd, check=check, timeout=timeout)

    def teardown(self):
        for proc in self.started:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    pass
        sweep(self.prefix)
        if os.environ.get("HBD_KEEP_TEST_DIR") != "1":
            shutil.rmtree(self.workdir, ignore_errors=True)


def sweep(prefix):
    """Deletes namespaces with this harness prefix (leftovers of an earlier crashed run), killing
    only processes that run inside them."""
    listing = run(["ip", "netns", "list"], check=False).stdout.split("\n")
    for line in listing:
        ns = line.split(" ")[0]
        if not ns.startswith(prefix + "-"):
            continue
        pids = run(["ip", "netns", "pids", ns], check=False).stdout.split()
        for pid in pids:
            try:
                os.kill(int(pid), signal.SIGKILL)
            except (ProcessLookupError, ValueError):
                pass
        run(["ip", "netns", "delete", ns], check=False)
