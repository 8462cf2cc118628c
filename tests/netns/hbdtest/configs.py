"""ha.cf texts for the namespace tests."""


def ha_cf(nodes, keepalive="100ms", warntime="400ms", deadtime="1", initdead="3",
          media=None, ping=None, deadping=None, extra="", auto_failback="off"):
    """An ha.cf for `nodes` (Node objects): mcast on eth0 (239.255.0.1) and ucast on eth1 to
    every node's eth1 address, unless `media` gives other lines."""
    lines = [f"keepalive {keepalive}", f"warntime {warntime}", f"deadtime {deadtime}",
             f"initdead {initdead}", "udpport 694", "logfacility none",
             f"auto_failback {auto_failback}"]
    if media is None:
        media = ["mcast eth0 239.255.0.1 694 1 0"]
        media += [f"ucast eth1 {n.address(1)}" for n in nodes]
    lines += media
    lines += [f"node {n.name}" for n in nodes]
    if ping:
        lines.append("ping " + " ".join(ping))
    if deadping:
        lines.append(f"deadping {deadping}")
    return "\n".join(lines) + "\n" + extra
