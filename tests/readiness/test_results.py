"""Results saved on this machine: which people have one, found from one listing of the folder."""

from __future__ import annotations

from pathlib import Path

from oncall.readiness.results import SavedRun, load_results, save_results, with_results

NOW = 1_800_000_000


def test_with_results_names_exactly_the_people_whose_run_is_saved(state_home: Path) -> None:
    assert with_results({"alice", "bob"}) == set()  # no folder yet
    save_results(SavedRun("alice", NOW, NOW))
    save_results(SavedRun("o'brien/x", NOW, NOW))  # an id whose file name is made safe
    asked = {"alice", "bob", "o'brien/x", "carol"}
    assert with_results(asked) == {"alice", "o'brien/x"}
    assert with_results(asked) == {pid for pid in asked if load_results(pid) is not None}
