#!/bin/bash
# Test of resource.d/IPaddr against the real kernel inside two network namespaces: the
# server namespace gets the service address, the client namespace must see the
# gratuitous ARP (tcpdump) and learn the server's MAC for it (neighbour table).
. "$(dirname "$0")/lib.sh"
require_root
require_cmd ip arping tcpdump

SRV="rs-ip-srv-$$"
CLI="rs-ip-cli-$$"
TMP=$(mktemp -d /tmp/rs-ipaddr.XXXXXX)
on_exit "rm -rf '$TMP'"
make_netns "$SRV"
make_netns "$CLI"
link_netns "$SRV" rsip0 192.0.2.1/24 "$CLI" rsip1 192.0.2.100/24
# Let the client take new neighbour entries from gratuitous ARP.
ip netns exec "$CLI" sysctl -qw net.ipv4.conf.rsip1.arp_accept=1

IPADDR="$RESOURCE_DIR/IPaddr"
srv() { ip netns exec "$SRV" env HBD_RUN_DIR="$TMP/run" "$@"; }
VIP=192.0.2.10

# Bad input is refused before anything runs.
expect_rc 2 "shell metacharacters refused" srv "$IPADDR" "192.0.2.10;touch $TMP/pwned" start
[ ! -e "$TMP/pwned" ] || fail "injected command ran"
expect_rc 2 "octet > 255 refused" srv "$IPADDR" 192.0.2.300 start
expect_rc 2 "bad prefix refused" srv "$IPADDR" 192.0.2.10/33 start
expect_rc 2 "missing action refused" srv "$IPADDR" 192.0.2.10
expect_rc 1 "no interface in the subnet" srv "$IPADDR" 198.51.100.7 start

expect_status_stopped srv "$IPADDR" "$VIP"

# Capture ARP on the client side before start.
ip netns exec "$CLI" tcpdump -i rsip1 -n -l -e -tt arp >"$TMP/arp.txt" 2>"$TMP/tcpdump.err" &
TCPDUMP=$!
on_exit "kill $TCPDUMP"
wait_until 5 grep -q "listening on" "$TMP/tcpdump.err" || fatal "tcpdump did not start"

T0=$(date +%s%N)
expect_rc 0 "start (subnet discovery)" srv "$IPADDR" "$VIP" start
T1=$(date +%s%N)
START_MS=$(((T1 - T0) / 1000000))
log "start took ${START_MS} ms"
[ "$START_MS" -lt 1000 ] || fail "start waited for the ARP announcements (${START_MS} ms)"

ip -n "$SRV" -o -4 addr show dev rsip0 | grep -q "inet $VIP/24 " ||
  fail "address $VIP/24 not on rsip0: $(ip -n "$SRV" -o -4 addr show)"
expect_status_running srv "$IPADDR" "$VIP"
expect_rc 0 "start again is a success" srv "$IPADDR" "$VIP" start
[ "$(ip -n "$SRV" -o -4 addr show | grep -c "inet $VIP/")" -eq 1 ] || fail "address added twice"

# The gratuitous ARP reaches the client: sender and target are both the VIP.
GARP="Request who-has $VIP .*tell $VIP,"
wait_until 5 grep -q "$GARP" "$TMP/arp.txt" ||
  fail "no gratuitous ARP seen by the client: $(cat "$TMP/arp.txt")"
# The first announcement goes out at once (within 0.5 s of the start call).
FIRST=$(grep -m1 "$GARP" "$TMP/arp.txt" | cut -d' ' -f1)
if [ -n "$FIRST" ]; then
  DELAY_MS=$(awk -v a="$FIRST" -v b="$T0" 'BEGIN { printf "%d", (a - b / 1e9) * 1000 }')
  log "first gratuitous ARP ${DELAY_MS} ms after start was called"
  [ "$DELAY_MS" -lt 500 ] || fail "first gratuitous ARP came late (${DELAY_MS} ms)"
fi
SRV_MAC=$(ip -n "$SRV" -o link show dev rsip0 | grep -o 'link/ether [0-9a-f:]*' | cut -d' ' -f2)
wait_until 3 bash -c "ip -n '$CLI' neigh show $VIP | grep -q '$SRV_MAC'" ||
  fail "client neighbour table lacks $VIP -> $SRV_MAC: $(ip -n "$CLI" neigh show)"
# Several announcements are sent, spaced out (3 by default, 0.5 s apart).
wait_until 5 bash -c "[ \$(grep -c '$GARP' '$TMP/arp.txt') -ge 3 ]" ||
  fail "expected 3 announcements: $(cat "$TMP/arp.txt")"
# The client can reach the VIP.
ip netns exec "$CLI" ping -c1 -W2 "$VIP" >/dev/null || fail "VIP does not answer ping"

expect_rc 0 "stop" srv "$IPADDR" "$VIP" stop
ip -n "$SRV" -o -4 addr show | grep -q "inet $VIP/" && fail "address still present after stop"
expect_status_stopped srv "$IPADDR" "$VIP"
expect_rc 0 "stop again is a success" srv "$IPADDR" "$VIP" stop

# Explicit CIDR/IFACE:LABEL/BROADCAST form.
expect_rc 0 "start explicit form" srv "$IPADDR" "192.0.2.11/25/rsip0:vip/192.0.2.127" start
ip -n "$SRV" -o -4 addr show dev rsip0 | grep "inet 192.0.2.11/25 brd 192.0.2.127" | grep -q "rsip0:vip" ||
  fail "explicit form not applied: $(ip -n "$SRV" -o -4 addr show dev rsip0)"
expect_status_running srv "$IPADDR" "192.0.2.11/25/rsip0:vip/192.0.2.127"
expect_rc 0 "stop explicit form" srv "$IPADDR" "192.0.2.11/25/rsip0:vip/192.0.2.127" stop
ip -n "$SRV" -o -4 addr show | grep -q "inet 192.0.2.11/" && fail "explicit address still present"
exit 0
