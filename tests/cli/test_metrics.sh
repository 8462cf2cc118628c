#!/usr/bin/env bash
# Prometheus metrics of a real single-node hbd: metrics_listen answers GET /metrics over HTTP,
# metrics_textfile is rewritten atomically and removed at a clean stop; both carry node, link,
# ping node, packet and group series.
set -euo pipefail
source "$(dirname "$0")/lib_single_node.sh"
in_private_namespaces "$0" "$@"

port=9817
prom=$work/textfile/hbd.prom
mkdir -p "$work/textfile"
# ucast to another loopback address of this private namespace: heartbeats are really sent.
start_hbd node1 "ping 192.0.2.254
ucast lo 127.0.0.2
metrics_listen 127.0.0.1:$port
metrics_textfile $prom
metrics_interval 200ms"

scrape() { curl -sS --max-time 5 "$@"; }

# node1 becomes active within initdead; packets to itself are counted as they arrive.
for _ in $(seq 1 40); do
  scrape "http://127.0.0.1:$port/metrics" | grep -q '^hbd_node_status{node="node1",status="active"} 1$' && break
  sleep 0.1
done
body=$(scrape -D "$work/headers" "http://127.0.0.1:$port/metrics")
grep -q '^HTTP/1.0 200 OK' "$work/headers" || fail "status line: $(cat "$work/headers")"
grep -qi '^Content-Type: text/plain; version=0.0.4' "$work/headers" || fail "content type"
for line in \
  '# TYPE hbd_node_status gauge' \
  'hbd_node_status{node="node1",status="active"} 1' \
  'hbd_node_status{node="node1",status="dead"} 0' \
  'hbd_ping_node_up{node="192.0.2.254"} 0' \
  'hbd_comm_up 1' \
  'hbd_resources_held{held="none"} 1' \
  '# TYPE hbd_packets_accepted_total counter'; do
  grep -qxF "$line" <<<"$body" || fail "missing '$line' in: $body"
done
grep -q '^hbd_info{node="node1",cluster="linux-ha",version="' <<<"$body" || fail "hbd_info: $body"
grep -q '^hbd_medium_sent_total{medium="ucast lo 127.0.0.2[^"]*",link="lo"} [1-9]' <<<"$body" || fail "media: $body"
grep -q '^hbd_packets_accepted_total [0-9]' <<<"$body" || fail "accepted: $body"
# Counters grow between scrapes (keepalive 100 ms).
a=$(grep '^hbd_medium_sent_total{medium="ucast lo 127.0.0.2' <<<"$body" | awk '{print $NF}')
sleep 0.5
b=$(scrape "http://127.0.0.1:$port/metrics" | grep '^hbd_medium_sent_total{medium="ucast lo 127.0.0.2' | awk '{print $NF}')
(( b > a )) || fail "sent counter did not grow: $a -> $b"

# Other paths and methods.
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/")
[[ $code == 404 ]] || fail "/ gave $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$port/metrics")
[[ $code == 405 ]] || fail "POST gave $code"
# A client that sends nothing does not block others.
exec 3<>/dev/tcp/127.0.0.1/$port
scrape "http://127.0.0.1:$port/metrics" | grep -q '^hbd_comm_up 1$' || fail "scrape beside an idle client"
exec 3>&-

# The textfile: present, complete, refreshed; no temporary file left in node_exporter's way.
[[ -f $prom ]] || fail "no $prom"
grep -qxF 'hbd_node_status{node="node1",status="active"} 1' "$prom" || fail "textfile: $(cat "$prom")"
m1=$(stat -c %Y.%y "$prom")
sleep 0.6
m2=$(stat -c %Y.%y "$prom")
[[ "$m1" != "$m2" ]] || fail "textfile not rewritten"
[[ $(ls "$work/textfile") == hbd.prom ]] || fail "stray files: $(ls "$work/textfile")"

stop_hbd
[[ ! -e $prom ]] || fail "textfile left after a clean stop"
if curl -s --max-time 2 "http://127.0.0.1:$port/metrics" >/dev/null; then fail "listener still open"; fi

# Off by default: no listener, no file.
start_hbd node1 ""
if curl -s --max-time 2 "http://127.0.0.1:$port/metrics" >/dev/null; then fail "metrics served by default"; fi
echo "metrics CLI: all checks passed"
