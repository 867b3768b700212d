"""A ``varnishd`` of the tests' own, running the repository's VCL in front of a given backend.

It listens on 127.0.0.1 and a free port, keeps its working directory in a
temporary folder (removed by :meth:`Varnish.stop`) and runs
``deploy/varnish/clinic.vcl`` with only the backend's port changed.
"""

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from bench.faults.services import wait_for_port
from bench.processes import ROOT, free_port, terminate

VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"
VCL = ROOT / "deploy" / "varnish" / "clinic.vcl"
VMODS = ("/usr/lib/x86_64-linux-gnu/varnish/vmods", "/usr/lib/varnish/vmods")


def missing() -> str | None:
    """Why Varnish cannot run here (scripts/install-varnish installs it), or ``None``."""
    if not Path(VARNISHD).exists():
        return "varnishd is not installed (scripts/install-varnish)"
    if not any(Path(folder, "libvmod_xkey.so").exists() for folder in VMODS):
        return "varnish-modules' xkey is not installed (scripts/install-varnish)"
    return None


class Varnish:
    def __init__(self, backend_port: int) -> None:
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="edge-varnish-"))
        self.folder.chmod(0o755)  # varnishd's workers run as its own user
        vcl = re.sub(r'\.port = "\d+";', f'.port = "{backend_port}";', VCL.read_text(), count=1)
        self.vcl = self.folder / "clinic.vcl"
        self.vcl.write_text(vcl)
        self.log = self.folder / "varnishd.log"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> "Varnish":
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    VARNISHD,
                    "-F",
                    "-n", str(self.folder / "work"),
                    "-a", f"127.0.0.1:{self.port}",
                    "-T", "none",
                    "-f", str(self.vcl),
                    "-s", "malloc,32m",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        try:
            wait_for_port(self.port, seconds=30)
        except TimeoutError:
            self.stop()
            raise
        return self

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self) -> None:
        if self.process is not None:
            terminate(self.process, seconds=10)
        shutil.rmtree(self.folder, ignore_errors=True)
