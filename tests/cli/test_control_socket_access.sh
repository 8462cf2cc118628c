#!/usr/bin/env bash
# The control socket is for root and group haclient only (issue 6, issue 9): the socket file is
# mode 0660; a request from another user is refused with a clear answer; a malformed or overlong
# request gets an error, not a crash, and the daemon keeps answering.
set -euo pipefail
source "$(dirname "$0")/lib_single_node.sh"
in_private_namespaces "$0" "$@"

command -v runuser >/dev/null || { echo "SKIP: runuser (util-linux) missing"; exit 0; }
start_hbd solo
sock="$work/hbd.sock"

mode=$(stat -c %a "$sock")
[[ "$mode" == "660" ]] || fail "socket mode is $mode, want 660"

# Another user (nobody) may reach the file only if the directory lets it: open the directory,
# then the socket itself, so the daemon's own check is what refuses.
chmod 755 "$work"
chmod 666 "$sock"
out=$(runuser -u nobody -- "$HBD_BIN_DIR/hbctl" --socket "$sock" status 2>&1) && \
  fail "nobody got a status: $out"
grep -q "permission denied: root or group haclient only" <<<"$out" || fail "refusal text: $out"

# Malformed and overlong requests: an error answer each, and the daemon still answers.
python3 - "$sock" <<'PY' || fail "malformed requests"
import json, socket, sys
def ask(raw):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(5)
    s.connect(sys.argv[1])
    s.sendall(raw)
    data = b""
    while not data.endswith(b"\n"):
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    return json.loads(data)
for raw in (b"reboot now\n", b"status; rm -rf /\n", b"\x00\x01\x02\n", b"x" * 10000 + b"\n"):
    reply = ask(raw)
    assert reply["ok"] is False and reply["error"], reply
assert ask(b"status\n")["ok"] is True
PY
"$HBD_BIN_DIR/hbctl" --socket "$sock" status >/dev/null || fail "root refused"
echo "control socket access: all checks passed"
