#!/usr/bin/env bash
# cl_status against a real single-node hbd: Heartbeat's subcommands, outputs and exit codes,
# --socket and HBD_SOCKET, and the "stopped" answer once hbd is gone.
set -euo pipefail
source "$(dirname "$0")/lib_single_node.sh"
in_private_namespaces "$0" "$@"
cl=${HBD_BIN_DIR:?}/cl_status

# expect CODE EXPECTED_STDOUT ARGS...: runs cl_status and checks both.
expect() {
  local code=$1 want=$2 out rc
  shift 2
  set +e
  out=$("$cl" "$@" 2>"$work/err")
  rc=$?
  set -e
  [[ $rc -eq $code ]] || fail "cl_status $*: exit $rc, expected $code (out: $out, err: $(cat "$work/err"))"
  [[ "$out" == "$want" ]] || fail "cl_status $*: printed '$out', expected '$want'"
}

# Before hbd runs: stopped, exit 1; other subcommands exit 1 with a reason on stderr.
export HBD_SOCKET=$work/hbd.sock
expect 1 "Heartbeat is stopped on this machine." hbstatus
expect 1 "" listnodes
grep -q "cannot reach hbd" "$work/err" || fail "unreachable reason: $(cat "$work/err")"

# Help and usage need no daemon.
"$cl" --help | grep -q "hbstatus" || fail "--help"
expect 11 "" frobnicate

start_hbd node1 "ping 192.0.2.254
deadping 400ms
respawn hacluster /usr/lib/heartbeat/ipfail"

expect 0 "Heartbeat is running on this machine." hbstatus
out=$("$cl" hbstatus -v)
grep -qx "version:	[0-9.]* (hbd)" <<<"$out" || fail "hbstatus -v version: $out"
grep -qx 'managed by:	"haresources"' <<<"$out" || fail "hbstatus -v manager: $out"
grep -qx "node1	\(up\|active\)	(nodetype: normal)" <<<"$out" || fail "hbstatus -v node: $out"
grep -qx "	lo	up" <<<"$out" || fail "hbstatus -v link: $out"
grep -qx "192.0.2.254	\(ping\|dead\|init\)	(nodetype: ping)" <<<"$out" || fail "hbstatus -v ping: $out"

expect 0 "node1
192.0.2.254" listnodes
expect 0 "node1" listnodes -n
expect 0 "192.0.2.254" listnodes -p
# A single node is active once comm is up (initdead 1 s at most).
for _ in $(seq 1 30); do [[ $("$cl" nodestatus node1) == active ]] && break; sleep 0.1; done
expect 0 "active" nodestatus node1
expect 0 "active" nodestatus NODE1
expect 11 "" nodestatus node9
grep -q "unknown node 'node9'" "$work/err" || fail "unknown node message: $(cat "$work/err")"
expect 0 "normal" nodetype node1
expect 0 "ping" nodetype 192.0.2.254
# The ping node is unreachable inside this namespace: dead after deadping.
for _ in $(seq 1 40); do [[ $("$cl" nodestatus 192.0.2.254 || true) == dead ]] && break; sleep 0.1; done
expect 1 "dead" nodestatus 192.0.2.254
expect 0 "	lo" listhblinks node1
expect 0 "up" hblinkstatus node1 lo
expect 11 "" hblinkstatus node1 eth7
expect 0 "none" rscstatus
expect 0 "online" clientstatus node1 ipfail
expect 1 "offline" clientstatus node1 dopd
expect 1 "offline" clientstatus node1 crmd

# --socket wins over HBD_SOCKET.
HBD_SOCKET=/nonexistent expect 0 "Heartbeat is running on this machine." --socket "$work/hbd.sock" hbstatus
HBD_SOCKET=/nonexistent expect 1 "Heartbeat is stopped on this machine." hbstatus

stop_hbd
expect 1 "Heartbeat is stopped on this machine." hbstatus
echo "cl_status CLI: all checks passed"
