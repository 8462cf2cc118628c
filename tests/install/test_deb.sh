#!/usr/bin/env bash
# The Debian package: `cpack -G DEB` in the build directory, then its metadata (dependencies
# from the shared libraries, conffiles, postinst), its layout (Debian's places, no authkeys
# shipped, nothing in heartbeat's directories) and the installed programs run from a throwaway
# root (dpkg -x plus the host's shared libraries, chroot): the postinst creating a random
# authkeys (root, 0600) and never touching an existing one, hbd --check-config on the installed
# samples using the installed resource.d, --help of every program, hb_standby finding
# /usr/sbin/hbctl.
set -euo pipefail
build=${HBD_BUILD_DIR:?}
[[ $(id -u) -eq 0 ]] || { echo "SKIP: needs root (chroot)"; exit 0; }
prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$build/CMakeCache.txt")
[[ $prefix == /usr ]] || { echo "FAIL: build configured with prefix '$prefix', not /usr" >&2; exit 1; }
source_dir=${HBD_SOURCE_DIR:?}
work=$(mktemp -d /tmp/hbd-deb-test-XXXXXX)
urandom_bound=""
cleanup() {
  [[ -z $urandom_bound ]] || umount "$urandom_bound" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

(cd "$build" && cpack -G DEB -B "$work/pkg" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; fail "cpack"; }
deb=$(ls "$work"/pkg/hbd_*.deb)

# Metadata.
info=$(dpkg-deb -I "$deb")
depends=$(dpkg-deb -f "$deb" Depends)
# Every shared library a packaged program loads must come from a package in Depends (which
# ones depends on HBD_STATIC_DEPS: libstdc++, Boost, yaml-cpp and libcrypto may be linked in).
depends_check_root=$(mktemp -d "$work/depends-XXXXXX")
dpkg -x "$deb" "$depends_check_root"
for program in "$depends_check_root"/usr/sbin/{hbd,hbctl,cl_status,drbd-peer-outdater}; do
  resolved=$(ldd "$program")
  while read -r soname; do
    # "libx.so.1 => /path (addr)", or the loader's "/lib64/ld-linux-x86-64.so.2 (addr)".
    lib=$(awk -v so="$soname" '$1 == so && $2 == "=>" { print $3 }
                               $1 ~ ("/" so "$") { print $1 }' <<<"$resolved")
    [[ -n $lib ]] || fail "$program needs $soname, which does not resolve: $resolved"
    owner=$(dpkg -S "$lib" 2>/dev/null || dpkg -S "$(readlink -f "$lib")" 2>/dev/null) ||
      fail "$program loads $lib, which no package owns"
    package=${owner%%:*}
    grep -qw "$package" <<<"$depends" || fail "$program needs $lib from $package, not in Depends: $depends"
  done < <(readelf -d "$program" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
done
grep -qw libc6 <<<"$depends" || fail "Depends lacks libc6: $depends"
[[ $(dpkg-deb -f "$deb" Package) == hbd ]] || fail "package name"
conffiles=$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles)
for f in /etc/ha.d/ha.cf /etc/ha.d/haresources; do
  grep -qx "$f" <<<"$conffiles" || fail "$f is not a conffile: $conffiles ($info)"
done
! grep -q authkeys <<<"$conffiles" || fail "authkeys is a conffile: $conffiles"
# The postinst (it creates authkeys): a 0755 maintainer script.
dpkg-deb --ctrl-tarfile "$deb" | tar -tv | grep -qE '^-rwxr-xr-x .* \./postinst$' \
  || fail "no 0755 postinst: $(dpkg-deb --ctrl-tarfile "$deb" | tar -tv)"

# Layout.
listing=$(dpkg-deb -c "$deb")
has() { grep -qE "$1" <<<"$listing" || fail "package lacks $1"; }
for p in hbd hbctl cl_status drbd-peer-outdater; do has "^-rwxr-xr-x .* \./usr/sbin/$p$"; done
for s in IPaddr Filesystem drbddisk mysql memcached mysql-proxy; do
  has "^-rwxr-xr-x .* \./usr/lib/hbd/resource\.d/$s$"
done
has '^-rwxr-xr-x .* \./usr/share/hbd/hb_standby$'
has '^-rwxr-xr-x .* \./usr/share/hbd/hb_takeover$'
has '^lrwxrwxrwx .* \./usr/sbin/hb_standby -> \.\./share/hbd/hb_standby$'
has '^lrwxrwxrwx .* \./usr/sbin/hb_takeover -> \.\./share/hbd/hb_takeover$'
has '^-rw-r--r-- .* \./lib/systemd/system/hbd\.service$'
# No key is shipped (it would be public); the sample is documentation only.
! grep -q '\./etc/ha\.d/authkeys' <<<"$listing" || fail "the package ships /etc/ha.d/authkeys"
has '^-rw-r--r-- .* \./usr/share/doc/hbd/examples/authkeys$'
has '^-rw-r--r-- .* \./etc/ha\.d/ha\.cf$'
has '^-rw-r--r-- .* \./usr/share/doc/hbd/README\.Debian$'
# Heartbeat's places hold links to hbd's tools only (HBD_HEARTBEAT_PATHS), and the package says
# it replaces heartbeat.
has '^lrwxrwxrwx .* \./usr/share/heartbeat/hb_standby -> \.\./hbd/hb_standby$'
has '^lrwxrwxrwx .* \./usr/share/heartbeat/hb_takeover -> \.\./hbd/hb_takeover$'
has '^lrwxrwxrwx .* \./usr/bin/cl_status -> \.\./sbin/cl_status$'
has '^lrwxrwxrwx .* \./usr/lib/heartbeat/drbd-peer-outdater -> \.\./\.\./sbin/drbd-peer-outdater$'
if grep -E '\./usr/(lib|libexec|share)/heartbeat/|\./usr/bin/cl_status' <<<"$listing" |
    grep -qvE '^(lrwxrwxrwx|d)'; then
  fail "installs files (not links) into heartbeat's places: $listing"
fi
dpkg-deb -f "$deb" Conflicts | grep -qw heartbeat || fail "no Conflicts: heartbeat"
dpkg-deb -f "$deb" Replaces | grep -qw heartbeat || fail "no Replaces: heartbeat"

# A throwaway root: the package plus the host's libraries of the programs it runs.
root=$work/root
dpkg -x "$deb" "$root"
copy_with_libs() {
  local f
  for f in "$@" $(ldd "$@" | grep -v ':$' | grep -oE '/[^ ]+' | sort -u); do
    [[ -e "$root$f" ]] || { mkdir -p "$root$(dirname "$f")"; cp -L "$f" "$root$f"; }
  done
}
copy_with_libs "$root/usr/sbin/hbd" "$root/usr/sbin/hbctl" "$root/usr/sbin/cl_status" \
  "$root/usr/sbin/drbd-peer-outdater"
copy_with_libs /bin/sh "$(command -v dirname)"  # hb_standby is a sh script using dirname
mkdir -p "$root/proc" "$root/tmp"
for f in passwd group; do cp "/etc/$f" "$root/etc/$f"; done

# The postinst, as dpkg runs it: creates authkeys with a random key, root, 0600.
postinst_tools=(/bin/sh)
for t in head od tr mkdir chown chmod ln mv rm grep; do postinst_tools+=("$(command -v "$t")"); done
copy_with_libs "${postinst_tools[@]}"
mkdir -p "$root/dev" "$root/var/lib/dpkg/info"
if ! mknod -m 666 "$root/dev/urandom" c 1 9 2>/dev/null; then
  touch "$root/dev/urandom"
  mount --bind /dev/urandom "$root/dev/urandom"
  urandom_bound=$root/dev/urandom
fi
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./postinst >"$root/var/lib/dpkg/info/hbd.postinst"
chmod 755 "$root/var/lib/dpkg/info/hbd.postinst"
postinst() { chroot "$root" /var/lib/dpkg/info/hbd.postinst "$@"; }
keys=$root/etc/ha.d/authkeys
[[ ! -e $keys ]] || fail "authkeys exists before the postinst ran"
out=$(postinst configure 2>&1) || fail "postinst configure: $out"
[[ -f $keys ]] || fail "postinst configure created no authkeys: $out"
grep -q 'copy this file' <<<"$out" || fail "postinst does not tell to copy the key: $out"
[[ $(stat -c '%a %u %g' "$keys") == "600 0 0" ]] || fail "authkeys is $(stat -c '%a %u %g' "$keys")"
key_re='^auth 1
1 sha1 [0-9a-f]{40}$'
[[ $(cat "$keys") =~ $key_re ]] || fail "authkeys content: $(cat "$keys")"
sample_key=$(sed -n 's/^1 sha1 //p' "$source_dir/conf/authkeys")
[[ -n $sample_key ]] || fail "no sha1 key in conf/authkeys"
! grep -qF "$sample_key" "$keys" || fail "authkeys holds the sample's key"
ls -A "$root/etc/ha.d" | grep -qv '^\(ha\.cf\|haresources\|authkeys\)$' \
  && fail "postinst left files behind: $(ls -A "$root/etc/ha.d")"
# A second configure (an upgrade, dpkg-reconfigure) leaves it exactly as it was.
cp -p "$keys" "$work/authkeys.first"
inode=$(stat -c %i "$keys")
out=$(postinst configure 2>&1) || fail "second postinst configure: $out"
cmp -s "$keys" "$work/authkeys.first" || fail "second configure changed authkeys"
[[ $(stat -c '%i %a %u %g' "$keys") == "$inode 600 0 0" ]] || fail "second configure replaced authkeys"
# Other actions do nothing; an operator's file (even a bad one) is never touched, only the
# published sample key is warned about.
rm "$keys"
out=$(postinst abort-upgrade 2>&1) || fail "postinst abort-upgrade: $out"
[[ ! -e $keys ]] || fail "postinst abort-upgrade created authkeys"
install -m 0644 "$source_dir/conf/authkeys" "$keys"
out=$(postinst configure 2>&1) || fail "postinst configure over the sample: $out"
cmp -s "$keys" "$source_dir/conf/authkeys" || fail "postinst changed an existing authkeys"
[[ $(stat -c %a "$keys") == 644 ]] || fail "postinst changed an existing authkeys' mode"
grep -q 'published sample key' <<<"$out" || fail "no warning about the sample key: $out"
# Each run draws a new key.
rm "$keys"
postinst configure >/dev/null 2>&1 || fail "postinst configure (again)"
cmp -s "$keys" "$work/authkeys.first" && fail "two runs gave the same key"

out=$(chroot "$root" /usr/sbin/hbd --check-config -c /etc/ha.d --node node1 2>&1) \
  || fail "installed samples do not check: $out"
grep -q ': 0 error(s)' <<<"$out" || fail "check-config: $out"
# The scripts are found in the installed resource.d (the source tree is not in the root).
mv "$root/usr/lib/hbd/resource.d/drbddisk" "$work/drbddisk"
if out=$(chroot "$root" /usr/sbin/hbd --check-config -c /etc/ha.d --node node1 2>&1); then
  fail "check-config passed without the installed drbddisk: $out"
fi
grep -q drbddisk <<<"$out" || fail "missing script not named: $out"
mv "$work/drbddisk" "$root/usr/lib/hbd/resource.d/drbddisk"

for p in /usr/sbin/hbd /usr/sbin/hbctl /usr/sbin/cl_status /usr/sbin/drbd-peer-outdater \
         /usr/sbin/hb_standby /usr/sbin/hb_takeover /usr/share/heartbeat/hb_standby \
         /usr/share/heartbeat/hb_takeover /usr/bin/cl_status \
         /usr/lib/heartbeat/drbd-peer-outdater; do
  out=$(chroot "$root" "$p" --help 2>&1) || fail "$p --help: exit $?: $out"
  grep -qi "usage" <<<"$out" || fail "$p --help says no usage: $out"
done
# hb_standby runs the installed hbctl: with no daemon, hbctl's own error (exit 3).
set +e
out=$(chroot "$root" /usr/sbin/hb_standby 2>&1); code=$?
set -e
[[ $code -eq 3 ]] && grep -q '^hbctl: ' <<<"$out" || fail "hb_standby did not run hbctl: $code $out"

# cmake --install into a staging directory gives the same files (DESTDIR).
DESTDIR=$work/stage cmake --install "$build" >/dev/null
for f in usr/sbin/hbd usr/sbin/cl_status usr/lib/hbd/resource.d/IPaddr lib/systemd/system/hbd.service \
         usr/share/doc/hbd/examples/authkeys usr/share/hbd/hb_takeover; do
  [[ -e "$work/stage/$f" ]] || fail "cmake --install lacks /$f"
done
[[ ! -e "$work/stage/etc/ha.d/authkeys" ]] || fail "cmake --install installs /etc/ha.d/authkeys"
echo "deb package: all checks passed"
