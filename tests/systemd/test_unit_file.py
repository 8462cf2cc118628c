"""conf/hbd.service passes `systemd-analyze verify` with no complaint at all.

systemd-analyze verify needs no running manager (systemd is not PID 1 in containers), but it
checks that every Exec*= program exists and that the units it depends on load. hbd is not
installed here, so the check runs against a throw-away root (--root=): the unit file in
etc/systemd/system, the host's own units in usr/lib/systemd/system (for sysinit.target and the
like), the built hbd as usr/sbin/hbd and /bin/kill. verify exits 0 even for unknown keys or bad
values (it only warns), so any output at all is a failure; a deliberately broken copy shows the
check can fail.
"""

import os
import shutil
import subprocess
import tempfile
import unittest

SOURCE_DIR = os.environ.get(
    "HBD_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
BIN_DIR = os.environ.get("HBD_BIN_DIR", os.path.join(SOURCE_DIR, "build", "bin"))
UNIT = os.path.join(SOURCE_DIR, "conf", "hbd.service")
ANALYZE = shutil.which("systemd-analyze")
HOST_UNITS = next((d for d in ("/usr/lib/systemd/system", "/lib/systemd/system")
                   if os.path.isdir(d)), None)


@unittest.skipIf(ANALYZE is None,
                 "systemd-analyze is not installed (Debian: apt-get install systemd; "
                 "scripts/install-deps does)")
class UnitFileTest(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="hbd-unit-")
        self.addCleanup(shutil.rmtree, self.root, True)
        self.assertIsNotNone(HOST_UNITS, "no /usr/lib/systemd/system on this host")
        os.makedirs(os.path.join(self.root, "etc/systemd/system"))
        os.makedirs(os.path.join(self.root, "usr/lib/systemd"))
        shutil.copytree(HOST_UNITS, os.path.join(self.root, "usr/lib/systemd/system"),
                        symlinks=True)
        os.makedirs(os.path.join(self.root, "usr/sbin"))
        os.makedirs(os.path.join(self.root, "bin"))
        hbd = os.path.join(BIN_DIR, "hbd")
        self.assertTrue(os.access(hbd, os.X_OK), f"{hbd} is not built")
        shutil.copy(hbd, os.path.join(self.root, "usr/sbin/hbd"))
        shutil.copy(shutil.which("kill") or "/bin/kill", os.path.join(self.root, "bin/kill"))

    def verify(self, text):
        path = os.path.join(self.root, "etc/systemd/system/hbd.service")
        with open(path, "w") as f:
            f.write(text)
        r = subprocess.run([ANALYZE, "verify", "--man=no", f"--root={self.root}", "hbd.service"],
                           capture_output=True, text=True, timeout=30)
        return r.returncode, (r.stdout + r.stderr).strip()

    def test_unit_file_verifies_cleanly(self):
        with open(UNIT) as f:
            text = f.read()
        code, out = self.verify(text)
        self.assertEqual(code, 0, out)
        self.assertEqual(out, "", "systemd-analyze verify complained about conf/hbd.service")

    def test_unit_file_says_what_the_daemon_does(self):
        with open(UNIT) as f:
            lines = {l.strip() for l in f if l.strip() and not l.startswith("#")}
        for want in ("Type=notify", "NotifyAccess=main", "ExecReload=/bin/kill -HUP $MAINPID",
                     "KillMode=process", "Restart=on-failure", "Wants=resource-agents-deps.target"):
            self.assertIn(want, lines)
        watchdog = [l for l in lines if l.startswith("WatchdogSec=")]
        self.assertEqual(len(watchdog), 1, "one WatchdogSec=")
        after = next(l for l in lines if l.startswith("After=")).split("=", 1)[1].split()
        for unit in ("network.target", "time-sync.target", "resource-agents-deps.target"):
            self.assertIn(unit, after)
        # Mount-namespace settings would hide the Filesystem resource's mounts from the host.
        for key in ("ProtectSystem", "ProtectHome", "PrivateTmp", "PrivateDevices", "PrivateMounts",
                    "ReadOnlyPaths", "InaccessiblePaths", "MountFlags"):
            self.assertFalse([l for l in lines if l.startswith(key + "=")], key)

    def test_a_broken_unit_file_is_caught(self):
        with open(UNIT) as f:
            text = f.read()
        broken = text.replace("KillMode=process", "KillMode=proces\nNotifyAcess=main")
        self.assertNotEqual(broken, text)
        code, out = self.verify(broken)
        self.assertIn("proces", out)
        self.assertIn("NotifyAcess", out)


if __name__ == "__main__":
    unittest.main()
