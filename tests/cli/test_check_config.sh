#!/usr/bin/env bash
# hbd --check-config from the command line: exit codes (0 usable, 1 errors, 2 usage), every
# problem as FILE:LINE: severity: message, the normalised summary, and --export-yaml read back.
set -euo pipefail
hbd=${HBD_BIN_DIR:?}/hbd
src=${HBD_SOURCE_DIR:?}
work=$(mktemp -d /tmp/hbd-cli-test-XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cp "$src"/conf/ha.cf "$src"/conf/haresources "$src"/conf/authkeys "$work"/
chmod 600 "$work/authkeys"

out=$("$hbd" --check-config -c "$work" --node node1 2>&1) || fail "samples: exit $?: $out"
grep -q '^nodes: node1 (this node) node2$' <<<"$out" || fail "summary nodes: $out"
grep -q '^timings: keepalive 500 ms, warntime 2000 ms, deadtime 5000 ms, initdead 15000 ms, deadping 3000 ms$' <<<"$out" \
  || fail "summary timings: $out"
grep -q '^group drbddisk::r0 (preferred node1), start order: drbddisk::r0 -> Filesystem::/dev/drbd0::/srv/mysql::ext4 -> mysql::/srv/mysql/data -> memcached::0.0.0.0::11211::64 -> mysql-proxy::0.0.0.0::4040::127.0.0.1:3306 -> IPaddr::192.0.2.10/24/eth0$' <<<"$out" \
  || fail "summary group: $out"
grep -q ': 0 error(s)' <<<"$out" || fail "error count: $out"

# Errors: exit 1, each with file and line, all of them in one run.
printf 'keepalve 2\nwarntime 30\n' >>"$work/ha.cf"
lines=$(wc -l <"$work/ha.cf")
set +e
out=$("$hbd" --check-config -c "$work" --node node1 2>&1)
code=$?
set -e
[[ $code -eq 1 ]] || fail "errors must exit 1, got $code: $out"
grep -q "$work/ha.cf:$((lines - 1)): error: unknown directive 'keepalve'; did you mean 'keepalive'?" <<<"$out" \
  || fail "typo message: $out"
grep -q "$work/ha.cf:$lines: error: warntime (30000 ms) must be less than deadtime" <<<"$out" \
  || fail "warntime message: $out"

# Not a node of this cluster.
cp "$src/conf/ha.cf" "$work/ha.cf"
set +e
out=$("$hbd" --check-config -c "$work" --node node7 2>&1); code=$?
set -e
[[ $code -eq 1 ]] && grep -q "this host's node name 'node7'" <<<"$out" || fail "node7: $code $out"

# authkeys mode.
chmod 644 "$work/authkeys"
set +e
out=$("$hbd" --check-config -c "$work" --node node1 2>&1); code=$?
set -e
[[ $code -eq 1 ]] && grep -q "authkeys: error: has mode 0644" <<<"$out" || fail "mode: $code $out"
chmod 600 "$work/authkeys"

# Usage errors: exit 2.
for args in "--bogus" "-c $work --config $work/x.yaml" "--check-config --export-yaml" "stray"; do
  set +e
  # shellcheck disable=SC2086
  "$hbd" $args >/dev/null 2>&1; code=$?
  set -e
  [[ $code -eq 2 ]] || fail "usage error '$args' must exit 2, got $code"
done

# --export-yaml, read back with --config: the same summary.
"$hbd" --export-yaml -c "$work" --node node1 >"$work/hbd.yaml"
chmod 600 "$work/hbd.yaml"
a=$("$hbd" --check-config -c "$work" --node node1 2>/dev/null | grep -v ': 0 error')
b=$("$hbd" --check-config --config "$work/hbd.yaml" --node node1 2>/dev/null | grep -v ': 0 error')
[[ "$a" == "$b" ]] || fail "YAML export read back differs: $a --- $b"
echo "check-config CLI: all checks passed"
