"""Hostile and broken heartbeat packets, sent from an extra namespace on the cluster's networks.

Owns three things:
- PacketFactory (pure): builds datagrams in Heartbeat's netstring format (heartbeat.md §2) with
  a known authkeys secret, and every kind of bad packet listed in KINDS: random bytes, runts,
  truncated frames, oversized datagrams, field floods, over-long names, unknown and spoofed
  source names, wrong digests, wrong key indexes, and replays of captured valid packets (the same
  seq, an old seq, an old generation). Each kind names the RejectReason hbd must count it under.
- The sender (`python3 injector.py send PLAN.pickle ...`, run inside the injector's namespace):
  sends a plan's (destination, datagram, spoofed source) items round robin, bounded by a packet
  count and a time limit, paced to a rate, optionally split over several processes; items with a
  spoofed source go out through a raw socket (IP_HDRINCL) carrying a real node's address as the
  IPv4 source, the others through an ordinary UDP socket. Prints what it sent as JSON.
- The capturer (`python3 injector.py capture OUT ...`): joins the cluster's multicast group on
  eth0 and keeps the valid packets the nodes send there (bounded count and time).
Injector (in the test process) drives both through `ip netns exec` and reads their results.

Destinations are only ever the cluster nodes' TEST-NET unicast addresses and the cluster's
239.255.x.x group (checked before anything is sent), on the cluster's UDP port.
Thread-safety: none needed; an Injector is used from the test thread only.
"""

import base64
import hashlib
import hmac
import ipaddress
import json
import os
import pickle
import random
import socket
import struct
import subprocess
import sys
import tempfile
import time

# kind -> the reason hbd counts it under (wire::RejectReason's ToString).
KINDS = {
    "random": "bad-magic",            # random bytes (never starting with a frame magic)
    "runt": "too-short",              # 1..7 bytes
    "truncated": "malformed-netstring",  # a valid packet cut inside its fields
    "oversized": "bad-digest",        # 8..63 KiB datagrams, well framed, forged digest
    "field-flood": "too-many-fields",  # 1000-4000 fields in one datagram
    "long-name": "field-name-too-long",  # a field name of several KiB
    "unknown-source": "unknown-source",  # src not in ha.cf (signed with the right key even)
    "spoofed-source": "bad-digest",   # src a real node, digest made with a wrong key
    "wrong-digest": "bad-digest",     # a captured valid packet whose digest was altered
    "wrong-key-index": "unknown-key-index",  # key index not in authkeys
    "spoofed-ip": "bad-digest",       # spoofed-source packets with a real node's IP as source
    "replay-same-seq": "duplicate",   # a captured valid packet sent again at once
    "replay-old-seq": "replay",       # a captured valid packet older than the replay window
    "old-generation": "old-generation",  # valid packet re-signed with a lower hg
}

NETSTRING_BEGIN = b"###\n"
NETSTRING_END = b"%%%\n"
UDP_MAX_PAYLOAD = 65507  # IPv4


# Packets -----------------------------------------------------------------------------------------
def netstring(payload):
    return str(len(payload)).encode() + b":" + payload + b","


def digest(method, secret, data):
    if method == "sha1":
        return hmac.new(secret, data, hashlib.sha1).hexdigest()
    if method == "md5":
        return hmac.new(secret, data, hashlib.md5).hexdigest()
    raise ValueError(f"method {method}: only sha1 and md5 are built here")


def classic_text(fields):
    """The classic text the inner `auth` field signs: NAME=VALUE lines, binary as base64."""
    out = b""
    for name, ftype, value in fields:
        if name == b"auth":
            continue
        if ftype == 1:
            out += b"(1)" + name + b"=" + base64.b64encode(value) + b"\n"
        else:
            out += name + b"=" + value + b"\n"
    return out


