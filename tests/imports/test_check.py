"""Comparing who the service rendered with who the written schedule puts on call."""

from __future__ import annotations

from oncall.imports.check import Difference, compare


def test_split_or_merged_entries_of_the_same_person_are_no_difference() -> None:
    rendered = [(0, 50, "ann"), (50, 100, "ann"), (100, 200, "bob")]
    written = [(0, 100, "ann"), (100, 150, "bob"), (150, 200, "bob")]
    assert compare(rendered, written, 0, 200) == []


def test_other_people_gaps_and_several_at_once_are_differences() -> None:
    rendered = [(0, 100, "ann"), (100, 200, "bob"), (150, 250, "cy"), (300, 400, "dee")]
    written = [(0, 100, "bob"), (100, 250, "bob"), (250, 400, "dee")]
    assert compare(rendered, written, 0, 400) == [
        Difference(0, 100, "ann", "bob"),
        Difference(150, 200, "bob + cy", "bob"),
        Difference(200, 250, "cy", "bob"),
        Difference(250, 300, "", "dee"),
    ]


def test_only_the_range_counts() -> None:
    assert compare([(0, 100, "ann")], [(-50, 150, "bob")], 20, 80) == [Difference(20, 80, "ann", "bob")]
