"""The notifier reads the results the team shares (real git: a bare remote and clones)."""

from __future__ import annotations

from pathlib import Path

from oncall.config.loader import load_org
from oncall.notify.readiness import shared_results
from oncall.readiness.share import GitStore, SharedItem, SharedResult
from tests.team.conftest import CHECKLIST, Team, write_org

T0 = 1_795_000_000


def test_lookup_over_shared_results(team: Team) -> None:
    laptop = team.clone("alice")
    org = load_org(laptop)
    failing = SharedResult("alice", T0, "primary", None, (
        SharedItem("python", "old title", "fail", 0.1, "python3: not found"),
        SharedItem("playbook", "Read the playbook", "pass", 0.0, "confirmed"),
    ))
    assert GitStore(laptop, "origin").publish(org.people["alice"], [failing]).shared

    server = team.clone("ci")
    org = load_org(server)
    found = shared_results(org)
    assert found is not None
    lookup, warnings = found
    assert warnings == []
    readiness = lookup(org.people["alice"], "primary")
    assert readiness is not None and not readiness.ready and readiness.checked_at == T0
    (item,) = readiness.failing
    # The title as the checklist says it now; the finding as shared.
    assert (item.id, item.title, item.detail) == ("python", "Python runs", "python3: not found")
    assert lookup(org.people["bob"], "primary") is None
    assert lookup(org.people["alice"], None) is None


def test_not_shared_means_no_lookup(tmp_path: Path) -> None:
    write_org(tmp_path, CHECKLIST, settings="")
    assert shared_results(load_org(tmp_path)) is None


def test_unreachable_remote_is_a_warning(team: Team) -> None:
    server = team.clone("ci")
    (server / "oncall.yaml").write_text("readiness:\n  share: git\n  remote: gone\n")
    found = shared_results(load_org(server))
    assert found is not None and "cannot fetch shared readiness results from gone" in found[1][0]