def encode(fields, key=None, trailer=None):
    """A netstring datagram. fields: [(name bytes, type int, value bytes)] without auth.
    key: (index, method, secret bytes) signs both digests; trailer: a literal trailer payload
    (bytes) instead of a computed one."""
    fields = [f for f in fields if f[0] != b"auth"]
    if key is not None:
        index, method, secret = key
        fields.append((b"auth", 0, f"{index} {digest(method, secret, classic_text(fields))}"
                       .encode()))
    body = NETSTRING_BEGIN
    for name, ftype, value in fields:
        body += netstring(b"(" + str(ftype).encode() + b")" + name + b"=" + value)
    body += NETSTRING_END
    if trailer is None and key is not None:
        index, method, secret = key
        trailer = f"{index} {digest(method, secret, body)}".encode()
    return body + (netstring(trailer) if trailer is not None else b"")


def decode(datagram):
    """(fields, trailer) of a netstring datagram, or None when it is not one."""
    if not datagram.startswith(NETSTRING_BEGIN):
        return None
    pos, fields = len(NETSTRING_BEGIN), []
    try:
        while not datagram.startswith(NETSTRING_END, pos):
            colon = datagram.index(b":", pos)
            n = int(datagram[pos:colon])
            payload = datagram[colon + 1:colon + 1 + n]
            if datagram[colon + 1 + n:colon + 2 + n] != b"," or payload[:1] != b"(":
                return None
            eq = payload.index(b"=")
            fields.append((payload[3:eq], int(payload[1:2]), payload[eq + 1:]))
            pos = colon + 2 + n
        pos += len(NETSTRING_END)
        colon = datagram.index(b":", pos)
        n = int(datagram[pos:colon])
        return fields, datagram[colon + 1:colon + 1 + n]
    except ValueError:
        return None


def field_value(fields, name):
    for n, _, v in fields:
        if n == name:
            return v
    return None


class Captured:
    """One valid packet seen on the wire: its bytes and the fields replays need."""

    def __init__(self, datagram, when):
        self.datagram = datagram
        self.when = when
        fields, _ = decode(datagram)
        self.fields = fields
        self.source = field_value(fields, b"src").decode()
        self.type = (field_value(fields, b"t") or b"").decode()
        self.seq = int(field_value(fields, b"seq"), 16) if field_value(fields, b"seq") else None
        self.generation = int(field_value(fields, b"hg") or b"0", 16)


def parse_captures(raw, senders=None):
    """[(bytes, time, sender address)] -> [Captured] of netstring packets that carry src, seq
    and hg, sent from one of `senders` (addresses) when given."""
    out = []
    for datagram, when, sender in raw:
        if senders is not None and sender not in senders:
            continue
        d = decode(datagram)
        if d is None:
            continue
        fields, _ = d
        if field_value(fields, b"src") and field_value(fields, b"seq") and \
                field_value(fields, b"hg"):
            out.append(Captured(datagram, when))
    return out


