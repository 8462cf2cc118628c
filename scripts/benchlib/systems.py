"""The HA managers the benchmark compares, one adapter each, on the test harness's namespaces
(tests/netns/hbdtest/cluster.py): hbd, Linux-HA Heartbeat 3.0.6 (Debian `heartbeat`, crm off,
haresources with IPaddr) and keepalived 2.2.7 (Debian `keepalived`, VRRPv3 over unicast).

Owns: the timing settings of each system (SETTINGS, COMPARABLE), the config files each system
gets, and how each is started, crashed, recovered, asked to hand over (manual failover) and
read (VIP holder, daemon processes, dead events in its log). All systems serve the same VIP
(VIP/24 on eth0) to the same client. hbd and Heartbeat talk over mcast 239.255.0.1 on eth0 plus
ucast on eth1; keepalived has one VRRP link, unicast on eth0 (never its default multicast
224.0.0.18, which our network rule forbids).

Not thread-safe: one adapter per cluster, used by one thread (different clusters may run in
parallel threads, each with its own namespace prefix).
"""

import dataclasses
import os
import re
import signal
import time

from hbdtest.cluster import run, wait_for
from hbdtest.configs import ha_cf

VIP = "192.0.2.50"
VIP_CIDR = f"{VIP}/24"
PORT = 7080
HEARTBEAT_STANDBY = "/usr/share/heartbeat/hb_standby"
KEEPALIVED = "/usr/sbin/keepalived"
KEEPALIVED_PRIORITY = {1: 101, 2: 100}  # node1 wins the first election; nopreempt after that


@dataclasses.dataclass(frozen=True)
class Setting:
    label: str  # in the operator's words, shown in the report
    keepalive_s: float  # interval between heartbeats (VRRP: adverts)
    deadtime_s: float  # silence after which the peer is declared dead (VRRP: Master_Down)


def _ms(seconds):
    return f"{round(seconds * 1000)}ms"


def _heartbeat_setting(keepalive_ms, deadtime_ms):
    def word(ms):
        return f"{ms // 1000}s" if ms % 1000 == 0 else f"{ms}ms"
    return Setting(f"keepalive {word(keepalive_ms)} / deadtime {word(deadtime_ms)}",
                   keepalive_ms / 1000, deadtime_ms / 1000)


def _vrrp_setting(advert_ms, priority=100):
    # RFC 5798: Master_Down_Interval = 3 x advert + Skew_Time, Skew = (256 - prio) x advert / 256
    advert = advert_ms / 1000
    down = 3 * advert + (256 - priority) * advert / 256
    return Setting(f"advert {advert_ms}ms", advert, down)


SETTINGS = {
    "hbd": [_heartbeat_setting(100, 1000), _heartbeat_setting(500, 10000),
            _heartbeat_setting(20, 100), _heartbeat_setting(10, 50)],
    "heartbeat": [_heartbeat_setting(100, 1000), _heartbeat_setting(500, 10000),
                  _heartbeat_setting(20, 100)],
    "keepalived": [_vrrp_setting(100), _vrrp_setting(30)],
}
# Rows the report compares, (hbd, heartbeat, keepalived) setting labels (None: no counterpart):
# same timings; same packet rate (keepalived's advert = the keepalive); each one's fastest.
COMPARABLE = [
    ("keepalive 100ms / deadtime 1s", "keepalive 100ms / deadtime 1s", "advert 100ms"),
    ("keepalive 500ms / deadtime 10s", "keepalive 500ms / deadtime 10s", None),
    ("keepalive 20ms / deadtime 100ms", "keepalive 20ms / deadtime 100ms", "advert 30ms"),
    ("keepalive 10ms / deadtime 50ms", "keepalive 20ms / deadtime 100ms", "advert 30ms"),
]
FOOTPRINT_SETTING = {"hbd": "keepalive 100ms / deadtime 1s",
                     "heartbeat": "keepalive 100ms / deadtime 1s", "keepalived": "advert 100ms"}


def setting(system, label):
    for s in SETTINGS[system]:
        if s.label == label:
            return s
    raise ValueError(f"{system} has no setting {label!r}")


