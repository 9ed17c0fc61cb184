"""Give freed memory back to the operating system after a scan job (glibc).

numpy's large temporaries are allocated with ``malloc``. glibc serves blocks above its mmap
threshold with ``mmap`` (returned on free), but after the first such free it raises the
threshold to that block's size (up to 32 MB) so later blocks of a million-triangle job come
from the heap, where freed memory stays mapped. Each open then leaves its high-water mark
behind: eight 400k-triangle opens measured 160 MB after the first and 181 MB after every later
one. Fixing the threshold instead (``M_MMAP_THRESHOLD``) keeps the process flat but costs a
page fault per fresh page on every temporary (weld 0.43 → 0.60 s, normals 0.15 → 0.40 s at
1M). So the threshold stays dynamic and the heap is trimmed once a job is done:
``malloc_trim(0)`` also releases free pages inside the heap (glibc ≥ 2.8).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys
from collections.abc import Callable


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim: Callable[[int], int] = libc.malloc_trim
    except (OSError, AttributeError):  # musl and other C libraries have no malloc_trim
        return None
    return trim


def give_back_free_memory() -> bool:
    """Return the C heap's free pages to the OS; True when that was possible here.

    Cheap (a few milliseconds): call it after a scan job, not inside one.
    """
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