class PacketFactory:
    """Builds the packets of every KINDS entry. secret/method/index: the cluster's authkeys key
    (forged-but-valid packets, e.g. old generations, need it); nodes: the ha.cf node names."""

    def __init__(self, nodes, secret=b"test-secret", method="sha1", index=1, seed=694):
        self.nodes = list(nodes)
        self.key = (index, method, secret)
        self.wrong_key = (index, method, b"not-the-" + secret)
        self.rng = random.Random(seed)

    def status_fields(self, src, seq=None, generation=None, ld=None):
        seq = self.rng.randrange(1, 1 << 20) if seq is None else seq
        generation = self.rng.randrange(1, 1 << 31) if generation is None else generation
        uuid = hashlib.md5(src.encode()).digest()
        return [(b"t", 0, b"status"), (b"st", 0, b"active"), (b"dt", 0, b"3e8"),
                (b"protocol", 0, b"1"), (b"src", 0, src.encode()), (b"srcuuid", 1, uuid),
                (b"seq", 0, b"%x" % seq), (b"hg", 0, b"%x" % generation),
                (b"ts", 0, b"%x" % int(time.time())),
                (b"ld", 0, ld if ld is not None else b"0.10 0.20 0.30 1/100 4242"),
                (b"ttl", 0, b"3")]

    def some_node(self):
        return self.rng.choice(self.nodes)

    # One packet of a kind (replay kinds take captured packets: see replays()).
    def random(self):
        n = self.rng.randrange(8, 1400)
        data = bytearray(self.rng.getrandbits(8) for _ in range(n))
        if data[:4] in (b"###\n", b">>>\n"):
            data[0] = ord("x")
        return bytes(data)

    def runt(self):
        return b"###\n%%%"[:self.rng.randrange(1, 8)]

    def truncated(self):
        whole = encode(self.status_fields(self.some_node()), self.key)
        end = whole.index(NETSTRING_END)
        # Cut strictly inside the fields: after the magic, before "%%%".
        return whole[:self.rng.randrange(len(NETSTRING_BEGIN) + 4, end)]

    def oversized(self):
        size = self.rng.randrange(8 * 1024, 63 * 1024)
        ld = b"x" * size
        return encode(self.status_fields(self.some_node(), ld=ld), self.wrong_key)

    def field_flood(self):
        fields = self.status_fields(self.some_node())
        fields += [(b"f%d" % i, 0, b"v") for i in range(self.rng.randrange(1000, 4000))]
        return encode(fields, self.key)

    def long_name(self):
        fields = self.status_fields(self.some_node())
        fields.insert(2, (b"n" * self.rng.randrange(1024, 8192), 0, b"v"))
        return encode(fields, self.key)

    def unknown_source(self):
        name = self.rng.choice(["intruder", "node9", "nodel", "node1x", "NODE1", "mallory"])
        return encode(self.status_fields(name), self.key)

    def spoofed_source(self):
        return encode(self.status_fields(self.some_node()), self.wrong_key)

    def wrong_digest(self, captured=None):
        """A valid packet (a captured one when given) whose trailer digest has one hex digit
        changed (the inner field is left alone: hbd judges netstring packets by the trailer)."""
        if captured is not None:
            fields, trailer = decode(captured.datagram)
        else:
            body = encode(self.status_fields(self.some_node()), self.key)
            fields, trailer = decode(body)
        index, hexdigest = trailer.split(b" ", 1)
        pos = self.rng.randrange(len(hexdigest))
        flipped = b"0" if hexdigest[pos:pos + 1] != b"0" else b"1"
        hexdigest = hexdigest[:pos] + flipped + hexdigest[pos + 1:]
        return _with_trailer(fields, index + b" " + hexdigest)

    def wrong_key_index(self):
        index = self.rng.choice([2, 3, 7, 9, 15, 99])
        fields = self.status_fields(self.some_node())
        return encode(fields, (index, self.key[1], self.key[2]))

    def old_generation(self, captured):
        """A captured packet re-signed with the real key and a generation one lower: only a
        holder of the key can make it, and the replay window must still refuse it."""
        fields = [(n, t, b"%x" % (captured.generation - 1) if n == b"hg" else v)
                  for n, t, v in captured.fields]
        return encode(fields, self.key)

    def make(self, kind):
        builders = {
            "random": self.random, "runt": self.runt, "truncated": self.truncated,
            "oversized": self.oversized, "field-flood": self.field_flood,
            "long-name": self.long_name, "unknown-source": self.unknown_source,
            "spoofed-source": self.spoofed_source, "spoofed-ip": self.spoofed_source,
            "wrong-digest": self.wrong_digest, "wrong-key-index": self.wrong_key_index,
        }
        return builders[kind]()


def _with_trailer(fields, trailer):
    body = NETSTRING_BEGIN
    for name, ftype, value in fields:
        body += netstring(b"(" + str(ftype).encode() + b")" + name + b"=" + value)
    return body + NETSTRING_END + netstring(trailer)


# Plans -------------------------------------------------------------------------------------------
class Plan:
    """What a sender sends: items (destination address, datagram, spoofed source address or
    None, kind), sent round robin. `port`: the cluster's UDP port."""

    def __init__(self, port=694):
        self.port = port
        self.items = []

    def add(self, dest, datagram, kind, spoof=None):
        assert len(datagram) <= UDP_MAX_PAYLOAD, f"{kind}: {len(datagram)} bytes"
        self.items.append((dest, datagram, spoof, kind))

    def shuffle(self, seed=1):
        random.Random(seed).shuffle(self.items)


