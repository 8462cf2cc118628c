#!/bin/bash
# Usage: capture.sh METHOD SECONDS   (METHOD: sha1|md5|crc). Runs two heartbeat nodes in netns
# wire-a / wire-b, captures UDP 694 on the veth into /tmp/wire-cap/METHOD.pcap.
set -u
M=$1; SECS=$2
W=/tmp/wire-cap
RUN=$W/run-$M
rm -rf $RUN; mkdir -p $RUN
ip netns add wire-a; ip netns add wire-b
ip link add wire-va type veth peer name wire-vb
ip link set wire-va netns wire-a; ip link set wire-vb netns wire-b
ip -n wire-a addr add 192.0.2.1/24 dev wire-va; ip -n wire-a link set wire-va up; ip -n wire-a link set lo up
ip -n wire-b addr add 192.0.2.2/24 dev wire-vb; ip -n wire-b link set wire-vb up; ip -n wire-b link set lo up
for n in 1 2; do
  d=$RUN/node$n; mkdir -p $d/etc $d/lib $d/log
  cp -a /etc/ha.d/. $d/etc/
  cp -a /var/lib/heartbeat/. $d/lib/
  if [ $n = 1 ]; then ifc=wire-va; peer=192.0.2.2; else ifc=wire-vb; peer=192.0.2.1; fi
  cat > $d/etc/ha.cf <<CF
logfile $d/log/ha-log
debugfile $d/log/ha-debug
use_logd no
keepalive 1
deadtime 10
warntime 5
initdead 12
udpport 694
ucast $ifc $peer
auto_failback on
realtime off
crm off
node node1
node node2
CF
  : > $d/etc/haresources
  if [ $M = crc ]; then printf 'auth 1\n1 crc\n' > $d/etc/authkeys; else printf 'auth 1\n1 %s labsecret\n' $M > $d/etc/authkeys; fi
  chmod 600 $d/etc/authkeys
done
chmod 755 $RUN $RUN/node1 $RUN/node2 $RUN/node*/log; chmod 777 $RUN/node*/log
ip netns exec wire-b timeout $((SECS+30)) tcpdump -i wire-vb -U -w $W/$M.pcap udp port 694 >$RUN/tcpdump.log 2>&1 &
TCPDUMP=$!
sleep 1
start_node() {  # n ns
  local n=$1 ns=$2 d=$RUN/node$1
  ip netns exec $ns unshare --uts --mount --propagation private bash -c "
    hostname node$n
    mount --bind $d/etc /etc/ha.d
    mount --bind $d/lib /var/lib/heartbeat
    mount -t tmpfs tmpfs /run
    mkdir -p /run/heartbeat/ccm /run/heartbeat/crm /run/heartbeat/dopd /run/heartbeat/rsctmp
    chown -R hacluster:haclient /run/heartbeat/ccm /run/heartbeat/crm
    exec /usr/libexec/heartbeat/heartbeat -f -l
  " >$d/log/stdout 2>&1 &
  echo $!
}
P1=$(start_node 1 wire-a)
sleep 3
P2=$(start_node 2 wire-b)
echo "pids $P1 $P2 tcpdump $TCPDUMP"
sleep $SECS
kill -TERM $P2; sleep 4; kill -TERM $P1
for i in $(seq 1 20); do kill -0 $P1 2>/dev/null || kill -0 $P2 2>/dev/null || break; sleep 1; done
sleep 1
kill -INT $TCPDUMP 2>/dev/null; wait $TCPDUMP 2>/dev/null
# anything left in the namespaces is ours
for ns in wire-a wire-b; do for p in $(ip netns pids $ns); do echo "left over pid $p in $ns: $(cat /proc/$p/cmdline | tr '\0' ' ')"; kill -KILL $p; done; done
ip netns del wire-a; ip netns del wire-b
echo done $M
