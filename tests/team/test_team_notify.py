"""The notifier reads readiness the one way every command does (real git: a bare remote and
clones): the results the team shares, else those saved on this machine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oncall.config.loader import load_org
from oncall.notify.readiness import lookup_for
from oncall.readiness.share import GitStore, SharedItem, SharedResult
from tests.team.conftest import CHECKLIST, Team, rotation_from_now, sh, write_org

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
    lookup, warnings = lookup_for(org)
    assert warnings == []
    readiness = lookup(org.people["alice"], "primary")
    assert readiness is not None and not readiness.ready and readiness.checked_at == T0
    (item,) = readiness.failing
    # The title as the checklist says it now; the finding as shared.
    assert (item.id, item.title, item.detail) == ("python", "Python runs", "python3: not found")
    assert lookup(org.people["bob"], "primary") is None
    assert lookup(org.people["alice"], None) is None


def test_not_shared_means_the_results_saved_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from oncall.readiness.results import CheckResult, SavedRun, save_results

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    write_org(tmp_path / "root", CHECKLIST, settings="")
    org = load_org(tmp_path / "root")
    save_results(SavedRun("bob", T0 - 5, T0, (
        CheckResult("primary", "python", "Python ran once", "command", "fail", "exited 127", at=T0),
        CheckResult("primary", "playbook", "Read the playbook", "confirm", "pass", "confirmed", at=T0),
    ), ("primary",)))
    lookup, warnings = lookup_for(org)
    assert warnings == []  # a notifier on one machine is a normal set-up, not worth a warning every run
    readiness = lookup(org.people["bob"], "primary")
    assert readiness is not None and readiness.checked_at == T0 and readiness.total == 2
    (item,) = readiness.failing
    assert (item.id, item.title, item.detail) == ("python", "Python runs", "exited 127")
    assert lookup(org.people["alice"], "primary") is None
    # A schedule that names no checklist has no readiness, whatever else bob checked (as on the board).
    assert lookup(org.people["bob"], None) is None


def test_unreachable_remote_is_a_warning(team: Team) -> None:
    server = team.clone("ci")
    (server / "oncall.yaml").write_text("readiness:\n  share: git\n  remote: gone\n")
    _, warnings = lookup_for(load_org(server))
    assert "cannot fetch shared readiness results from gone" in warnings[0]


class TestNotifyRunReadsSharedResults:
    """`notify run --dry-run` on a third machine (CI) that never ran a check itself."""

    @pytest.fixture
    def org_files(self) -> dict[str, str]:
        # carol is on call now (for another two days), bob takes over in two days, alice in five.
        settings = ("readiness:\n  share: git\n"
                    "notify:\n  ready_before: 7d\n  channels:\n    mail:\n      type: email\n"
                    "      host: smtp.example.com\n      sender: oncall@example.com\n      to: team@example.com\n"
                    "  team: mail\n  direct: mail\n")
        return {"primary": rotation_from_now(), "settings": settings}

    def test_not_ready_alerts_come_from_shared_results(self, team: Team) -> None:
        from tests.team.test_team_cli import machine, oncall

        for person in ("carol", "bob"):  # neither confirmed the playbook: both not ready
            clone = team.clone(person)
            assert oncall(clone, machine(team, person, ONCALL_PERSON=person), "ready", "--check-access").returncode == 1
        alice = team.clone("alice")
        alice_env = machine(team, "alice", ONCALL_PERSON="alice")
        assert oncall(alice, alice_env, "ready", "--confirm", "playbook").returncode == 0
        assert oncall(alice, alice_env, "ready", "--check-access").returncode == 0

        ci = team.clone("ci")
        done = oncall(ci, machine(team, "ci"), "notify", "run", "--dry-run", "--format", "json")
        assert done.returncode == 0, done.stderr
        alerts = [m for m in json.loads(done.stdout)["messages"] if m["kind"] == "not-ready"]
        # bob's shift is coming: alerted, to him and to the team, naming the item and its fix.
        assert sorted((m["person"], tuple(m["to"])) for m in alerts) == [
            ("bob", ("bob@example.com",)), ("bob", ("team@example.com",))]
        assert all("playbook" in m["text"] and "oncall ready --confirm playbook" in m["text"] for m in alerts)
        # carol is already on call: no not-ready alert for a shift under way; alice is ready.
        assert sh(ci, "for-each-ref", "--format=%(refname)", "refs/oncall/remotes/origin/readiness").split() == [
            "refs/oncall/remotes/origin/readiness/alice", "refs/oncall/remotes/origin/readiness/bob",
            "refs/oncall/remotes/origin/readiness/carol"]

    def test_without_shared_results_nothing_is_known_here(self, team: Team) -> None:
        from tests.team.test_team_cli import machine, oncall

        bob = team.clone("bob")
        assert oncall(bob, machine(team, "bob", ONCALL_PERSON="bob"), "ready", "--check-access").returncode == 1
        ci = team.clone("ci")
        (ci / "oncall.yaml").write_text((ci / "oncall.yaml").read_text().replace("  share: git\n", ""))
        done = oncall(ci, machine(team, "ci"), "notify", "run", "--dry-run", "--format", "json")
        assert done.returncode == 0, done.stderr
        assert [m for m in json.loads(done.stdout)["messages"] if m["kind"] == "not-ready"] == []


def test_a_wrong_readiness_section_falls_back_to_this_machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    from oncall.readiness.results import CheckResult, SavedRun, save_results

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    write_org(tmp_path, CHECKLIST, settings="readiness:\n  share: git\n  remote: --upload-pack=evil\n")
    org = load_org(tmp_path)
    assert org.settings.readiness.share is None  # never used to run git
    save_results(SavedRun("carol", T0 - 5, T0, (
        CheckResult("primary", "python", "Python runs", "command", "pass", "exited 0", at=T0),), ("primary",)))
    lookup, warnings = lookup_for(org)
    assert warnings == ["oncall.yaml:3: remote: '--upload-pack=evil' in readiness is not a git remote; write a "
                        "remote name or URL (read instead: the readiness results saved on this machine)"]
    readiness = lookup(org.people["carol"], "primary")
    assert readiness is not None and readiness.ready and readiness.checked_at == T0
