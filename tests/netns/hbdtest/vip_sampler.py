"""VipSampler: watches a cluster for the one thing failover must never do, a service address
(VIP) configured on two nodes that can hear each other.

Owns one background thread. Every `interval` seconds it reads, for every node, with one
`ip -n NETNS -4 addr show` (the namespace's own view, no nsenter): which interfaces are
administratively up and whether the VIP is configured on any of them. Two nodes "can hear each
other" when some network k has both ends' eth{k} up and neither end drops the other's address on
k with the harness's nftables drop (Node.drops; those drops are by destination, which is how
ucast media travel). A violation is two nodes holding the VIP while a link between them is up.

One reading is a sequence of `ip` calls, not an instant, so a move (node A removes the VIP, then
node B adds it) could look like an overlap inside one reading. A violation is therefore recorded
only when two consecutive readings both show it: every value is then seen at a read before and
a read after the instant between the two readings, so, unless a value flipped twice within one
sampling period (a few ms), both nodes held the VIP with the link up at that instant.

The loop is bounded (max_seconds, max_samples) and stops at stop(); the samples and violations
are kept for assertions. Thread-safety: start()/stop()/report() from the test thread; the
sampler thread only appends under a lock.
"""

import subprocess
import threading
import time


class VipSampler:
    def __init__(self, cluster, vip, interval=0.005, max_seconds=180, max_samples=200000):
        self.cluster = cluster
        self.vip = vip
        self.interval = interval
        self.max_seconds = max_seconds
        self.max_samples = max_samples
        self.samples = 0
        self.errors = []       # readings that failed (ip not answering): reported, never hidden
        self.violations = []   # (monotonic time, holders, up links) of confirmed overlaps
        self.holder_history = []  # (monotonic time, holders) whenever the holder set changes
        self.holder_readings = []  # readings each holder_history entry lasted (same index)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = None

    # Reading ---------------------------------------------------------------------------------
    def _read_node(self, node):
        """(set of up interface names, whether the VIP is configured) for one node."""
        out = subprocess.run(["ip", "-n", node.netns, "-4", "addr", "show"], capture_output=True,
                             text=True, timeout=5)
        if out.returncode != 0:
            raise RuntimeError(f"{node.name}: ip addr: exit {out.returncode}: "
                               f"{out.stderr.strip()}")
        up = set()
        holds = False
        for line in out.stdout.splitlines():
            if line and line[0].isdigit():
                # "2: eth0@if5: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu ..."
                parts = line.split(":", 2)
                name = parts[1].strip().split("@")[0]
                flags = line[line.find("<") + 1:line.find(">")].split(",")
                if "UP" in flags:
                    up.add(name)
            else:
                words = line.split()
                if len(words) >= 2 and words[0] == "inet" and words[1].split("/")[0] == self.vip:
                    holds = True
        return up, holds

    def _reading(self):
        """(holders, up links): names of nodes holding the VIP, and (a, b, k) links up."""
        nodes = self.cluster.nodes
        state = {n.name: self._read_node(n) for n in nodes}
        holders = tuple(sorted(name for name, (_, holds) in state.items() if holds))
        links = []
        for i, a in enumerate(nodes):
            for b in nodes[i + 1:]:
                for k in range(self.cluster.networks):
                    ifname = f"eth{k}"
                    if ifname not in state[a.name][0] or ifname not in state[b.name][0]:
                        continue
                    if b.address(k) in a.drops or a.address(k) in b.drops:
                        continue
                    links.append((a.name, b.name, k))
        return holders, links

    @staticmethod
    def _overlaps(holders, links):
        """(a, b) pairs that both hold the VIP with a link up between them."""
        pairs = set()
        for a, b, _ in links:
            if a in holders and b in holders:
                pairs.add((a, b))
        return pairs

    def _run(self):
        deadline = time.monotonic() + self.max_seconds
        previous = None
        last_holders = None
        while not self._stop.is_set() and time.monotonic() < deadline \
                and self.samples < self.max_samples:
            try:
                holders, links = self._reading()
            except (RuntimeError, subprocess.TimeoutExpired) as e:
                with self._lock:
                    self.errors.append(str(e))
                previous = None
                self._stop.wait(self.interval)
                continue
            now = time.monotonic()
            current = self._overlaps(holders, links)
            with self._lock:
                self.samples += 1
                if holders != last_holders:
                    self.holder_history.append((now, holders))
                    self.holder_readings.append(0)
                    last_holders = holders
                self.holder_readings[-1] += 1
                if previous is not None:
                    confirmed = current & previous
                    if confirmed:
                        self.violations.append((now, holders, links))
            previous = current
            self._stop.wait(self.interval)
        if time.monotonic() >= deadline or self.samples >= self.max_samples:
            with self._lock:
                self.errors.append("sampler reached its bound before stop() (test too long?)")

    # Control -----------------------------------------------------------------------------------
    def start(self):
        assert self._thread is None, "sampler already started"
        self._thread = threading.Thread(target=self._run, name="vip-sampler", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _catch_up(self, readings=2, timeout=5.0):
        """While the sampler runs, waits until `readings` more readings are in (bounded), so the
        history includes the state at the time of the call: a test that has just seen a change
        with its own `ip` call (the VIP is on node1 now) must not read a history whose last
        reading started before that change. Two, because the reading in flight may have begun
        before the call."""
        if self._thread is None or not self._thread.is_alive():
            return
        with self._lock:
            target = self.samples + readings
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self._thread.is_alive():
            with self._lock:
                if self.samples >= target:
                    return
            time.sleep(self.interval)

    def holders_seen(self):
        """Every distinct holder set seen, in order (e.g. [(), ('node1',), ...]), up to now."""
        self._catch_up()
        with self._lock:
            return [h for _, h in self.holder_history]

    def holders_without_moves_in_one_reading(self):
        """holders_seen() with moves that fell inside one reading undone. A reading reads the
        nodes one after another, so a handover from A to B (A removes, B adds within a
        millisecond) can show as {A, B} for one reading: A at its read, B at its later read. A
        set that lasted one reading, has several holders and is followed by a strict subset of
        itself is taken as the holders that left (the set minus the next one), in order: e.g.
        [(), (A, B), (B,)] reads [(), (A,), (B,)] and [(A,), (A, B), (B,)] reads [(A,), (A,),
        (B,)]. A real overlap lasts more than one reading (and is a violation while a link is
        up). Up to now, like holders_seen()."""
        self._catch_up()
        with self._lock:
            seen = [h for _, h in self.holder_history]
            counts = list(self.holder_readings)
        out = []
        for i, h in enumerate(seen):
            if 0 < i < len(seen) - 1 and counts[i] == 1 and len(h) > 1:
                after = set(seen[i + 1])
                if after and after < set(h):
                    out.append(tuple(sorted(set(h) - after)))
                    continue
            out.append(h)
        return out

    def report(self):
        """A readable summary for assertion messages."""
        with self._lock:
            first = self.violations[:5]
            return (f"{self.samples} samples, {len(self.violations)} violations "
                    f"(first: {first}), {len(self.errors)} errors (first: {self.errors[:3]}), "
                    f"holders over time: {[h for _, h in self.holder_history]}")
