#!/bin/bash
# Test of the DRBD test simulator (tests/drbd/drbdadm) itself: two "nodes" are two state
# directories sharing one replication link directory; no namespaces, no root.
set -u

SRC="${HBD_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
SIM="$SRC/tests/drbd/drbdadm"
T=$(mktemp -d /tmp/drbd-sim-test.XXXXXX)
trap 'rm -rf "$T"' EXIT
FAILURES=0

fail() {
  echo "FAIL: $*" >&2
  FAILURES=$((FAILURES + 1))
}
on() {  # on NODE drbdadm-args...: drbdadm as seen on NODE
  local n="$1"
  shift
  DRBD_SIM_DIR="$T/$n" "$SIM" "$@"
}
# want WHAT EXPECTED COMMAND...: stdout of COMMAND must be EXPECTED.
want() {
  local what="$1" expected="$2" got
  shift 2
  got=$("$@" 2>/dev/null)
  [ "$got" = "$expected" ] || fail "$what: got '$got', want '$expected'"
}
# want_rc WHAT RC COMMAND...: exit code (stderr kept in $T/err).
want_rc() {
  local what="$1" rc_want="$2" rc
  shift 2
  "$@" >/dev/null 2>"$T/err"
  rc=$?
  [ "$rc" = "$rc_want" ] || fail "$what: exit $rc, want $rc_want ($(cat "$T/err"))"
}
calls() {  # calls NODE RES: number of fence-peer handler calls logged on NODE for RES
  local n
  n=$(grep -c "resource=$2 " "$T/$1/fence-peer.log" 2>/dev/null)
  echo "${n:-0}"
}

# The fence-peer handler used by the tests. Mode file: "dopd" (ask the peer's node to outdate,
# map the exit code as dopd does) or "exit:N". Records its arguments and environment.
cat >"$T/handler" <<EOF
#!/bin/bash
echo "args=\$* DRBD_RESOURCE=\$DRBD_RESOURCE DRBD_PEER=\$DRBD_PEER DRBD_PEERS=\$DRBD_PEERS SIM_DIR=\$DRBD_SIM_DIR" >>"$T/handler.calls"
mode=\$(cat "$T/handler.mode")
case "\$mode" in
  dopd)
    DRBD_SIM_DIR="$T/\$DRBD_PEER" "$SIM" outdate "\$DRBD_RESOURCE"
    case \$? in 0) exit 4 ;; 5) exit 3 ;; 17) exit 6 ;; *) exit 20 ;; esac ;;
  exit:*) exit "\${mode#exit:}" ;;
esac
exit 1
EOF
chmod +x "$T/handler"
mode() { echo "$1" >"$T/handler.mode"; }
pair() {  # pair RES [primary=NODE]: fresh pair node1/node2 with resource-only fencing
  "$SIM" sim-pair "$1" "$T/link-$1" "node1:$T/node1" "node2:$T/node2" "${@:2}" \
    fencing=resource-only "fence_peer_handler=$T/handler -t 5" >/dev/null 2>&1 ||
    fail "sim-pair $1 failed"
}

# --- pair creation, roles visible on both sides, refusals while connected ---
pair r0
want "node1 role" "Secondary/Secondary" on node1 role r0
want "node2 dstate" "UpToDate/UpToDate" on node2 dstate r0
want "node1 cstate" "Connected" on node1 cstate r0
want_rc "node1 primary" 0 on node1 primary r0
want "node1 role after primary" "Primary/Secondary" on node1 role r0
want "node2 sees the Primary" "Secondary/Primary" on node2 role r0
want_rc "node2 primary while node1 Primary and connected" 11 on node2 primary r0
grep -q "(-1) Multiple primaries not allowed by config" "$T/err" || fail "message: $(cat "$T/err")"
want "node2 still Secondary" "Secondary/Primary" on node2 role r0
want_rc "outdate on a Primary" 17 on node1 outdate r0
want_rc "outdate while Connected" 11 on node2 outdate r0
want "node2 disk untouched" "UpToDate/UpToDate" on node2 dstate r0

