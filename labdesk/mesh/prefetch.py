"""Open a scan on a thread that starts before the GUI's heavy imports (cold start, issue 18).

A new LabDesk process asked to show a scan spends most of its first second importing PySide6,
pyqtgraph and PyOpenGL and creating the GL context; the file itself needs reading, welding and
normals (about 0.5 s at 1M triangles). Those are numpy work and file reads that release the
GIL for most of their time, so they can run while the main thread imports: start a
:class:`ScanPrefetch` first thing (this module imports numpy and LabDesk's mesh code only), and
hand its :meth:`result` to the viewer (``ScanView.show_scan``) once the window exists.
"""

from __future__ import annotations

import os
import threading

from labdesk.mesh.load import load_scan
from labdesk.mesh.scan import Scan, ScanError


class ScanPrefetch:
    """Read, weld and compute the normals of one file on a daemon thread, started at once."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self._done = threading.Event()
        self._scan: Scan | None = None
        self._error: ScanError | None = None
        self._thread = threading.Thread(target=self._run, name="scan-prefetch", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            scan = load_scan(self.path)
            _ = scan.normals
            self._scan = scan
        except ScanError as exc:
            self._error = exc
        except MemoryError:
            self._error = ScanError("the scan is too large for this computer's memory")
        finally:
            self._done.set()

    def done(self) -> bool:
        return self._done.is_set()

    def result(self, timeout: float | None = None) -> Scan:
        """The finished scan (with normals); raises its :class:`ScanError`, or TimeoutError."""
        if not self._done.wait(timeout):
            raise TimeoutError(f"{self.path} is still loading")
        if self._error is not None:
            raise self._error
        assert self._scan is not None
        return self._scan
