#!/bin/bash
# Test of resource.d/drbddisk against the drbdadm test simulator (tests/drbd/drbdadm):
# role changes, the start retry loop, refusals, "all", and Heartbeat-readable status text.
. "$(dirname "$0")/lib.sh"
require_root
require_cmd ip flock

NS="rs-drbd-$$"
TMP=$(mktemp -d /tmp/rs-drbd.XXXXXX)
on_exit "rm -rf '$TMP'"
make_netns "$NS"
SIM="$REPO_ROOT/tests/drbd/drbdadm"
export DRBD_SIM_DIR="$TMP/sim" DRBDADM="$SIM"
DD="$RESOURCE_DIR/drbddisk"
dd() { ip netns exec "$NS" env DRBD_SIM_DIR="$DRBD_SIM_DIR" DRBDADM="$DRBDADM" "$DD" "$@"; }

"$SIM" sim-create r0 || fatal "simulator cannot create r0"
"$SIM" sim-create r1 || fatal "simulator cannot create r1"
[ "$("$SIM" role r0)" = "Secondary/Secondary" ] || fail "simulator role output: $("$SIM" role r0)"

expect_rc 2 "bad resource name refused" dd 'r0;id' start
expect_rc 2 "no action refused" dd
expect_status_stopped dd r0
[ "$LAST_OUT" = "stopped (Secondary)" ] || fail "status text: '$LAST_OUT'"

expect_rc 0 "start" dd r0 start
[ "$("$SIM" role r0)" = "Primary/Secondary" ] || fail "r0 not Primary after start"
expect_status_running dd r0
[ "$LAST_OUT" = "running (Primary)" ] || fail "status text: '$LAST_OUT'"
expect_rc 0 "start again is a success" dd r0 start

expect_rc 0 "stop" dd r0 stop
[ "$("$SIM" role r0)" = "Secondary/Secondary" ] || fail "r0 not Secondary after stop"
expect_status_stopped dd r0
expect_rc 0 "stop again is a success" dd r0 stop

# DRBD refuses a few times (peer death not noticed yet): start retries 1 s apart.
"$SIM" sim-set r0 fail_primary=2
T0=$SECONDS
expect_rc 0 "start succeeds after two refusals" dd r0 start
[ $((SECONDS - T0)) -ge 2 ] || fail "retries were not spaced one second apart"
[ "$("$SIM" sim-get r0 fail_primary)" = "0" ] || fail "simulator did not see the retries"
[ "$("$SIM" role r0)" = "Primary/Secondary" ] || fail "r0 not Primary after retried start"
expect_rc 0 "stop after retried start" dd r0 stop

# An Outdated disk can never be promoted: start gives up after the bounded retries.
"$SIM" sim-set r1 disk=Outdated
T0=$SECONDS
expect_rc 1 "start on Outdated disk fails" env DRBDDISK_START_TRIES=3 bash -c \
  'ip netns exec "$0" env DRBD_SIM_DIR="$DRBD_SIM_DIR" DRBDADM="$DRBDADM" DRBDDISK_START_TRIES=3 "$1" r1 start' "$NS" "$DD"
[ $((SECONDS - T0)) -lt 10 ] || fail "failed start was not bounded"
[ "$("$SIM" role r1)" = "Secondary/Secondary" ] || fail "Outdated r1 became Primary"
"$SIM" sim-set r1 disk=UpToDate

# "all": default resource; mixed roles read as "may be running".
expect_status_stopped dd
expect_rc 0 "start r0 only" dd r0 start
expect_rc 4 "status all with mixed roles" dd status
heartbeat_says_running "$LAST_OUT" || fail "mixed-role status must read as running: $LAST_OUT"
expect_rc 0 "start all" dd start
[ "$("$SIM" role r1)" = "Primary/Secondary" ] || fail "r1 not Primary after start all"
expect_status_running dd
expect_rc 0 "stop all" dd all stop
expect_status_stopped dd all

# Unknown resource: drbdadm fails, status must not claim "stopped".
expect_rc 4 "status of unknown resource" dd r9 status
heartbeat_says_running "$LAST_OUT" || fail "unsure status must read as running: $LAST_OUT"
expect_rc 1 "start of unknown resource fails" env bash -c \
  'ip netns exec "$0" env DRBD_SIM_DIR="$DRBD_SIM_DIR" DRBDADM="$DRBDADM" DRBDDISK_START_TRIES=1 "$1" r9 start' "$NS" "$DD"
exit 0