# --- cut the link: both sides lose sight of each other ---
"$SIM" sim-link r0 cut link="$T/link-r0" || fail "sim-link cut"
want "node1 cstate after cut" "WFConnection" on node1 cstate r0
want "node1 role after cut" "Primary/Unknown" on node1 role r0
want "node1 dstate after cut" "UpToDate/DUnknown" on node1 dstate r0
want "node2 dstate after cut" "UpToDate/DUnknown" on node2 dstate r0
want "node2 role after cut" "Secondary/Unknown" on node2 role r0
[ "$(calls node1 r0)" = 0 ] || fail "handler ran before sim-lost-peer"

# --- the Primary fences its lost peer (dopd-like handler: outdates node2, exit 4) ---
mode dopd
want_rc "sim-lost-peer on node1" 0 on node1 sim-lost-peer r0
[ "$(calls node1 r0)" = 1 ] || fail "fence-peer log on node1: $(cat "$T/node1/fence-peer.log" 2>&1)"
line=$(grep "resource=r0 " "$T/node1/fence-peer.log")
for kv in reason=lost-peer DRBD_RESOURCE=r0 DRBD_PEER=node2 DRBD_PEERS=node2 exit=4 pdsk=Outdated; do
  [[ " $line " == *" $kv "* ]] || fail "fence-peer log lacks $kv: $line"
done
grep -qx "args=-t 5 DRBD_RESOURCE=r0 DRBD_PEER=node2 DRBD_PEERS=node2 SIM_DIR=$T/node1" \
  "$T/handler.calls" || fail "handler saw: $(cat "$T/handler.calls")"
want "node1 sees peer Outdated" "UpToDate/Outdated" on node1 dstate r0
want "node2 disk Outdated" "Outdated/DUnknown" on node2 dstate r0
"$SIM" sim-link r0 status link="$T/link-r0" | grep -q "^node1.pub: .*pdsk=Outdated" ||
  fail "node1 did not publish pdsk=Outdated: $("$SIM" sim-link r0 status link="$T/link-r0")"
want_rc "second sim-lost-peer" 0 on node1 sim-lost-peer r0
[ "$(calls node1 r0)" = 1 ] || fail "handler called again for an already fenced peer"
want_rc "primary on an Outdated disk" 11 on node2 primary r0
grep -q "(-2) Need access to UpToDate data" "$T/err" || fail "message: $(cat "$T/err")"
[ "$(calls node2 r0)" = 0 ] || fail "refused promotion ran the handler"

# drbddisk cannot take over an Outdated disk either.
want_rc "drbddisk start on Outdated node2" 1 env DRBD_SIM_DIR="$T/node2" DRBDADM="$SIM" \
  DRBDDISK_START_TRIES=1 "$SRC/resource.d/drbddisk" r0 start

# --- restore: resync makes both UpToDate, both Connected ---
"$SIM" sim-link r0 up link="$T/link-r0" || fail "sim-link up"
want "node2 after restore" "UpToDate/UpToDate" on node2 dstate r0
want "node1 after restore" "UpToDate/UpToDate" on node1 dstate r0
want "node2 cstate after restore" "Connected" on node2 cstate r0
want "node1 cstate after restore" "Connected" on node1 cstate r0
want "node2 role after restore" "Secondary/Primary" on node2 role r0
grep -q "resource=r0 event=resync-target from=node1" "$T/node2/events.log" ||
  fail "node2 did not resync from node1"

