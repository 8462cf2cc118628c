#!/bin/bash
# Test of resource.d/Filesystem against real mount/umount: an ext4 image on a loop device,
# mounted in a private mount namespace (and its own network namespace), with processes
# holding the filesystem busy that stop must kill (one of them ignores TERM).
. "$(dirname "$0")/lib.sh"
require_root
require_cmd unshare losetup mkfs.ext4 mount umount fuser
if [ -z "${RS_FS_INNER:-}" ]; then
  trap - EXIT
  exec unshare --mount --propagation private --net env RS_FS_INNER=1 bash "$0" "$@"
fi

TMP=$(mktemp -d /tmp/rs-fs.XXXXXX)
on_exit "rm -rf '$TMP'"
truncate -s 64M "$TMP/disk.img"
mkfs.ext4 -q -F -L rsfstest "$TMP/disk.img" || fatal "mkfs.ext4 failed"
LOOP=$(losetup --find --show "$TMP/disk.img") || fatal "no free loop device"
on_exit "umount -l '$TMP/mnt dir'; umount -l '$TMP/plain'; losetup -d '$LOOP'"
log "image on $LOOP"

FS="$RESOURCE_DIR/Filesystem"
MNT="$TMP/mnt dir"  # a space, to check /proc/mounts escaping
export FILESYSTEM_TERM_GRACE=2

expect_rc 2 "relative directory refused" "$FS" "$LOOP" relative ext4 start
expect_rc 2 "root refused" "$FS" "$LOOP" / ext4 start
expect_rc 2 "bad fstype refused" "$FS" "$LOOP" "$MNT" 'ext4;id' start
expect_rc 2 "missing fstype refused" "$FS" "$LOOP" "$MNT" start

expect_status_stopped "$FS" "$LOOP" "$MNT" ext4
expect_rc 0 "start" "$FS" "$LOOP" "$MNT" ext4 noatime start
grep -q "^$LOOP $(sed 's/ /\\\\040/g' <<<"$MNT") ext4 .*noatime" /proc/mounts ||
  fail "not mounted as expected: $(grep "$LOOP" /proc/mounts)"
expect_status_running "$FS" "$LOOP" "$MNT" ext4 noatime
expect_rc 0 "start again is a success" "$FS" "$LOOP" "$MNT" ext4 noatime start
[ "$(grep -c "^$LOOP " /proc/mounts)" -eq 1 ] || fail "mounted twice"
# A mount point below it that is not mounted must not count.
expect_status_stopped "$FS" "$LOOP" "$MNT/sub" ext4

# busy_stop DIR: start, hold the filesystem busy, stop must kill the users and unmount.
busy_stop() {
  local mnt="$1" holder stubborn t0
  expect_rc 0 "start on $mnt" "$FS" "$LOOP" "$mnt" ext4 start
  echo "persist" >"$mnt/data.txt"
  # Users of the filesystem: one with an open file and its cwd there, one ignoring TERM.
  (cd "$mnt" && exec sleep 300 <"$mnt/data.txt") &
  holder=$!
  bash -c 'trap "" TERM; cd "$1"; exec 3<"$1/data.txt"; while :; do sleep 0.2; done' stubborn "$mnt" &
  stubborn=$!
  on_exit "kill -9 $holder $stubborn"
  sleep 0.3
  umount "$mnt" 2>/dev/null && fail "plain umount should have failed while busy"
  t0=$SECONDS
  expect_rc 0 "stop kills the users and unmounts $mnt" "$FS" "$LOOP" "$mnt" ext4 stop
  log "stop took $((SECONDS - t0)) s"
  grep -q "^$LOOP " /proc/mounts && fail "still mounted after stop"
  kill -0 "$holder" 2>/dev/null && fail "holder process survived"
  kill -0 "$stubborn" 2>/dev/null && fail "TERM-ignoring process survived"
  kill -9 "$holder" "$stubborn" 2>/dev/null
  wait "$holder" "$stubborn" 2>/dev/null
  expect_status_stopped "$FS" "$LOOP" "$mnt" ext4
}
expect_rc 0 "stop before busy test" "$FS" "$LOOP" "$MNT" ext4 stop
busy_stop "$TMP/plain"    # users found by fuser
busy_stop "$MNT"          # path with a space: users found by the /proc walk
expect_rc 0 "stop again is a success" "$FS" "$LOOP" "$MNT" ext4 stop

# Data survives a remount; the image is really what gets mounted.
expect_rc 0 "start again" "$FS" "$LOOP" "$MNT" ext4 start
[ "$(cat "$MNT/data.txt" 2>/dev/null)" = "persist" ] || fail "data lost across remount"
expect_rc 0 "stop idle" "$FS" "$LOOP" "$MNT" ext4 stop
grep -q "^$LOOP " /proc/mounts && fail "still mounted after idle stop"

# A device that cannot be mounted is a failure, not a hang.
expect_rc 1 "bad device fails" "$FS" "$TMP/nonexistent" "$MNT" ext4 start
exit 0
