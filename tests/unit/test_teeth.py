"""All 52 teeth in all three notations, both ways, and the arch ranges."""

from __future__ import annotations

import pytest

from labdesk.domain import teeth

# (FDI, Universal, Palmer, name) for every tooth, written out by hand from the charts.
PERMANENT = [
    (18, "1", "UR8", "upper right third molar"), (17, "2", "UR7", "upper right second molar"),
    (16, "3", "UR6", "upper right first molar"), (15, "4", "UR5", "upper right second premolar"),
    (14, "5", "UR4", "upper right first premolar"), (13, "6", "UR3", "upper right canine"),
    (12, "7", "UR2", "upper right lateral incisor"),
    (11, "8", "UR1", "upper right central incisor"),
    (21, "9", "UL1", "upper left central incisor"), (22, "10", "UL2", "upper left lateral incisor"),
    (23, "11", "UL3", "upper left canine"), (24, "12", "UL4", "upper left first premolar"),
    (25, "13", "UL5", "upper left second premolar"), (26, "14", "UL6", "upper left first molar"),
    (27, "15", "UL7", "upper left second molar"), (28, "16", "UL8", "upper left third molar"),
    (38, "17", "LL8", "lower left third molar"), (37, "18", "LL7", "lower left second molar"),
    (36, "19", "LL6", "lower left first molar"), (35, "20", "LL5", "lower left second premolar"),
    (34, "21", "LL4", "lower left first premolar"), (33, "22", "LL3", "lower left canine"),
    (32, "23", "LL2", "lower left lateral incisor"),
    (31, "24", "LL1", "lower left central incisor"),
    (41, "25", "LR1", "lower right central incisor"),
    (42, "26", "LR2", "lower right lateral incisor"),
    (43, "27", "LR3", "lower right canine"), (44, "28", "LR4", "lower right first premolar"),
    (45, "29", "LR5", "lower right second premolar"), (46, "30", "LR6", "lower right first molar"),
    (47, "31", "LR7", "lower right second molar"), (48, "32", "LR8", "lower right third molar"),
]  # fmt: skip
PRIMARY = [
    (55, "A", "URE", "upper right primary second molar"),
    (54, "B", "URD", "upper right primary first molar"),
    (53, "C", "URC", "upper right primary canine"),
    (52, "D", "URB", "upper right primary lateral incisor"),
    (51, "E", "URA", "upper right primary central incisor"),
    (61, "F", "ULA", "upper left primary central incisor"),
    (62, "G", "ULB", "upper left primary lateral incisor"),
    (63, "H", "ULC", "upper left primary canine"),
    (64, "I", "ULD", "upper left primary first molar"),
    (65, "J", "ULE", "upper left primary second molar"),
    (75, "K", "LLE", "lower left primary second molar"),
    (74, "L", "LLD", "lower left primary first molar"),
    (73, "M", "LLC", "lower left primary canine"),
    (72, "N", "LLB", "lower left primary lateral incisor"),
    (71, "O", "LLA", "lower left primary central incisor"),
    (81, "P", "LRA", "lower right primary central incisor"),
    (82, "Q", "LRB", "lower right primary lateral incisor"),
    (83, "R", "LRC", "lower right primary canine"),
    (84, "S", "LRD", "lower right primary first molar"),
    (85, "T", "LRE", "lower right primary second molar"),
]
ALL = PERMANENT + PRIMARY


def test_the_table_covers_all_52_teeth():
    assert len(ALL) == 52
    assert sorted(fdi for fdi, *_ in ALL) == sorted(teeth.ALL_TEETH)


@pytest.mark.parametrize(("fdi", "universal", "palmer", "name"), ALL)
def test_each_tooth_both_ways(fdi, universal, palmer, name):
    assert teeth.to_label(fdi, "fdi") == str(fdi)
    assert teeth.to_label(fdi, "universal") == universal
    assert teeth.to_label(fdi, "palmer") == palmer
    assert teeth.parse(str(fdi), "fdi") == fdi
    assert teeth.parse(universal, "universal") == fdi
    assert teeth.parse(palmer, "palmer") == fdi
    assert teeth.parse(palmer.lower(), teeth.Notation.PALMER) == fdi
    assert teeth.name(fdi) == name
    assert teeth.is_primary(fdi) == (fdi > 50)
    assert teeth.arch(fdi) == name.split()[0]


@pytest.mark.parametrize(
    ("label", "notation", "message"),
    [
        ("19", "fdi", "not an FDI tooth"),
        ("10", "fdi", "not an FDI tooth"),
        ("56", "fdi", "not an FDI tooth"),
        ("1", "fdi", "not an FDI tooth"),
        ("33", "universal", "not a Universal tooth"),
        ("0", "universal", "not a Universal tooth"),
        ("U", "universal", "not a Universal tooth"),
        ("Z", "palmer", "not a Palmer tooth"),
        ("UR9", "palmer", "not a Palmer tooth"),
        ("URF", "palmer", "not a Palmer tooth"),
        ("XX1", "palmer", "not a Palmer tooth"),
        ("", "fdi", "empty"),
        ("  ", "universal", "empty"),
        ("11", "klingon", "unknown tooth notation"),
    ],
)
def test_parse_refuses_with_a_clear_message(label, notation, message):
    with pytest.raises(ValueError, match=message):
        teeth.parse(label, notation)


@pytest.mark.parametrize("bad", [0, 10, 19, 49, 56, 66, 86, 99, True, "11"])
def test_to_label_refuses_non_teeth(bad):
    with pytest.raises(ValueError, match="not a tooth"):
        teeth.to_label(bad, "fdi")


def test_range_goes_through_the_midline():
    assert teeth.teeth_between(13, 23) == [13, 12, 11, 21, 22, 23]
    assert teeth.teeth_between(23, 13) == [23, 22, 21, 11, 12, 13]
    assert teeth.teeth_between(43, 33) == [43, 42, 41, 31, 32, 33]
    assert teeth.teeth_between(18, 18) == [18]
    assert teeth.teeth_between(18, 28) == list(teeth.UPPER_PERMANENT)
    assert teeth.teeth_between(53, 63) == [53, 52, 51, 61, 62, 63]


def test_range_stays_in_one_arch():
    with pytest.raises(ValueError, match="same arch"):
        teeth.teeth_between(13, 33)
    with pytest.raises(ValueError, match="same arch"):
        teeth.teeth_between(13, 53)


def test_types_quadrants_and_description():
    assert teeth.tooth_type(11) is teeth.ToothType.INCISOR
    assert teeth.tooth_type(13) is teeth.ToothType.CANINE
    assert teeth.tooth_type(24) is teeth.ToothType.PREMOLAR
    assert teeth.tooth_type(36) is teeth.ToothType.MOLAR
    assert teeth.tooth_type(54) is teeth.ToothType.MOLAR
    assert teeth.quadrant(65) == 6
    assert teeth.side(46) == "right"
    assert teeth.describe(16) == ("Upper right first molar — FDI 16 · Universal 3 · Palmer UR6")


def test_format_teeth_compacts_runs_along_the_arch():
    assert teeth.format_teeth([21, 11, 12, 13, 22, 23], "fdi") == "13-23"
    assert teeth.format_teeth([36, 46], "fdi") == "46, 36"
    assert teeth.format_teeth([14, 16], "universal") == "3, 5"
    assert teeth.format_teeth([], "palmer") == ""
