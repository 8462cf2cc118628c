# Sourced by CLI tests that need one running hbd: a single-node cluster heartbeating on lo,
# inside a fresh network and mount namespace (so its traffic and its /var/lib/hbd stay private).
# Call in_private_namespaces "$0" "$@" first; then start_hbd NAME [EXTRA_HA_CF_LINES]; the EXIT
# trap stops hbd and removes the work directory.
in_private_namespaces() {
  if [[ -z "${HBD_CLI_IN_NS:-}" ]]; then
    command -v unshare >/dev/null && [[ $(id -u) -eq 0 ]] || {
      echo "SKIP: needs root and unshare (private network namespace)"; exit 0; }
    # exec runs no EXIT trap: remove this shell's work directory now (the re-run makes its own).
    rm -rf "$work"
    HBD_CLI_IN_NS=1 exec unshare --net --mount --propagation private bash "$@"
  fi
  ip link set lo up
  mount -t tmpfs -o mode=0755 tmpfs /var/lib/hbd 2>/dev/null || true
}

fail() { echo "FAIL: $*" >&2; [[ -n "${work:-}" && -f "$work/hbd.log" ]] && tail -20 "$work/hbd.log" >&2; exit 1; }

hbd_pid=""
work=$(mktemp -d /tmp/hbd-cli-XXXXXX)
stop_hbd() {
  if [[ -n "$hbd_pid" ]] && kill -0 "$hbd_pid" 2>/dev/null; then
    kill -TERM "$hbd_pid"
    for _ in $(seq 1 100); do kill -0 "$hbd_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$hbd_pid" 2>/dev/null || true
    wait "$hbd_pid" 2>/dev/null || true
  fi
  hbd_pid=""
}
trap 'stop_hbd; rm -rf "$work"' EXIT

# start_hbd NAME [EXTRA]: writes ha.cf/haresources/authkeys in $work and starts hbd; returns
# once the control socket answers (at most 10 s).
start_hbd() {
  local name=$1 extra=${2:-}
  cat >"$work/ha.cf" <<CF
keepalive 100ms
warntime 300ms
deadtime 500ms
initdead 1
udpport 7694
ucast lo 127.0.0.1
node $name
auto_failback off
$extra
CF
  : >"$work/haresources"
  printf 'auth 1\n1 sha1 cli-test-secret\n' >"$work/authkeys"
  chmod 600 "$work/authkeys"
  "${HBD_BIN_DIR:?}/hbd" -c "$work" --node "$name" --socket "$work/hbd.sock" >"$work/hbd.log" 2>&1 &
  hbd_pid=$!
  for _ in $(seq 1 100); do
    [[ -S "$work/hbd.sock" ]] && "$HBD_BIN_DIR/hbctl" --socket "$work/hbd.sock" status >/dev/null 2>&1 && return 0
    kill -0 "$hbd_pid" 2>/dev/null || fail "hbd exited at start"
    sleep 0.1
  done
  fail "hbd did not answer on $work/hbd.sock"
}
