"""The Readiness page of a team that shares its results through git, in headless Chromium.

Real git throughout: a bare repository is the shared remote, two engineers check and share from
their own clones and machines, and the site is built in a third clone (as CI would), with no
``--readiness`` file: the page shows the board assembled from what the team shared.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from site_helpers import DESKTOP, PHONE, REPO, Visit

from tests.team.conftest import Team, git_home, org_files, rotation_from_now, team  # noqa: F401 (fixtures)
from tests.team.test_team_cli import machine, oncall

FIX = "Read playbooks/incident.md, then run oncall ready --confirm playbook"  # the checklist's fix for the playbook


@pytest.fixture
def org_files() -> dict[str, str]:  # noqa: F811 (this module's team: carol on call now, bob next, then alice)
    return {"primary": rotation_from_now(), "settings": "readiness:\n  share: git\n"}


@pytest.fixture
def shared_team(team: Team) -> Team:  # noqa: F811
    """alice ready, bob failing the playbook (never confirmed), carol never checked; all pushed."""
    alice, bob = team.clone("alice"), team.clone("bob")
    alice_env, bob_env = machine(team, "alice", ONCALL_PERSON="alice"), machine(team, "bob", ONCALL_PERSON="bob")
    assert oncall(alice, alice_env, "ready", "--confirm", "playbook").returncode == 0
    assert oncall(alice, alice_env, "ready", "--check-access").returncode == 0
    assert oncall(bob, bob_env, "ready", "--check-access").returncode == 1
    return team


def _build(shared: Team, out: Path, *args: str) -> dict[str, Any]:
    ci = shared.clones.get("ci") or shared.clone("ci")
    built = subprocess.run([sys.executable, "-m", "oncall", "--root", str(ci), "site", "build", str(out), *args,
                            "--format", "json"], env=machine(shared, "ci"), capture_output=True, text=True,
                           timeout=120, cwd=REPO)
    assert built.returncode == 0, built.stderr
    summary: dict[str, Any] = json.loads(built.stdout)
    return summary


def _rows(page: Any) -> list[tuple[str, str, str]]:
    """Each row of the board as a person reads it: (shift, status, what to fix)."""
    rows = page.locator("table.readiness tbody tr")
    return [tuple(rows.nth(i).locator("td").nth(c).inner_text() for c in range(3))  # type: ignore[misc]
            for i in range(rows.count())]


@pytest.mark.parametrize("transport", ["http", "file"])
def test_the_page_shows_the_teams_shared_readiness_with_fixes(shared_team: Team, served: tuple[str, Path],
                                                               visit: Visit, artefacts: Path, transport: str) -> None:
    out = served[1] / f"team-{transport}"
    summary = _build(shared_team, out)
    assert summary["readiness"]["source"] == "shared" and summary["readiness"]["not_ready"] == 2  # bob and carol
    url = (out / "readiness.html").as_uri() if transport == "file" else f"{served[0]}/{out.name}/readiness.html"
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        with visit(url, size=size) as page:
            main = page.locator("main").inner_text()
            assert "No shared readiness results" not in main
            assert "from the team's shared results (git remote origin)" in main
            primary = [row for row in _rows(page) if "primary" in row[0]]
            people = [next(n for n in ("Carol Diaz", "Bob Stone", "Alice Park") if n in shift) for shift, _, _ in primary]
            assert people == ["Carol Diaz", "Bob Stone", "Alice Park"]  # by start: carol on call now, then bob, alice
            statuses = [status.splitlines()[0] for _, status, _ in primary]
            assert statuses == ["Not checked", "Not ready", "Ready"]
            assert primary[1][2] == f"Read the playbook: {FIX}"  # bob's failing item and its fix
            assert primary[0][2] == primary[2][2] == ""
            assert "failing: playbook" in primary[1][1]
            assert {status.splitlines()[0] for shift, status, _ in _rows(page) if "support" in shift} == {"No checklist"}
            assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
            page.screenshot(path=str(artefacts / f"readiness-team-{transport}-{label}.png"), full_page=True)


def test_a_board_file_overrides_the_shared_results(shared_team: Team, served: tuple[str, Path], visit: Visit,
                                                   tmp_path: Path) -> None:
    board = tmp_path / "board.json"
    board.write_text("[]", encoding="utf-8")
    out = served[1] / "team-file-board"
    summary = _build(shared_team, out, "--readiness", str(board))
    assert summary["readiness"] == {"source": "file", "shifts": 0, "not_ready": 0}
    with visit((out / "readiness.html").as_uri()) as page:
        main = page.locator("main").inner_text()
        assert "The readiness board from board.json" in main and "No shifts under way or coming up." in main
        assert page.locator("table.readiness").count() == 0
