# shellcheck shell=bash
# Shared helpers for the resource script tests (sourced, not run). Each test owns its
# namespaces (prefix "rs-"), temp dir and processes, and removes them in its EXIT trap.
set -u

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RESOURCE_DIR="$REPO_ROOT/resource.d"
TEST_NAME="$(basename "$0" .sh)"
FAILURES=0
CLEANUP_STEPS=()

log() { echo "[$TEST_NAME] $*"; }

fail() {
  echo "[$TEST_NAME] FAIL: $*" >&2
  FAILURES=$((FAILURES + 1))
}

# fatal MESSAGE: stop the test now (cleanup still runs from the trap).
fatal() {
  echo "[$TEST_NAME] FATAL: $*" >&2
  exit 1
}

require_root() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "[$TEST_NAME] FATAL: this test needs root (network namespaces, mounts, daemons)." >&2
    echo "[$TEST_NAME] FATAL: run it as root (e.g. sudo ctest -L root); refusing to pass." >&2
    exit 1
  fi
}

require_cmd() {
  local c
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 ||
      fatal "'$c' is not installed (see scripts/install-deps.d/resource-scripts.list)"
  done
}

# on_exit COMMAND...: register a cleanup step; steps run in reverse order.
on_exit() { CLEANUP_STEPS+=("$*"); }

run_cleanup() {
  local rc=$? i
  set +e
  for ((i = ${#CLEANUP_STEPS[@]} - 1; i >= 0; i--)); do
    bash -c "${CLEANUP_STEPS[i]}" >/dev/null 2>&1
  done
  if [ "$rc" -eq 0 ] && [ "$FAILURES" -ne 0 ]; then rc=1; fi
  if [ "$rc" -eq 0 ]; then log "PASS"; else echo "[$TEST_NAME] FAILED (rc=$rc, $FAILURES check(s) failed)" >&2; fi
  exit "$rc"
}
trap run_cleanup EXIT
trap 'exit 130' INT TERM

# expect_rc WANT DESCRIPTION COMMAND...: runs the command, checks its exit code, keeps
# its stdout in LAST_OUT.
LAST_OUT=""
expect_rc() {
  local want="$1" what="$2" rc
  shift 2
  LAST_OUT=$("$@" 2>/tmp/rs-stderr.$$)
  rc=$?
  if [ "$rc" -ne "$want" ]; then
    fail "$what: exit $rc, want $want; stdout: $LAST_OUT; stderr: $(cat /tmp/rs-stderr.$$)"
  else
    log "ok: $what (exit $rc) ${LAST_OUT:+-> $(head -n1 <<<"$LAST_OUT")}"
  fi
  rm -f /tmp/rs-stderr.$$
  return 0
}

# heartbeat_says_running TEXT: Heartbeat's reading of status stdout (its exact globs:
# "*[Nn][Oo][Tt]\ *[Rr]unning*" = not running, then "*[Rr]unning*|*OK*" = running).
heartbeat_says_running() {
  case "$1" in
    *[Nn][Oo][Tt]\ *[Rr]unning*) return 1 ;;
    *[Rr]unning* | *OK*) return 0 ;;
    *) return 1 ;;
  esac
}

expect_status_running() {  # expect_status_running COMMAND...
  expect_rc 0 "status (running)" "$@" status
  heartbeat_says_running "$LAST_OUT" || fail "status text not read as running: $LAST_OUT"
}

expect_status_stopped() {
  expect_rc 3 "status (stopped)" "$@" status
  heartbeat_says_running "$LAST_OUT" && fail "status text read as running: $LAST_OUT"
  return 0
}

# make_netns NAME: creates a namespace with loopback up; removed at exit.
make_netns() {
  ip netns add "$1" || fatal "cannot create namespace $1"
  on_exit "ip netns pids '$1' | xargs -r kill -9; ip netns del '$1'"
  ip -n "$1" link set lo up
}

# link_netns NS1 IF1 ADDR1 NS2 IF2 ADDR2: a veth pair between two namespaces.
link_netns() {
  ip link add "$2" netns "$1" type veth peer name "$5" netns "$4" || fatal "cannot create veth"
  ip -n "$1" addr add "$3" dev "$2"
  ip -n "$4" addr add "$6" dev "$5"
  ip -n "$1" link set "$2" up
  ip -n "$4" link set "$5" up
}

# wait_until SECONDS COMMAND...: polls every 0.2 s.
wait_until() {
  local deadline=$((SECONDS + $1))
  shift
  while ((SECONDS < deadline)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  "$@" >/dev/null 2>&1
}

# proc_alive PID NAME: the process exists, is not a zombie, and its command name is NAME.
proc_alive() {
  local stat
  [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ] || return 1
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat="${stat##*) }"
  [ "${stat%% *}" != "Z" ]
}
