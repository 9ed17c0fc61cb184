"""Bad packages: each is read as far as it can be and says exactly what is wrong, where."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

import pytest

from labdesk.intake import PackageError, Severity, read_package
from labdesk.intake.package import open_package
from tests import intake_fixtures as fx


def test_manifest_naming_a_missing_scan(tmp_path: Path) -> None:
    missing = f"iTero_Export_#{fx.ORDER}_l.stl"
    order = read_package(fx.write_itero(tmp_path / "e", missing=(missing,)))
    (problem,) = order.errors
    assert problem.place.endswith("ExportedObjects/Object[2]")
    assert problem.place.startswith(f"iTero_Export_#{fx.ORDER}_v50.xml")
    assert missing in problem.message
    assert "not in the package" in problem.message
    assert [f.role.value for f in order.files] == ["upper", "preop_upper", "margin"]


def test_zip_with_a_path_traversal_member_is_read_without_it(tmp_path: Path) -> None:
    folder = fx.write_itero(tmp_path / "e", versions=("5.0",))
    package = fx.zip_folder(folder, tmp_path / "e.zip", extra={"../../evil.sh": b"rm -rf /"})
    order = read_package(package, check_scans=False)
    (problem,) = order.errors
    assert problem.place == "e.zip: ../../evil.sh"
    assert "out of the package" in problem.message
    assert order.order_id == fx.ORDER  # the rest was read
    assert not (tmp_path / "evil.sh").exists()


@pytest.mark.parametrize(
    ("name", "attr", "flags", "expect"),
    [
        ("/etc/cron.d/x", 0, 0, "absolute path"),
        ("C:\\Windows\\x.stl", 0, 0, "absolute path"),
        ("link.stl", (stat.S_IFLNK | 0o777) << 16, 0, "symbolic link"),
        ("secret.stl", 0, 0x1, "encrypted"),
    ],
)
def test_unsafe_zip_members_are_never_read(
    tmp_path: Path, name: str, attr: int, flags: int, expect: str
) -> None:
    target = tmp_path / "p.zip"
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("upper.stl", b"solid x\nendsolid x\n")
        info = zipfile.ZipInfo(name)
        info.external_attr = attr
        archive.writestr(info, b"payload")
    if flags:  # mark the member encrypted in both headers, as a password-protected zip does
        raw = bytearray(target.read_bytes())
        for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            at = raw.rfind(sig)
            raw[at + offset] |= flags
        target.write_bytes(bytes(raw))
    with open_package(target) as package:
        assert package.names == ["upper.stl"]
        (problem,) = package.problems
    assert problem.place == f"p.zip: {name}"
    assert expect in problem.message


def test_zip_bomb_member_is_skipped(tmp_path: Path) -> None:
    target = tmp_path / "bomb.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("upper.stl", b"\0" * (8 << 20))
    with open_package(target) as package:
        assert package.names == []
        assert "zip bomb" in package.problems[0].message


def test_unknown_manifest_version_beside_a_known_one_is_skipped(tmp_path: Path) -> None:
    folder = fx.write_itero(tmp_path / "e", versions=("2.4", "5.0"))
    newer = fx.itero_manifest("6.1").replace("</RxInfo>", "<Insurance>X</Insurance></RxInfo>")
    (folder / f"iTero_Export_#{fx.ORDER}_v61.xml").write_text(newer)
    order = read_package(folder, check_scans=False)
    assert order.manifest.endswith("_v50.xml")
    (warning,) = order.problems
    assert warning.severity is Severity.WARNING
    assert warning.place.endswith("_v61.xml")
    assert "6.1 is not known" in warning.message


def test_only_an_unknown_manifest_version_reads_what_it_can_and_names_the_skipped(
    tmp_path: Path,
) -> None:
    folder = fx.write_itero(tmp_path / "e", versions=())
    newer = fx.itero_manifest("6.1").replace("</RxInfo>", "<Insurance>X</Insurance></RxInfo>")
    newer = newer.replace("</iTeroExport>", "<Payments/></iTeroExport>")
    (folder / f"iTero_Export_#{fx.ORDER}_v61.xml").write_text(newer)
    order = read_package(folder, check_scans=False)
    assert order.order_id == fx.ORDER
    assert len(order.items) == 2
    messages = [p.message for p in order.problems]
    assert any("6.1 is not known" in m for m in messages)
    assert any("<Payments>" in m and "RxInfo/<Insurance>" in m for m in messages)
    assert order.errors == []


def test_broken_zip_cannot_be_opened(tmp_path: Path) -> None:
    folder = fx.write_itero(tmp_path / "e", versions=("5.0",))
    data = fx.zip_folder(folder, tmp_path / "e.zip").read_bytes()
    broken = tmp_path / "broken.zip"
    broken.write_bytes(data[: len(data) // 2])
    with pytest.raises(PackageError, match="damaged"):
        read_package(broken)
    corrupt = tmp_path / "corrupt.zip"
    at = data.index(b"PK\x03\x04") + 30 + len(f"iTero_Export_#{fx.ORDER}_l.stl") + 40
    corrupt.write_bytes(data[:at] + bytes(b ^ 0xFF for b in data[at : at + 20]) + data[at + 20 :])
    order = read_package(corrupt)  # the damaged member is named; the rest is read
    (problem,) = order.errors
    assert problem.place == f"iTero_Export_#{fx.ORDER}_l.stl"
    assert "damaged" in problem.message


def test_not_a_package(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(PackageError, match="neither a folder nor a zip"):
        read_package(text)
    with pytest.raises(PackageError, match="does not exist"):
        read_package(tmp_path / "nothing.zip")


def test_unreadable_manifest_and_bad_tooth_are_placed(tmp_path: Path) -> None:
    folder = fx.write_itero(tmp_path / "e", versions=("2.4", "5.0"))
    (folder / f"iTero_Export_#{fx.ORDER}_v24.xml").write_text("<iTeroExport Version='2.4'>")
    v50 = folder / f"iTero_Export_#{fx.ORDER}_v50.xml"
    v50.write_text(
        v50.read_text(encoding="utf-8-sig").replace("<AdaId>19</AdaId>", "<AdaId>33</AdaId>")
    )
    order = read_package(folder, check_scans=False)
    places = {p.place: p.message for p in order.errors}
    assert any("_v24.xml" in p and "not readable XML" in m for p, m in places.items())
    assert f"iTero_Export_#{fx.ORDER}_v50.xml: RxInfo/Teeth/Tooth[4]/AdaId" in places


def test_a_scan_that_fails_to_load_is_an_error_with_the_loaders_words(tmp_path: Path) -> None:
    folder = fx.write_itero(tmp_path / "e", versions=("5.0",))
    (folder / f"iTero_Export_#{fx.ORDER}_l.stl").write_bytes(b"")
    order = read_package(folder)
    (problem,) = order.errors
    assert problem.place == f"iTero_Export_#{fx.ORDER}_l.stl"
    assert "empty" in problem.message


def test_folder_symlinks_are_not_followed(tmp_path: Path) -> None:
    folder = fx.write_plain(tmp_path / "plain")
    (folder / "lower.stl").symlink_to(folder / "upper.stl")
    with open_package(folder) as package:
        assert "lower.stl" not in package.names
        assert package.problems[0].place == "plain: lower.stl"