def check_destinations(plan, allowed):
    """Every destination must be a node's TEST-NET address or a 239.255.x.x group in `allowed`."""
    test_nets = [ipaddress.ip_network(n) for n in
                 ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")]
    group_net = ipaddress.ip_network("239.255.0.0/16")
    for dest, _, spoof, _ in plan.items:
        a = ipaddress.ip_address(dest)
        ok = (any(a in n for n in test_nets) or a in group_net) and dest in allowed
        if not ok:
            raise ValueError(f"refusing to send to {dest}: not a cluster address")
        if spoof is not None:
            s = ipaddress.ip_address(spoof)
            if not any(s in n for n in test_nets):
                raise ValueError(f"spoofed source {spoof} is not TEST-NET")


# Sender (runs inside the injector namespace) -----------------------------------------------------
def _ip_udp_header(src, dst, port, payload_len):
    udp = struct.pack("!HHHH", port, port, 8 + payload_len, 0)  # checksum 0: none (IPv4)
    total = 20 + 8 + payload_len
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, 0, 0, 64, socket.IPPROTO_UDP, 0,
                     socket.inet_aton(src), socket.inet_aton(dst))
    return ip + udp


def _send_share(items, port, count, seconds, rate, multicast_if):
    """Sends `count` packets cycling `items`, stops at `seconds`; paced to `rate` packets/s
    (0: as fast as possible). Returns counters."""
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 * 1024 * 1024)
    udp.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
    if multicast_if:
        udp.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(multicast_if))
    raw = None
    prepared = []
    for dest, datagram, spoof, kind in items:
        if spoof is not None:
            if raw is None:
                raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
                raw.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
            datagram = _ip_udp_header(spoof, dest, port, len(datagram)) + datagram
            prepared.append((raw, datagram, (dest, 0), dest, kind))
        else:
            prepared.append((udp, datagram, (dest, port), dest, kind))
    sent = {}
    errors = {}
    n = len(prepared)
    start = time.monotonic()
    deadline = start + seconds
    i = 0
    while i < count:
        if i % 64 == 0:
            now = time.monotonic()
            if now >= deadline:
                break
            if rate > 0:
                ahead = start + i / rate - now
                if ahead > 0:
                    time.sleep(min(ahead, deadline - now))
        sock, datagram, addr, dest, kind = prepared[i % n]
        key = f"{dest} {kind}"
        try:
            sock.sendto(datagram, addr)
            sent[key] = sent.get(key, 0) + 1
        except OSError as e:
            ekey = f"{dest} {kind} {e.strerror}"
            errors[ekey] = errors.get(ekey, 0) + 1
            if e.errno in (105, 11):  # ENOBUFS, EAGAIN: the send queue is full; let it drain
                time.sleep(0.0005)
        i += 1
    return {"sent": sent, "errors": errors, "seconds": time.monotonic() - start}


def _merge(results):
    out = {"sent": {}, "errors": {}, "seconds": 0.0}
    for r in results:
        for part in ("sent", "errors"):
            for k, v in r[part].items():
                out[part][k] = out[part].get(k, 0) + v
        out["seconds"] = max(out["seconds"], r["seconds"])
    return out


def send_main(plan_path, count, seconds, rate, procs, multicast_if):
    with open(plan_path, "rb") as f:
        plan = pickle.load(f)  # {"port": int, "items": [...]}: plain values only
    items, port = plan["items"], plan["port"]
    procs = max(1, min(procs, 16))
    if procs == 1:
        print(json.dumps(_send_share(items, port, count, seconds, rate, multicast_if)))
        return
    children = []
    for p in range(procs):
        share = items[p::procs] or items
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            result = _send_share(share, port, count // procs + (p < count % procs),
                                 seconds, rate / procs, multicast_if)
            os.write(w, json.dumps(result).encode())
            os._exit(0)
        os.close(w)
        children.append((pid, r))
    results = []
    for pid, r in children:
        with os.fdopen(r, "rb") as f:
            data = f.read()
        os.waitpid(pid, 0)
        results.append(json.loads(data) if data else {"sent": {}, "errors": {"child": 1},
                                                       "seconds": 0})
    print(json.dumps(_merge(results)))