# --- other handler exit codes, read as DRBD does (handler only exits) ---
check_exit() {  # check_exit RES CODE NODE1_DSTATE NODE1_ROLE
  pair "$1" primary=node1
  "$SIM" sim-link "$1" cut link="$T/link-$1"
  mode "exit:$2"
  want_rc "sim-lost-peer ($2)" 0 on node1 sim-lost-peer "$1"
  grep -q "resource=$1 .* exit=$2 " "$T/node1/fence-peer.log" || fail "exit $2 not logged"
  want "node1 dstate after exit $2" "$3" on node1 dstate "$1"
  want "node1 role after exit $2" "$4" on node1 role "$1"
  want "node2 disk untouched by exit $2" "UpToDate/DUnknown" on node2 dstate "$1"
}
check_exit e3 3 "UpToDate/Inconsistent" "Primary/Unknown"
check_exit e5 5 "UpToDate/Outdated" "Primary/Unknown"
check_exit e6 6 "UpToDate/DUnknown" "Primary/Unknown"  # a Primary cannot outdate itself
check_exit e7 7 "UpToDate/Outdated" "Primary/Unknown"
check_exit e1 1 "UpToDate/DUnknown" "Primary/Unknown"  # helper broken: nothing changes
grep -q 'resource=e1 .*result=fence-peer\\ helper\\ broken' "$T/node1/fence-peer.log" ||
  fail "broken helper not reported"

# --- promotion of a disconnected Secondary asks the handler first (DRBD 8.4) ---
pair p6 primary=node1
"$SIM" sim-link p6 cut link="$T/link-p6"
mode exit:6
want_rc "node2 primary, peer is active" 11 on node2 primary p6
grep -q "resource=p6 reason=promote .* exit=6 " "$T/node2/fence-peer.log" || fail "promote fence not logged"
want "node2 outdated itself" "Outdated/DUnknown" on node2 dstate p6
want_rc "node2 primary --force overrides the Outdated disk" 0 on node2 primary --force p6
want "node2 forced Primary" "Primary/Unknown" on node2 role p6
want "node2 forced UpToDate" "UpToDate/Outdated" on node2 dstate p6
grep -q "resource=p6 event=forced" "$T/node2/events.log" || fail "forced promotion not logged"
# Both were Primary apart: at reconnection DRBD finds a split brain and drops the link.
"$SIM" sim-link p6 up link="$T/link-p6"
want "split brain node1" "StandAlone" on node1 cstate p6
want "split brain node2" "StandAlone" on node2 cstate p6
grep -q "resource=p6 event=split-brain" "$T/node1/events.log" || fail "node1 split brain not logged"
grep -q "resource=p6 event=split-brain" "$T/node2/events.log" || fail "node2 split brain not logged"
# Recovery as with DRBD: the victim discards its data.
want_rc "victim secondary" 0 on node2 secondary p6
want_rc "victim connect --discard-my-data" 0 on node2 connect --discard-my-data p6
want_rc "survivor connect" 0 on node1 connect p6
want "recovered node2" "Secondary/Primary" on node2 role p6
want "recovered node1" "UpToDate/UpToDate" on node1 dstate p6
want "recovered cstate" "Connected" on node1 cstate p6

# Failover after the peer died (handler: peer unreachable, local disk UpToDate) is allowed.
pair p5
"$SIM" sim-link p5 cut link="$T/link-p5"
mode exit:5
want_rc "node2 primary, peer unreachable" 0 on node2 primary p5
want "node2 Primary after exit 5" "UpToDate/Outdated" on node2 dstate p5
mode exit:1
pair p1
"$SIM" sim-link p1 cut link="$T/link-p1"
want_rc "primary with a broken handler" 11 on node1 primary p1
grep -q "(-7) Refusing to be Primary while peer is not outdated" "$T/err" || fail "message: $(cat "$T/err")"
want_rc "drbdadm -- --force primary" 0 on node1 -- --force primary p1

# --- disconnect / connect, all ---
pair d0
want_rc "disconnect" 0 on node1 disconnect d0
want "StandAlone" "StandAlone" on node1 cstate d0
want "peer waits" "WFConnection" on node2 cstate d0
want_rc "connect" 0 on node1 connect d0
want "reconnected" "Connected" on node2 cstate d0
want_rc "connect twice" 10 on node1 connect d0
[ "$(on node1 role all | wc -l)" -ge 8 ] || fail "role all lists every resource"

