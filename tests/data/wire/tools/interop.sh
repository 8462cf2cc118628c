#!/bin/bash
# Usage: interop.sh METHOD. Real heartbeat node1 in wire-a; hbd_sender (node2) in wire-b.
set -u
M=$1
W=/tmp/wire-cap
RUN=$W/interop-$M
rm -rf $RUN; mkdir -p $RUN
ip netns add wire-a; ip netns add wire-b
ip link add wire-va type veth peer name wire-vb
ip link set wire-va netns wire-a; ip link set wire-vb netns wire-b
ip -n wire-a addr add 192.0.2.1/24 dev wire-va; ip -n wire-a link set wire-va up; ip -n wire-a link set lo up
ip -n wire-b addr add 192.0.2.2/24 dev wire-vb; ip -n wire-b link set wire-vb up; ip -n wire-b link set lo up
d=$RUN/node1; mkdir -p $d/etc $d/lib $d/log
cp -a /etc/ha.d/. $d/etc/; cp -a /var/lib/heartbeat/. $d/lib/
cat > $d/etc/ha.cf <<CF
logfile $d/log/ha-log
use_logd no
keepalive 1
deadtime 10
warntime 5
initdead 12
udpport 694
ucast wire-va 192.0.2.2
auto_failback on
realtime off
crm off
node node1
node node2
CF
: > $d/etc/haresources
if [ $M = crc ]; then printf 'auth 1\n1 crc\n' > $d/etc/authkeys; else printf 'auth 1\n1 %s labsecret\n' $M > $d/etc/authkeys; fi
chmod 600 $d/etc/authkeys; chmod 755 $RUN $d; chmod 777 $d/log
ip netns exec wire-a unshare --uts --mount --propagation private bash -c "
  hostname node1
  mount --bind $d/etc /etc/ha.d
  mount --bind $d/lib /var/lib/heartbeat
  mount -t tmpfs tmpfs /run
  mkdir -p /run/heartbeat/ccm /run/heartbeat/crm /run/heartbeat/dopd /run/heartbeat/rsctmp
  exec /usr/libexec/heartbeat/heartbeat -f -l
" >$d/log/stdout 2>&1 &
P1=$!
sleep 2
ip netns exec wire-b $W/hbd_sender $M 12
echo "--- corrupt" >> $d/log/ha-log
ip netns exec wire-b $W/hbd_sender $M 3 corrupt
kill -TERM $P1
for i in $(seq 1 20); do kill -0 $P1 2>/dev/null || break; sleep 1; done
for p in $(ip netns pids wire-a) $(ip netns pids wire-b); do echo "left over pid $p: $(tr '\0' ' ' < /proc/$p/cmdline)"; kill -KILL $p; done
ip netns del wire-a; ip netns del wire-b
echo done $M
