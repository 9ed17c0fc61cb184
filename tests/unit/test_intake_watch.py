"""The watched intake folder: an export is announced once, when it has finished arriving."""

from __future__ import annotations

from pathlib import Path

from labdesk.client.intake_watch import Arrivals, snapshot


def test_an_export_is_announced_once_after_two_equal_looks(tmp_path: Path) -> None:
    (tmp_path / "old.zip").write_bytes(b"before")
    (tmp_path / ".partial.zip").write_bytes(b"hidden: a download in progress")
    (tmp_path / "notes.txt").write_text("not a package")
    arrivals = Arrivals(snapshot(tmp_path))
    assert arrivals.settle(snapshot(tmp_path)) == []  # what was there is not news

    new = tmp_path / "new.zip"
    new.write_bytes(b"half")
    folder = tmp_path / "export"
    folder.mkdir()
    assert arrivals.settle(snapshot(tmp_path)) == []  # first look: still arriving?
    assert arrivals.waiting()
    new.write_bytes(b"half and the rest")
    (folder / "scan.stl").write_bytes(b"solid")
    assert arrivals.settle(snapshot(tmp_path)) == []  # it grew: not yet
    assert arrivals.settle(snapshot(tmp_path)) == [str(folder), str(new)]
    assert arrivals.settle(snapshot(tmp_path)) == []  # once only
    assert not arrivals.waiting()

    new.unlink()
    assert arrivals.settle(snapshot(tmp_path)) == []
    new.write_bytes(b"dropped again")
    arrivals.settle(snapshot(tmp_path))
    assert arrivals.settle(snapshot(tmp_path)) == [str(new)]  # removed and back: news again


def test_a_missing_folder_is_an_empty_snapshot(tmp_path: Path) -> None:
    assert snapshot(tmp_path / "unplugged-share") == {}