# --- input validation ---
want_rc "bad resource name" 10 on node1 role 'r0;id'
want_rc "unknown resource" 10 on node1 role nope
want_rc "unknown option" 10 on node1 primary --yes r0
want_rc "--force on secondary" 10 on node1 secondary --force r0
want_rc "bad fencing value" 10 on node1 sim-create x1 peer=node2 fencing=maybe
want_rc "fencing without handler" 10 on node1 sim-create x1 peer=node2 fencing=resource-only
want_rc "node equal to peer" 10 on node1 sim-create x1 node=a peer=a
want_rc "bad disk value" 10 on node1 sim-set r0 disk=Great
want_rc "bad link action" 10 "$SIM" sim-link r0 sideways link="$T/link-r0"

# --- concurrency: both sides race for Primary; exactly one wins ---
pair c0
for round in 1 2 3 4; do
  on node1 secondary c0 && on node2 secondary c0 || fail "round $round: secondary"
  for i in $(seq 1 10); do
    on node1 primary c0 >/dev/null 2>&1 &
    on node2 primary c0 >/dev/null 2>&1 &
    on node1 role c0 >/dev/null 2>&1 &
  done
  wait
  r1=$(on node1 role c0) r2=$(on node2 role c0)
  case "$r1 $r2" in
    "Primary/Secondary Secondary/Primary" | "Secondary/Primary Primary/Secondary") ;;
    *) fail "race for Primary, round $round: node1 $r1, node2 $r2" ;;
  esac
done
# Mixed calls with link flaps from both sides, then check every state file is whole.
for i in $(seq 1 12); do
  on node1 secondary c0 >/dev/null 2>&1 &
  on node2 primary c0 >/dev/null 2>&1 &
  on node1 dstate c0 >/dev/null 2>&1 &
  "$SIM" sim-link c0 "$( ((i % 2)) && echo cut || echo up)" link="$T/link-c0" >/dev/null 2>&1 &
  on node2 cstate c0 >/dev/null 2>&1 &
done
wait
"$SIM" sim-link c0 up link="$T/link-c0"
for f in "$T"/node1/*.state "$T"/node2/*.state; do
  [ "$(grep -cE '^[a-z_]+=' "$f")" = 15 ] && [ "$(wc -l <"$f")" = 15 ] ||
    fail "$f is not 15 key=value lines: $(cat "$f")"
  grep -qxE 'role=(Primary|Secondary)' "$f" || fail "$f role: $(grep ^role= "$f")"
  grep -qxE 'disk=(UpToDate|Outdated|Inconsistent|Consistent|Diskless|DUnknown)' "$f" ||
    fail "$f disk: $(grep ^disk= "$f")"
done
for f in "$T"/link-c0/*.pub; do
  [ "$(grep -cE '^[a-z]+=' "$f")" = 8 ] && [ "$(wc -l <"$f")" = 8 ] ||
    fail "$f is not 8 key=value lines: $(cat "$f")"
done
leftover=$(find "$T" -name '*.tmp.*')
[ -z "$leftover" ] || fail "temporary files left: $leftover"
c1=$(on node1 cstate c0) c2=$(on node2 cstate c0)
case "$c1 $c2" in
  "Connected Connected")
    r1=$(on node1 role c0) r2=$(on node2 role c0)
    [ "${r1%%/*}" = "${r2#*/}" ] && [ "${r2%%/*}" = "${r1#*/}" ] || fail "views differ: $r1 / $r2"
    [ "$r1 $r2" != "Primary/Primary Primary/Primary" ] || fail "two Primaries connected"
    ;;
  "StandAlone StandAlone") ;;  # both were Primary during a cut: split brain found on both sides
  *) fail "after the storm: node1 $c1, node2 $c2" ;;
esac

if [ "$FAILURES" -ne 0 ]; then
  echo "test_drbd_simulator: $FAILURES check(s) failed" >&2
  exit 1
fi
echo "test_drbd_simulator: PASS"
