#!/bin/bash
# Test of resource.d/memcached with the real memcached in a server namespace; a client
# namespace stores and fetches a value over TCP.
. "$(dirname "$0")/lib.sh"
require_root
require_cmd ip memcached

SRV="rs-mc-srv-$$"
CLI="rs-mc-cli-$$"
TMP=$(mktemp -d /tmp/rs-memcached.XXXXXX)
on_exit "rm -rf '$TMP'"
make_netns "$SRV"
make_netns "$CLI"
link_netns "$SRV" rsmc0 192.0.2.1/24 "$CLI" rsmc1 192.0.2.100/24
MC="$RESOURCE_DIR/memcached"
srv() { ip netns exec "$SRV" env HBD_RUN_DIR="$TMP/run" "$@"; }
PIDFILE="$TMP/run/memcached-192.0.2.1-11211.pid"
on_exit "[ -f '$PIDFILE' ] && kill -9 \$(cat '$PIDFILE')"

# mc_client COMMANDS: sends raw protocol text from the client namespace, prints replies.
mc_client() {
  ip netns exec "$CLI" timeout 5 bash -c '
    exec 3<>/dev/tcp/192.0.2.1/11211 || exit 1
    printf "%b" "$0" >&3
    while IFS= read -r -t 2 line <&3; do
      line="${line%[[:cntrl:]]}"; echo "$line"
      case "$line" in END | STORED | ERROR*) [ "$1" = "$line" ] && break ;; esac
    done' "$1" "$2"
}

expect_rc 2 "bad address refused" srv "$MC" 192.0.2.1x 11211 64 start
expect_rc 2 "bad port refused" srv "$MC" 192.0.2.1 99999 64 start
expect_rc 2 "bad memory refused" srv "$MC" 192.0.2.1 11211 '64;id' start
expect_status_stopped srv "$MC" 192.0.2.1 11211 64

expect_rc 0 "start" srv "$MC" 192.0.2.1 11211 16 start
PID=$(cat "$PIDFILE" 2>/dev/null)
[ -n "$PID" ] && [ "$(cat /proc/"$PID"/comm 2>/dev/null)" = "memcached" ] || fail "no memcached pid recorded"
USER_OF=$(ps -o user= -p "$PID" 2>/dev/null | tr -d ' ')
[ "$USER_OF" = "memcache" ] || fail "memcached runs as '$USER_OF', want memcache"
expect_status_running srv "$MC" 192.0.2.1 11211 16
expect_rc 0 "start again is a success" srv "$MC" 192.0.2.1 11211 16 start
[ "$(cat "$PIDFILE")" = "$PID" ] || fail "second start replaced the process"

# Real data over TCP from the client namespace.
REPLY=$(mc_client 'set hbdkey 0 60 5\r\nhello\r\n' STORED)
[ "$REPLY" = "STORED" ] || fail "set failed: '$REPLY'"
REPLY=$(mc_client 'get hbdkey\r\n' END)
[ "$REPLY" = $'VALUE hbdkey 0 5\nhello\nEND' ] || fail "get returned: '$REPLY'"
REPLY=$(mc_client 'stats settings\r\n' END | grep -E '^STAT (maxbytes|udpport) ')
grep -q "STAT maxbytes $((16 * 1024 * 1024))" <<<"$REPLY" || fail "memory limit not applied: $REPLY"
grep -q "STAT udpport 0" <<<"$REPLY" || fail "UDP not disabled: $REPLY"
# It listens only on the given address.
ip netns exec "$SRV" timeout 2 bash -c 'exec 3<>/dev/tcp/127.0.0.1/11211' 2>/dev/null &&
  fail "memcached also listens on 127.0.0.1"

# A hung memcached (stopped with SIGSTOP) is reported as not running: status really talks.
kill -STOP "$PID"
expect_status_stopped srv "$MC" 192.0.2.1 11211 16
kill -CONT "$PID"

expect_rc 0 "stop" srv "$MC" 192.0.2.1 11211 16 stop
sleep 0.2
proc_alive "$PID" memcached && fail "memcached still alive after stop"
mc_client 'version\r\n' X >/dev/null 2>&1 && fail "port still answers after stop"
expect_status_stopped srv "$MC" 192.0.2.1 11211 16
expect_rc 0 "stop again is a success" srv "$MC" 192.0.2.1 11211 16 stop
exit 0
