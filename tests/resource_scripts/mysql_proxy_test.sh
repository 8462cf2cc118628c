#!/bin/bash
# Test of resource.d/mysql-proxy: real haproxy (TCP mode, mysql-check health check) in a
# proxy namespace between a MariaDB namespace and a client namespace; a query from the
# client through the proxy must reach MariaDB.
#   rs-px-db  (192.0.2.1)  <->  rs-px-px (192.0.2.2 | 198.51.100.1:4040)  <->  rs-px-cli (198.51.100.100)
. "$(dirname "$0")/lib.sh"
require_root
require_cmd ip haproxy mariadbd mariadb

DB="rs-px-db-$$"
PX="rs-px-px-$$"
CLI="rs-px-cli-$$"
TMP=$(mktemp -d /tmp/rs-mysqlproxy.XXXXXX)
chmod 755 "$TMP"
on_exit "rm -rf '$TMP'"
make_netns "$DB"
make_netns "$PX"
make_netns "$CLI"
link_netns "$DB" rspx0 192.0.2.1/24 "$PX" rspx1 192.0.2.2/24
link_netns "$PX" rspx2 198.51.100.1/24 "$CLI" rspx3 198.51.100.100/24

MY="$RESOURCE_DIR/mysql"
PROXY="$RESOURCE_DIR/mysql-proxy"
MY_ARGS=("$TMP/data" "$TMP/run/mysqld.sock" 192.0.2.1 3306 "$TMP/run/mysqld.pid" none)
on_exit "[ -f '$TMP/run/mysqld.pid' ] && kill -9 \$(cat '$TMP/run/mysqld.pid')"
PX_RUN="$TMP/hbd-run"
px() { ip netns exec "$PX" env HBD_RUN_DIR="$PX_RUN" "$@"; }
PX_ARGS=(198.51.100.1 4040 192.0.2.1:3306 check_user=hbdcheck)
PX_PID="$PX_RUN/mysql-proxy-198.51.100.1-4040.pid"
on_exit "[ -f '$PX_PID' ] && kill -9 \$(cat '$PX_PID')"
client_sql() {
  ip netns exec "$CLI" mariadb --no-defaults -h 198.51.100.1 -P 4040 -u hbdtest -phbd-test-pw \
    --connect-timeout=5 -N -B -e "$1"
}

expect_rc 2 "no backend refused" px "$PROXY" 198.51.100.1 4040 start
expect_rc 2 "bad backend refused" px "$PROXY" 198.51.100.1 4040 '192.0.2.1:3306;id' start
expect_rc 2 "unknown option refused" px "$PROXY" 198.51.100.1 4040 192.0.2.1 foo=bar start
expect_rc 2 "bad listen address refused" px "$PROXY" 198.51.100.1.5 4040 192.0.2.1 start

# The database behind the proxy, with the proxy's check user (no password) and a client user.
expect_rc 0 "MariaDB start" ip netns exec "$DB" "$MY" "${MY_ARGS[@]}" start
[ "$FAILURES" -eq 0 ] || fatal "cannot go on without a database"
ip netns exec "$DB" mariadb --no-defaults -S "$TMP/run/mysqld.sock" -u root -e "
  CREATE USER 'hbdcheck'@'192.0.2.2';
  CREATE USER 'hbdtest'@'%' IDENTIFIED BY 'hbd-test-pw';
  CREATE DATABASE hbd; GRANT ALL ON hbd.* TO 'hbdtest'@'%';
  CREATE TABLE hbd.t (v VARCHAR(20)); INSERT INTO hbd.t VALUES ('through-proxy');" ||
  fatal "database setup failed"

