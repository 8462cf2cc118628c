#!/bin/bash
# Test of resource.d/mysql with the real MariaDB server in its own network namespace and a
# temporary datadir: first start initialises it, queries work over the socket and over TCP
# from a client namespace, data survives a restart, and nothing is left after stop.
. "$(dirname "$0")/lib.sh"
require_root
require_cmd ip mariadbd mariadb mariadb-admin mariadb-install-db

SRV="rs-my-srv-$$"
CLI="rs-my-cli-$$"
TMP=$(mktemp -d /tmp/rs-mysql.XXXXXX)
chmod 755 "$TMP"  # the server runs as user mysql
on_exit "rm -rf '$TMP'"
make_netns "$SRV"
make_netns "$CLI"
link_netns "$SRV" rsmy0 192.0.2.1/24 "$CLI" rsmy1 192.0.2.100/24

MY="$RESOURCE_DIR/mysql"
ARGS=("$TMP/data" "$TMP/run/mysqld.sock" 192.0.2.1 3306 "$TMP/run/mysqld.pid" none)
PIDFILE="$TMP/run/mysqld.pid"
srv() { ip netns exec "$SRV" "$@"; }
on_exit "[ -f '$PIDFILE' ] && kill -9 \$(cat '$PIDFILE')"
sock_sql() { srv mariadb --no-defaults -S "$TMP/run/mysqld.sock" -u root -N -B -e "$1"; }
tcp_sql() {
  ip netns exec "$CLI" mariadb --no-defaults -h 192.0.2.1 -P 3306 -u hbdtest -phbd-test-pw \
    --connect-timeout=5 -N -B -e "$1"
}

expect_rc 2 "relative datadir refused" srv "$MY" data "$TMP/s" 127.0.0.1 3306 "$TMP/p" none start
expect_rc 2 "bad port refused" srv "$MY" "$TMP/data" "$TMP/s" 127.0.0.1 0x10 "$TMP/p" none start
expect_rc 2 "bad user refused" srv "$MY" "$TMP/data" "$TMP/s" 127.0.0.1 3306 "$TMP/p" none 'mysql;id' start
expect_status_stopped srv "$MY" "${ARGS[@]}"

T0=$SECONDS
expect_rc 0 "first start (initialises datadir)" srv "$MY" "${ARGS[@]}" start
log "first start took $((SECONDS - T0)) s"
[ "$FAILURES" -eq 0 ] || fatal "cannot go on without a server"
[ -d "$TMP/data/mysql" ] || fail "datadir was not initialised"
PID=$(cat "$PIDFILE" 2>/dev/null)
proc_alive "$PID" mariadbd || fail "no live mariadbd behind the pid file ($PID)"
[ "$(ps -o user= -p "$PID" | tr -d ' ')" = "mysql" ] || fail "mariadbd does not run as mysql"
expect_status_running srv "$MY" "${ARGS[@]}"
expect_rc 0 "start again is a success" srv "$MY" "${ARGS[@]}" start
[ "$(cat "$PIDFILE")" = "$PID" ] || fail "second start replaced the server"

[ "$(sock_sql 'SELECT 1+1')" = "2" ] || fail "query over the socket failed"
sock_sql "CREATE USER 'hbdtest'@'%' IDENTIFIED BY 'hbd-test-pw';
  CREATE DATABASE hbd; GRANT ALL ON hbd.* TO 'hbdtest'@'%';
  CREATE TABLE hbd.t (v INT); INSERT INTO hbd.t VALUES (42);" || fail "setup SQL failed"
[ "$(tcp_sql 'SELECT v FROM hbd.t')" = "42" ] || fail "query over TCP from the client namespace failed"

# A frozen server is not "running": status makes a real connection.
kill -STOP "$PID"
expect_status_stopped srv "$MY" "${ARGS[@]}"
kill -CONT "$PID"

expect_rc 0 "stop" srv "$MY" "${ARGS[@]}" stop
proc_alive "$PID" mariadbd && fail "mariadbd still alive after stop"
[ -e "$PIDFILE" ] && fail "pid file left behind"
tcp_sql 'SELECT 1' >/dev/null 2>&1 && fail "TCP port still answers after stop"
expect_status_stopped srv "$MY" "${ARGS[@]}"
expect_rc 0 "stop again is a success" srv "$MY" "${ARGS[@]}" stop

# Restart on the existing datadir keeps the data.
expect_rc 0 "restart" srv "$MY" "${ARGS[@]}" start
[ "$(tcp_sql 'SELECT v FROM hbd.t')" = "42" ] || fail "data lost across restart"
# A server that ignores the clean shutdown path is still stopped (here: shutdown cannot
# reach it because its socket is gone, so stop falls back to signals by pid).
PID=$(cat "$PIDFILE")
rm -f "$TMP/run/mysqld.sock"
expect_rc 0 "stop without socket (signals by pid)" env MYSQL_STOP_TIMEOUT=2 \
  ip netns exec "$SRV" env MYSQL_STOP_TIMEOUT=2 "$MY" "${ARGS[@]}" stop
proc_alive "$PID" mariadbd && fail "mariadbd survived stop by signal"
exit 0
