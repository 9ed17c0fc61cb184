"""Frame gates: a loading job waits until the view has painted what the job delivered.

With a software renderer (Mesa llvmpipe, the usual case on lab PCs without a GPU driver and
in virtual machines) drawing a million triangles takes both cores for 0.1-0.2 s. Work started
on the loader's thread meanwhile (the weld, the scan check) makes that frame later and runs
slower itself, so the job waits (a bounded time) for "that frame is on screen": a flat preview
before the weld, the first smooth frame before the scan check.

Whether the flat preview is drawn at all is :func:`preview_worth_drawing`: the weld of a
1M-triangle STL takes ~0.25 s, the preview's own frame ~0.15 s of the same two cores, so below
:data:`PREVIEW_MIN_TRIANGLES` the smooth frame comes sooner without it (measured: in-app open
to the smooth frame 0.59 s with the preview, see ``benchmarks/RESULTS.md``, issue 18).
"""

from __future__ import annotations

import threading

from labdesk.mesh import RawMesh

__all__ = ["PREVIEW_MIN_TRIANGLES", "FrameGates", "preview_worth_drawing"]

#: A triangle soup at least this large is drawn flat-shaded while it is being welded.
PREVIEW_MIN_TRIANGLES = 2_500_000


def preview_worth_drawing(raw: RawMesh) -> bool:
    """Draw ``raw`` flat-shaded before its smooth version? Only a soup whose weld takes long
    enough (about 0.6 s and more on a 2-core PC) for a first picture to matter; an indexed
    file (PLY, OBJ) needs only its normals, a small soup is welded before a preview would be
    on screen."""
    return raw.faces is None and len(raw.vertices) // 3 >= PREVIEW_MIN_TRIANGLES


class FrameGates:
    """Events for the loader's jobs, set by the view once a frame it painted shows the job's
    latest delivery (or when loading is cancelled). Used on the GUI thread only; the jobs
    only wait on the events."""

    def __init__(self) -> None:
        # gate -> the frame count when the delivery was made (None: nothing delivered yet)
        self._gates: dict[threading.Event, int | None] = {}

    def new(self) -> threading.Event:
        gate = threading.Event()
        self._gates[gate] = None
        return gate

    def arm(self, gate: threading.Event | None, frames_painted: int) -> None:
        """The delivery for ``gate`` is in the scene: the next frame painted opens it."""
        if gate is not None and not gate.is_set():
            self._gates[gate] = frames_painted

    def open(self, gate: threading.Event | None) -> None:
        """Nothing will be drawn for ``gate``: let its job go on now."""
        if gate is not None:
            gate.set()
            self._gates.pop(gate, None)

    def frame_painted(self, frames_painted: int) -> None:
        for gate, after in list(self._gates.items()):
            if after is not None and frames_painted > after:
                self.open(gate)

    def open_all(self) -> None:
        for gate in list(self._gates):
            self.open(gate)