def capture_main(out_path, group, port, interface_address, max_count, seconds):
    """Joins `group` on the interface with `interface_address`, keeps up to max_count datagrams
    or `seconds`, whichever first; writes [(bytes, unix time, sender)] pickled (atomically) every 0.5 s
    so a reader sees captures while it runs."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((group, port))
    mreq = socket.inet_aton(group) + socket.inet_aton(interface_address)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)
    s.settimeout(0.2)
    got = []
    deadline = time.monotonic() + seconds
    last_write = 0.0
    while time.monotonic() < deadline and len(got) < max_count:
        try:
            data, (sender, _) = s.recvfrom(65535)
            if sender != interface_address:  # not what this injector sent to the group
                got.append((data, time.time(), sender))
        except socket.timeout:
            pass
        if time.monotonic() - last_write > 0.5:
            _write_atomic(out_path, got)
            last_write = time.monotonic()
    _write_atomic(out_path, got)


def _write_atomic(path, obj):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        pickle.dump(obj, f)
    os.replace(tmp, path)


# The test side -----------------------------------------------------------------------------------
class Injector:
    """An injector host on the cluster's heartbeat networks (cluster.add_host) and the tools to
    fill plans, capture live packets and send."""

    def __init__(self, cluster, name="inj", host_index=200, port=694, group="239.255.0.1",
                 factory=None):
        self.cluster = cluster
        self.port = port
        self.group = group
        self.host_index = host_index
        self.netns = cluster.add_host(name, host_index)
        self.dir = tempfile.mkdtemp(prefix="injector-", dir=cluster.workdir)
        self.factory = factory or PacketFactory([n.name for n in cluster.nodes])
        self.capture_proc = None
        self.capture_path = os.path.join(self.dir, "captured.pickle")

    def address(self, network=0):
        from hbdtest.cluster import NETWORKS
        return f"{NETWORKS[network]}.{self.host_index}"

    def allowed(self):
        out = {self.group}
        for node in self.cluster.nodes:
            for k in range(self.cluster.networks):
                out.add(node.address(k))
        return out

    def node_addresses(self, node):
        return [node.address(k) for k in range(self.cluster.networks)]

    # Capture -------------------------------------------------------------------------------------
    def start_capture(self, seconds=600, max_count=100000):
        assert self.capture_proc is None
        cmd = ["ip", "netns", "exec", self.netns, sys.executable, os.path.abspath(__file__),
               "capture", self.capture_path, self.group, str(self.port), self.address(0),
               str(max_count), str(seconds)]
        with open(os.path.join(self.dir, "capture.err"), "wb") as err:
            self.capture_proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err,
                                                 start_new_session=True)
        self.cluster.started.append(self.capture_proc)

    def captured(self):
        """Every valid-looking packet captured so far, oldest first ([Captured])."""
        try:
            with open(self.capture_path, "rb") as f:
                raw = pickle.load(f)
        except (FileNotFoundError, EOFError, pickle.UnpicklingError):
            return []
        return parse_captures(raw, {n.address(0) for n in self.cluster.nodes})

    def stop_capture(self):
        if self.capture_proc is not None and self.capture_proc.poll() is None:
            os.killpg(self.capture_proc.pid, 9)
            self.capture_proc.wait(timeout=10)

    def fresh_from(self, source, newer_than):
        """Captured status packets from `source` captured after unix time `newer_than`."""
        return [c for c in self.captured() if c.source == source and c.type == "status"
                and c.when > newer_than]

    # Plans ---------------------------------------------------------------------------------------
    def plan_kind(self, kind, per_node=50, variants=50, captured=None, multicast=False):
        """A plan of `kind` to every node's addresses (round robin over its networks).
        captured: {node name: [Captured from that node]} for the replay kinds and wrong-digest;
        a replay of node X's packet goes only to X's peers (X itself has no window for itself).
        multicast: also send every packet once to the group (not for replay kinds)."""
        plan = Plan(self.port)
        nodes = self.cluster.nodes
        for node in nodes:
            addresses = self.node_addresses(node)
            for i in range(per_node):
                dest = addresses[i % len(addresses)]
                datagram, spoof = self._one(kind, node, i, variants, captured)
                plan.add(dest, datagram, kind, spoof if kind == "spoofed-ip" else None)
        if multicast:
            assert not kind.startswith("replay") and kind != "old-generation"
            for i in range(per_node):
                datagram, _ = self._one(kind, nodes[0], i, variants, captured)
                plan.add(self.group, datagram, kind)
        return plan

    def _one(self, kind, dest_node, i, variants, captured):
        """(datagram, spoofed source) of `kind` for `dest_node`; variants are cached."""
        cache = self.__dict__.setdefault("_variants", {})
        peers = [n for n in self.cluster.nodes if n is not dest_node]
        peer = peers[i % len(peers)]
        if kind in ("replay-same-seq", "replay-old-seq", "old-generation") or \
                (kind == "wrong-digest" and captured):
            pool = captured[peer.name]
            assert pool, f"{kind}: nothing captured from {peer.name}"
            c = pool[i % len(pool)]
            if kind == "old-generation":
                return self.factory.old_generation(c), None
            if kind == "wrong-digest":
                return self.factory.wrong_digest(c), None
            return c.datagram, None
        key = (kind, i % variants)
        if key not in cache:
            cache[key] = self.factory.make(kind)
        # spoofed-ip: the packet claims to come from the peer, from the peer's own address on
        # the network it is sent on.
        network = i % self.cluster.networks
        return cache[key], peer.address(network)

    def mixed_plan(self, captured, variants=40, exclude=()):
        """The flood mix to every node: random bytes, runts, truncated, forged (wrong digest,
        wrong key index, spoofed and unknown names, spoofed IPs), replays (same seq, old
        generation) and a few field floods, long names and big datagrams. `exclude`: kinds to
        leave out."""
        weights = {"random": 20, "runt": 5, "truncated": 10, "unknown-source": 10,
                   "spoofed-source": 15, "wrong-digest": 10, "wrong-key-index": 10,
                   "spoofed-ip": 5, "replay-same-seq": 5, "old-generation": 5,
                   "field-flood": 1, "long-name": 1}
        plan = Plan(self.port)
        for kind, w in weights.items():
            if kind in exclude:
                continue
            part = self.plan_kind(kind, per_node=w * 8, variants=variants, captured=captured)
            plan.items += part.items
        # A few big datagrams (fragmented on the wire), 1 in ~1000.
        if "oversized" not in exclude:
            plan.items += self.plan_kind("oversized", per_node=1, variants=1).items
        plan.shuffle()
        return plan

    def send(self, plan, count, seconds, rate=0, procs=1, timeout=None):
        """Sends `count` packets of `plan` (round robin) within `seconds`; returns the sender's
        JSON ({"sent": {"DEST KIND": n}, "errors": {...}, "seconds": s})."""
        check_destinations(plan, self.allowed())
        assert count <= 2_000_000 and seconds <= 120, "bounded floods only"
        path = os.path.join(self.dir, f"plan-{time.monotonic_ns()}.pickle")
        with open(path, "wb") as f:
            pickle.dump({"port": plan.port, "items": plan.items}, f)
        cmd = ["ip", "netns", "exec", self.netns, sys.executable, os.path.abspath(__file__),
               "send", path, str(count), str(seconds), str(rate), str(procs), self.address(0)]
        result = subprocess.run(cmd, capture_output=True, text=True,
                                timeout=timeout or seconds + 30)
        os.unlink(path)
        if result.returncode != 0:
            raise RuntimeError(f"injector send failed: {result.stderr.strip()}")
        return json.loads(result.stdout)


def sent_to(result, addresses, kind=None):
    """Packets the sender handed to the kernel for these destinations (and kind)."""
    total = 0
    for key, n in result["sent"].items():
        dest, k = key.split(" ", 1)
        if dest in addresses and (kind is None or k == kind):
            total += n
    return total


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "send" and len(sys.argv) == 8:
        send_main(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]),
                  int(sys.argv[6]), sys.argv[7])
    elif len(sys.argv) >= 2 and sys.argv[1] == "capture" and len(sys.argv) == 8:
        capture_main(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], int(sys.argv[6]),
                     float(sys.argv[7]))
    else:
        sys.exit("usage: injector.py send PLAN COUNT SECONDS RATE PROCS MCAST_IF_ADDR | "
                 "capture OUT GROUP PORT IF_ADDR MAX_COUNT SECONDS")