def chosen(system, opts):
    """The settings to run for `system`: all; in quick mode only its FOOTPRINT_SETTING;
    opts.settings (comma-separated words) keeps those whose label contains one of them."""
    picked = SETTINGS[system]
    if opts.settings:
        words = opts.settings.split(",")
        picked = [s for s in picked if any(w in s.label for w in words)]
    elif opts.quick:
        picked = [setting(system, FOOTPRINT_SETTING[system])]
    return picked


def _read(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except (FileNotFoundError, ProcessLookupError):  # /proc/PID of a process that just exited
        return ""


class System:
    """Common part of the adapters. Subclasses set `name`, `program_names` (the daemon's
    process names, /proc/PID/comm) and `dead_pattern`, and implement write_configs(),
    start(node), peers_settled(), manual_failover(node) and log_text(node).

    `startup_grace_s`: how long after a daemon starts it still runs a start-up regime that
    differs from its steady state (0: none); wait_stable() also waits until every daemon
    started by start_all() or recover() is that old, so faults hit a settled cluster."""

    name = ""
    program_names = ()
    dead_pattern = None
    settle_s = 0.5
    startup_grace_s = 0.0

    def __init__(self, cluster, setting_):
        self.cluster = cluster
        self.setting = setting_
        self.started_at = {}  # node name -> time.monotonic() of its last start_all()/recover()

    # Configuration and start --------------------------------------------------------------
    def configure(self):
        self.write_configs()

    def start_all(self):
        for node in self.cluster.nodes:
            self._start_timed(node)

    def _start_timed(self, node):
        self.started_at[node.name] = time.monotonic()
        self.start(node)

    # Reading -------------------------------------------------------------------------------
    def holders(self):
        out = []
        for node in self.cluster.nodes:
            addrs = run(["ip", "-n", node.netns, "-4", "-o", "addr", "show", "dev", "eth0"],
                        check=False).stdout
            if f" {VIP}/" in addrs:
                out.append(node)
        return out

    def holder(self):
        """The one node holding the VIP, or None (nobody, or more than one)."""
        h = self.holders()
        return h[0] if len(h) == 1 else None

    def wait_stable(self, timeout=60):
        """Waits until exactly one node holds the VIP and every daemon knows its peer; returns
        the holder."""
        def ok():
            h = self.holder()
            return h if h is not None and all(self.running(n) for n in self.cluster.nodes) \
                and self.peers_settled(h) else None
        holder = wait_for(ok, timeout, interval=0.1, what=f"{self.name}: one VIP holder, settled")
        time.sleep(self.settle_s)
        youngest = max(self.started_at.values(), default=None)
        if youngest is not None:
            time.sleep(max(0.0, youngest + self.startup_grace_s - time.monotonic()))
        return holder

    def running(self, node):
        return bool(self.daemon_pids(node))

    def daemon_pids(self, node):
        """Every process of the daemon in the node (not the listener, not resource scripts)."""
        pids = []
        for pid in node.namespace_pids():
            comm = _read(f"/proc/{pid}/comm").strip()
            if comm in self.program_names:
                pids.append(pid)
        return pids

    def dead_events(self, node):
        """Count, so far, of peer-dead events (VRRP: state changes) in the node's log."""
        return len(re.findall(self.dead_pattern, self.log_text(node)))

    # Faults ------------------------------------------------------------------------------------
    def crash(self, node):
        """Both links down in one `ip` call, then SIGKILL to every daemon process."""
        run(["ip", "-n", node.netns, "-batch", "-"],
            input="link set eth0 down\nlink set eth1 down\n")
        self.kill(node)

    def kill(self, node):
        if node.proc is not None and node.proc.poll() is None:
            try:
                os.killpg(node.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for pid in self.daemon_pids(node):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if node.proc is not None:
            node.proc.wait(timeout=10)
        wait_for(lambda: not self.daemon_pids(node), 10, what=f"{node.name}: daemon gone")

    def recover(self, node):
        """After crash(): the node "reboots": its stale VIP is gone (a reboot loses it), links
        come back and the daemon starts again."""
        run(["ip", "-n", node.netns, "addr", "del", VIP_CIDR, "dev", "eth0"], check=False)
        run(["ip", "-n", node.netns, "-batch", "-"], input="link set eth0 up\nlink set eth1 up\n")
        self._start_timed(node)

    def stop_all(self):
        for node in self.cluster.nodes:
            self.kill(node)


class Hbd(System):
    name = "hbd"
    program_names = ("hbd",)
    dead_pattern = r"node \S+: \S+ -> dead"  # "node node1: active -> dead (timeout)"

    def __init__(self, cluster, setting_, scripts_dir):
        super().__init__(cluster, setting_)
        self.scripts_dir = scripts_dir

    def write_configs(self):
        s = self.setting
        nodes = self.cluster.nodes
        for node in nodes:
            peers = [n for n in nodes if n is not node]
            media = ["mcast eth0 239.255.0.1 694 1 0"] + [f"ucast eth1 {p.address(1)}"
                                                          for p in peers]
            node.write_config(ha_cf(nodes, keepalive=_ms(s.keepalive_s),
                                    warntime=_ms(s.deadtime_s / 2), deadtime=_ms(s.deadtime_s),
                                    initdead=_ms(max(3.0, 2 * s.deadtime_s)), media=media),
                              f"node1 IPaddr::{VIP_CIDR}/eth0\n")

    def start(self, node):
        node.start()

    def peers_settled(self, holder):
        for node in self.cluster.nodes:
            status = node.status()
            if status is None:
                return False
            if any(e["status"] != "active" for e in status["nodes"]):
                return False
            groups = status.get("groups") or []
            if not groups or groups[0].get("holder") != holder.name:
                return False
        return True

    def manual_failover(self, node):
        path = os.path.join(self.scripts_dir, "hb_standby")
        env_path = f"PATH={self.cluster.bin_dir}:/usr/sbin:/usr/bin:/sbin:/bin"
        return node.exec(["env", env_path, path], check=False, timeout=60)

    def log_text(self, node):
        return node.log()


class Heartbeat(System):
    """Heartbeat 3.0.6 with haresources (crm off), realtime as packaged.

    Start-up grace: for its first 5 s (timer armed once its child processes run, about 0.1-0.2 s
    after start() here) a Heartbeat node advertises dt = deadtime + 2000 ms in its status
    packets (master control process: hb_add_deadtime(2000), popped by a 5000 ms timer), and its
    peer waits that long before declaring it dead: a crash in that window fails over about 2 s
    later (measured: 2.6 s instead of 0.6 s at keepalive 20ms / deadtime 100ms). Real Heartbeat
    behaviour, but a start-up one: startup_grace_s makes wait_stable() let it pass, so the crash
    scenario times the steady state (hbd advertises its plain deadtime from the start)."""

    name = "heartbeat"
    program_names = ("heartbeat",)
    dead_pattern = r"node \S+: is dead"
    settle_s = 1.0
    startup_grace_s = 6.0  # the 5 s grace + margin for the child start-up wait before it

    def write_configs(self):
        s = self.setting
        nodes = self.cluster.nodes
        for node in nodes:
            peers = [n for n in nodes if n is not node]
            media = ["mcast eth0 239.255.0.1 694 1 0"] + [f"ucast eth1 {p.address(1)}"
                                                          for p in peers]
            extra = f"crm off\nuse_logd no\nlogfile {node.dir}/ha-log\n"
            node.write_config(ha_cf(nodes, keepalive=_ms(s.keepalive_s),
                                    warntime=_ms(s.deadtime_s / 2), deadtime=_ms(s.deadtime_s),
                                    initdead=_ms(max(3.0, 2 * s.deadtime_s)), media=media,
                                    extra=extra),
                              f"node1 IPaddr::{VIP_CIDR}/eth0\n")

    def start(self, node):
        # Heartbeat's default: realtime (SCHED_RR, locked memory), as its packages run it.
        node.start_heartbeat(realtime=True)

    def cl_status(self, node, *args):
        if not node.running():
            return None
        result = node.exec(["cl_status"] + list(args), check=False, timeout=15)
        return result.stdout.strip() or None

    def peers_settled(self, holder):
        for node in self.cluster.nodes:
            for peer in self.cluster.nodes:
                if peer is not node and self.cl_status(node, "nodestatus", peer.name) != "active":
                    return False
            if self.cl_status(node, "rscstatus") in (None, "transition"):
                return False
        return True

    def manual_failover(self, node):
        return node.exec([HEARTBEAT_STANDBY], check=False, timeout=60)

    def log_text(self, node):
        return _read(os.path.join(node.dir, "ha-log"))


class Keepalived(System):
    """VRRPv3, unicast on eth0, both nodes start BACKUP with nopreempt (node1 priority 101,
    node2 100), so a returning node never takes the VIP back (like auto_failback off), and
    `max_auto_priority` (keepalived's own advice: realtime scheduling when it runs late).

    Manual failover: keepalived has no hb_standby. Its fastest honest equivalent that keeps the
    daemon running is a tracked file: `vrrp_track_file standby` with weight 0, where a non-zero
    value puts the instance in FAULT state: it drops the VIP and sends a priority-0 advert, on
    which the peer takes over after Skew_Time (keepalived watches the file with inotify). The
    bench writes 1 into the holder's file (from inside the node, as an operator would) and
    resets it to 0 once the peer holds the VIP."""

    name = "keepalived"
    program_names = ("keepalived",)
    dead_pattern = r"Entering (?:MASTER|BACKUP|FAULT) STATE"

    def write_configs(self):
        s = self.setting
        nodes = self.cluster.nodes
        for node in nodes:
            peers = "\n".join(f"    {p.address(0)}" for p in nodes if p is not node)
            conf = f"""global_defs {{
  router_id {node.name}
  vrrp_version 3
  max_auto_priority
}}
track_file standby {{
  file /etc/ha.d/standby
  weight 0
}}
vrrp_instance VI_1 {{
  state BACKUP
  nopreempt
  interface eth0
  virtual_router_id 51
  priority {KEEPALIVED_PRIORITY.get(node.index, 100)}
  advert_int {s.keepalive_s:g}
  unicast_src_ip {node.address(0)}
  unicast_peer {{
{peers}
  }}
  virtual_ipaddress {{
    {VIP_CIDR} dev eth0
  }}
  track_file {{
    standby
  }}
}}
"""
            node.write_config("# unused by keepalived\n")
            with open(os.path.join(node.confdir, "keepalived.conf"), "w") as f:
                f.write(conf)
            self.set_standby(node, False)

    def set_standby(self, node, on):
        with open(os.path.join(node.confdir, "standby"), "w") as f:
            f.write("1\n" if on else "0\n")

    def start(self, node):
        self.set_standby(node, False)
        self.log_offset = getattr(self, "log_offset", {})
        self.log_offset[node.name] = len(self.log_text(node))
        node.start(program=[KEEPALIVED, "-f", "/etc/ha.d/keepalived.conf", "--vrrp",
                            "--dont-fork", "--log-console", "--log-detail", "--no-syslog"])

    def peers_settled(self, holder):
        # The holder is MASTER and every other node has entered BACKUP since it last started
        # (read from the log's length at start: parent and child lines interleave).
        for node in self.cluster.nodes:
            text = self.log_text(node)[self.log_offset.get(node.name, 0):]
            states = re.findall(r"Entering (MASTER|BACKUP|FAULT) STATE", text)
            want = "MASTER" if node is holder else "BACKUP"
            if not states or states[-1] != want:
                return False
        return True

    def manual_failover(self, node):
        return node.exec(["sh", "-c", "echo 1 >/etc/ha.d/standby"], check=False, timeout=60)

    def after_manual_failover(self, node):
        self.set_standby(node, False)

    def log_text(self, node):
        return node.log()


def make(system, cluster, setting_, scripts_dir):
    if system == "hbd":
        return Hbd(cluster, setting_, scripts_dir)
    if system == "heartbeat":
        return Heartbeat(cluster, setting_)
    if system == "keepalived":
        return Keepalived(cluster, setting_)
    raise ValueError(f"unknown system {system!r}")