expect_status_stopped px "$PROXY" "${PX_ARGS[@]}"
expect_rc 0 "start" px "$PROXY" "${PX_ARGS[@]}" start
CFG="$PX_RUN/mysql-proxy-198.51.100.1-4040.cfg"
[ -f "$CFG" ] || fail "no generated configuration at $CFG"
grep -q "option mysql-check user hbdcheck post-41" "$CFG" || fail "health check not in config: $(cat "$CFG")"
grep -q "server db1 192.0.2.1:3306 check" "$CFG" || fail "backend not in config"
PID=$(head -n1 "$PX_PID" 2>/dev/null)
proc_alive "$PID" haproxy || fail "no live haproxy behind the pid file"
expect_status_running px "$PROXY" "${PX_ARGS[@]}"
grep -q "a backend answered" <<<"$LAST_OUT" || fail "status did not see a backend through the proxy"
expect_rc 0 "start again is a success" px "$PROXY" "${PX_ARGS[@]}" start
[ "$(head -n1 "$PX_PID")" = "$PID" ] || fail "second start replaced haproxy"

# A query from the client namespace goes through haproxy to MariaDB.
[ "$(client_sql 'SELECT v FROM hbd.t')" = "through-proxy" ] || fail "query through the proxy failed"
SEEN_FROM=$(client_sql "SELECT SUBSTRING_INDEX(USER(), '@', -1)")
[ "$SEEN_FROM" = "192.0.2.2" ] || fail "MariaDB saw the client as '$SEEN_FROM', want the proxy 192.0.2.2"
# The health check really speaks MySQL: with a check user MariaDB does not know, the
# backend goes DOWN (3 failed checks, 2 s apart) and the proxy no longer reaches it.
BAD_ARGS=(198.51.100.1 4041 192.0.2.1:3306 check_user=nosuchuser)
on_exit "[ -f '$PX_RUN/mysql-proxy-198.51.100.1-4041.pid' ] && kill -9 \$(cat '$PX_RUN/mysql-proxy-198.51.100.1-4041.pid')"
expect_rc 0 "start with an unknown check user" px "$PROXY" "${BAD_ARGS[@]}" start
wait_until 15 bash -c "ip netns exec '$PX' env HBD_RUN_DIR='$PX_RUN' '$PROXY' ${BAD_ARGS[*]} status | grep -q 'no backend answered'" ||
  fail "backend stayed UP although its mysql-check login fails"
expect_rc 0 "stop proxy with unknown check user" px "$PROXY" "${BAD_ARGS[@]}" stop
# Meanwhile the proxy with the right check user kept its backend UP (checks ran 2 s apart).
sleep 2
expect_status_running px "$PROXY" "${PX_ARGS[@]}"
grep -q "a backend answered" <<<"$LAST_OUT" || fail "good check user: backend not UP after checks: $LAST_OUT"
[ "$(client_sql 'SELECT v FROM hbd.t')" = "through-proxy" ] || fail "query through the proxy failed after checks"

expect_rc 0 "stop" px "$PROXY" "${PX_ARGS[@]}" stop
proc_alive "$PID" haproxy && fail "haproxy still alive after stop"
client_sql 'SELECT 1' >/dev/null 2>&1 && fail "proxy port still answers after stop"
expect_status_stopped px "$PROXY" "${PX_ARGS[@]}"
expect_rc 0 "stop again is a success" px "$PROXY" "${PX_ARGS[@]}" stop

# Default port (4040) and default check; with the database down the proxy runs but says so.
expect_rc 0 "MariaDB stop" ip netns exec "$DB" "$MY" "${MY_ARGS[@]}" stop
expect_rc 0 "start with default port, database down" px "$PROXY" 198.51.100.1 "" 192.0.2.1 start
grep -q "option tcp-check" "$PX_RUN/mysql-proxy-198.51.100.1-4040.cfg" || fail "default check is not tcp"
expect_status_running px "$PROXY" 198.51.100.1 "" 192.0.2.1
grep -q "no backend answered" <<<"$LAST_OUT" || fail "status should say no backend answered: $LAST_OUT"
expect_rc 0 "stop default" px "$PROXY" 198.51.100.1 "" 192.0.2.1 stop
exit 0
