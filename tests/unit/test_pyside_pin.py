"""Regression: PySide6 6.12.0 on Python 3.11 corrupts None's reference count and aborts
(`none_dealloc`) after a few thousand None-returning calls. pyproject pins PySide6 below 6.12;
this test proves the installed build survives ~20,000 such calls in a separate process."""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
from PySide6.QtCore import QObject, QCoreApplication
app = QCoreApplication([])
obj = QObject()
for i in range(20_000):
    obj.setObjectName("x")        # returns None
    obj.setProperty("p", None)    # returns a bool, takes None
    obj.blockSignals(False)
    assert obj.parent() is None   # returns None
print("ok")
"""


def test_twenty_thousand_none_returning_calls_do_not_abort():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, env=env
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "ok"


def test_pinned_version_is_not_the_broken_one():
    import PySide6

    assert not PySide6.__version__.startswith("6.12.0")
