"""Shared test setup. Qt runs offscreen unless a test run chose a platform (GL tests: xcb)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Never touch the real user's keyring, settings or cache from a test.
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
