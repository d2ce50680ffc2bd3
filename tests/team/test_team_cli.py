"""The team flow as people run it: each engineer's clone and machine (their own state and config
folders), a bare repository as the shared remote, a lead's clone reading the board. Every command
is a real `python -m oncall` process; git is real."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.team.conftest import CHECKLIST, Team, rotation_from_now, sh

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def org_files() -> dict[str, str]:
    return {"primary": rotation_from_now(),
            "settings": "readiness:\n  share: git\nnotify:\n  ready_before: 7d\n"}


def machine(team: Team, name: str, **extra: str) -> dict[str, str]:
    """The environment of one engineer's machine: their own state, config and git settings."""
    home = team.base / f"{name}-home"
    home.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ONCALL_", "XDG_", "GIT_"))}
    env.update(HOME=str(home), XDG_STATE_HOME=str(home / "state"), XDG_CONFIG_HOME=str(home / "config"),
               XDG_CACHE_HOME=str(home / "cache"), GIT_CONFIG_GLOBAL=str(home / ".gitconfig"),
               GIT_CONFIG_NOSYSTEM="1", NO_COLOR="1", PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring",
               XDG_DATA_HOME=str(home / "data"), COLUMNS="200")
    env.update(extra)
    return env


def oncall(root: Path, env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "oncall", "--root", str(root), *args], env=env, input=stdin,
                          capture_output=True, text=True, timeout=120, cwd=REPO)


def start(root: Path, env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "oncall", "--root", str(root), *args], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO)


def refs(repo: Path) -> list[str]:
    return sh(repo, "for-each-ref", "--format=%(refname)", "refs/oncall/readiness").split()


def test_two_engineers_share_at_once_and_the_lead_sees_the_board(team: Team) -> None:
    alice, bob, lead = team.clone("alice"), team.clone("bob"), team.clone("lead")
    sh(alice, "config", "user.email", "alice@example.com")  # alice is known by her git email
    alice_env, bob_env, lead_env = machine(team, "alice"), machine(team, "bob"), machine(team, "lead")
    assert oncall(bob, bob_env, "config", "set", "me", "bob@example.com").returncode == 0  # bob said who he is
    assert oncall(alice, alice_env, "ready", "--confirm", "playbook").returncode == 0

    runs = [start(alice, alice_env, "ready", "--check-access"), start(bob, bob_env, "ready", "--check-access")]
    (a_out, a_err), (b_out, b_err) = (p.communicate(timeout=120) for p in runs)
    assert runs[0].returncode == 0, a_err
    assert runs[1].returncode == 1, b_err  # bob never confirmed the playbook
    assert "identified by git user.email alice@example.com" in a_err
    assert "shared on refs/oncall/readiness/alice at origin" in a_err
    assert "shared on refs/oncall/readiness/bob at origin" in b_err
    assert refs(team.remote) == ["refs/oncall/readiness/alice", "refs/oncall/readiness/bob"]
    for clone in (alice, bob):
        assert sh(clone, "status", "--porcelain") == "" and sh(clone, "branch", "--format=%(refname)") == "refs/heads/main\n"

    board = oncall(lead, lead_env, "ready", "status", "--format", "json")
    assert board.returncode == 1, board.stderr  # bob is not ready, carol never checked
    entries = json.loads(board.stdout)
    assert [e["start"] for e in entries] == sorted(e["start"] for e in entries)
    primary = [e for e in entries if e["schedule"] == "primary"]
    assert [(e["person"], e["status"]) for e in primary] == [("carol", "unchecked"), ("bob", "not-ready"),
                                                             ("alice", "ready")]
    assert set(primary[0]) == {"schedule", "person", "start", "end", "checklist", "status", "checked_at",
                               "failing", "why"}
    assert primary[1]["failing"] == ["playbook"] and primary[1]["checklist"] == "primary"
    assert primary[0]["checked_at"] is None and primary[2]["checked_at"].endswith("+00:00")
    assert {e["status"] for e in entries if e["schedule"] == "support"} == {"no-checklist"}

    # Once everyone is ready, the board passes; shifts without a checklist do not fail it.
    assert oncall(bob, bob_env, "ready", "--confirm", "playbook").returncode == 0
    assert oncall(bob, bob_env, "ready", "--check-access").returncode == 0
    carol_env = machine(team, "carol", ONCALL_PERSON="carol")
    carol = team.clone("carol")
    assert oncall(carol, carol_env, "ready", "--confirm", "playbook").returncode == 0
    assert oncall(carol, carol_env, "ready", "--check-access").returncode == 0
    passing = oncall(lead, lead_env, "ready", "status")
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "3 ready" in passing.stdout and "no-checklist" in passing.stdout


def test_the_board_reads_at_60_columns(team: Team) -> None:
    lead = team.clone("lead")
    narrow = oncall(lead, machine(team, "lead", COLUMNS="60"), "ready", "status", "--schedule", "primary")
    assert narrow.returncode == 1
    lines = narrow.stdout.splitlines()
    assert max(len(line) for line in lines) <= 60
    for name in ("Carol Diaz", "Bob Stone", "Alice Park"):
        assert any(name in line for line in lines), f"{name} is cut in:\n{narrow.stdout}"
    assert "unchecked" in narrow.stdout and "3 unchecked." in narrow.stdout


def test_checking_someone_else_records_and_shares_nothing(team: Team) -> None:
    alice = team.clone("alice")
    env = machine(team, "alice", ONCALL_PERSON="alice")
    other = oncall(alice, env, "ready", "--person", "bob", "--check-access", "--format", "json")
    assert other.returncode == 1  # bob's playbook is not confirmed (on this machine or any)
    assert json.loads(other.stdout)["person"] == "bob"
    assert "not recorded: results are recorded and shared only for yourself" in other.stderr
    assert refs(alice) == [] and refs(team.remote) == []
    assert not (team.base / "alice-home" / "state" / "oncall" / "results" / "bob.json").exists()

    confirm = oncall(alice, env, "ready", "--person", "bob", "--confirm", "playbook")
    assert confirm.returncode == 2
    assert "--confirm: you can confirm only for yourself, not for bob" in confirm.stderr
    assert not (team.base / "alice-home" / "state" / "oncall" / "attestations" / "bob.json").exists()

    mine = oncall(alice, env, "ready", "--person", "alice", "--check-access")
    assert "shared on refs/oncall/readiness/alice" in mine.stderr and refs(team.remote) == ["refs/oncall/readiness/alice"]


def test_someone_elses_readiness_is_what_the_team_shared(team: Team) -> None:
    import platform

    bob, alice = team.clone("bob"), team.clone("alice")
    bob_env, alice_env = machine(team, "bob", ONCALL_PERSON="bob"), machine(team, "alice", ONCALL_PERSON="alice")
    assert oncall(bob, bob_env, "ready", "--check-access").returncode == 1  # bob never confirmed the playbook

    seen = oncall(alice, alice_env, "ready", "--person", "bob", "--checklist", "primary")
    assert seen.returncode == 1, seen.stderr  # what bob shared fails, whatever alice's machine has
    assert "showing what git remote origin has of bob's readiness (read-only" in seen.stderr
    assert f"shared result from {platform.node()}: checked " in seen.stdout
    assert "[✓] Python runs — exited 0" in seen.stdout
    assert "[✗] Read the playbook — not confirmed yet" in seen.stdout
    assert "fix: Read playbooks/incident.md, then run oncall ready --confirm playbook" in seen.stdout
    assert "Read-only: the team's results (as bob last shared them, moments ago)" in seen.stdout
    document = json.loads(oncall(alice, alice_env, "ready", "--person", "bob", "--checklist", "primary",
                                 "--format", "json").stdout)
    [source] = document["shared"]
    assert source["checklist"] == "primary" and source["host"] == platform.node()
    assert source["checked_at"] == document["last_verified"] and source["checklist_changed"] is False
    assert {r["item"]: r["status"] for r in document["results"]} == {"python": "pass", "playbook": "fail"}
    # Read-only: nothing is recorded on alice's machine, no ref of hers or bob's is written there.
    assert not (team.base / "alice-home" / "state" / "oncall" / "results" / "bob.json").exists()
    assert refs(alice) == [] and refs(team.remote) == ["refs/oncall/readiness/bob"]

    # Once bob fixes it, the next look fetches his new result; an edited checklist is pointed out.
    assert oncall(bob, bob_env, "ready", "--confirm", "playbook").returncode == 0
    assert oncall(bob, bob_env, "ready", "--check-access").returncode == 0
    (alice / "checklists" / "primary.yaml").write_text(CHECKLIST.replace("Python runs", "Python 3 runs"))
    again = oncall(alice, alice_env, "ready", "--person", "bob", "--checklist", "primary")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "; the checklist changed since" in again.stdout and "[✓] Read the playbook" in again.stdout

    nobody = oncall(alice, alice_env, "ready", "--person", "carol", "--checklist", "primary")
    assert "no shared result: carol runs `oncall ready --check-access` on their own machine" in nobody.stdout
    assert "[-] Python 3 runs — no shared result" in nobody.stdout
    assert "none shared by carol yet" in nobody.stdout


def test_whoami_and_config(team: Team) -> None:
    root = team.clone("me")
    env = machine(team, "me")
    unknown = oncall(root, env, "whoami")
    assert unknown.returncode == 2 and "run `oncall config set me ID` (or set ONCALL_PERSON=ID)" in unknown.stderr
    assert oncall(root, env, "config", "get", "me").returncode == 1

    sh(root, "config", "user.email", "carol@example.com")
    assert oncall(root, env, "whoami").stdout == "carol (Carol Diaz), from git user.email carol@example.com\n"

    bad = oncall(root, env, "config", "set", "me", "zed")
    assert bad.returncode == 2 and "names nobody in people.yaml" in bad.stderr
    assert oncall(root, env, "config", "set", "me", "bob").returncode == 0
    assert oncall(root, env, "config", "get", "me").stdout == "bob\n"
    assert json.loads(oncall(root, env, "whoami", "--format", "json").stdout)["person"] == "bob"

    overridden = oncall(root, dict(env, ONCALL_PERSON="alice"), "whoami", "--format", "json")
    assert json.loads(overridden.stdout) == {"person": "alice", "name": "Alice Park", "email": "alice@example.com",
                                             "source": "ONCALL_PERSON"}
    wrong = oncall(root, dict(env, ONCALL_PERSON="zed"), "whoami")
    assert wrong.returncode == 2 and "ONCALL_PERSON=zed names nobody in people.yaml" in wrong.stderr
    assert "Traceback" not in wrong.stderr


class TestBeforeShift:
    @pytest.fixture
    def org_files(self) -> dict[str, str]:
        # alice is on call now; bob takes over in 30 hours, carol 3 days later.
        return {"primary": rotation_from_now(hours_ago=42, every="3d", people="alice, bob, carol"),
                "settings": "readiness:\n  share: git\nnotify:\n  ready_before: 36h\n"}

    def test_quiet_unless_the_next_shift_is_within_ready_before(self, team: Team) -> None:
        root = team.clone("laptop")
        far = oncall(root, machine(team, "carol", ONCALL_PERSON="carol"), "ready", "--before-shift")
        assert (far.returncode, far.stdout, far.stderr) == (0, "", "")
        on_now = oncall(root, machine(team, "alice", ONCALL_PERSON="alice"), "ready", "--before-shift")
        assert (on_now.returncode, on_now.stdout, on_now.stderr) == (0, "", "")  # already on call: no next shift soon
        assert refs(team.remote) == []

        due = oncall(root, machine(team, "bob", ONCALL_PERSON="bob"), "ready", "--before-shift")
        assert due.returncode == 1, due.stderr  # runs the checks: the playbook is not confirmed
        assert "[✗] Read the playbook" in due.stdout
        assert refs(team.remote) == ["refs/oncall/readiness/bob"]
        refused = oncall(root, machine(team, "bob", ONCALL_PERSON="bob"), "ready", "--before-shift", "--person", "bob")
        assert refused.returncode == 2


def test_install_timer(team: Team, tmp_path: Path) -> None:
    import configparser
    import plistlib
    import shlex

    root = team.clone("laptop")
    env = machine(team, "alice", ONCALL_PERSON="alice")
    shown = oncall(root, env, "ready", "install-timer", "--kind", "systemd", "--print")
    assert shown.returncode == 0 and "[Timer]" in shown.stdout
    config = Path(env["XDG_CONFIG_HOME"])
    assert not (config / "systemd").exists()  # --print writes nothing

    wrote = oncall(root, env, "ready", "install-timer", "--kind", "systemd")
    assert wrote.returncode == 0, wrote.stderr
    service = configparser.ConfigParser(interpolation=None, strict=False)
    service.read(config / "systemd" / "user" / "oncall-ready.service")
    argv = shlex.split(service["Service"]["ExecStart"])
    assert argv[-4:] == ["--root", str(root.resolve()), "ready", "--before-shift"]
    assert 'Environment="ONCALL_PERSON=alice"' in (config / "systemd/user/oncall-ready.service").read_text()
    assert "systemctl --user enable --now oncall-ready.timer" in wrote.stderr
    assert "OnCalendar=" in (config / "systemd/user/oncall-ready.timer").read_text()

    agent_env = dict(env, HOME=str(tmp_path / "mac"))
    assert oncall(root, agent_env, "ready", "install-timer", "--kind", "launchd").returncode == 0
    plist = tmp_path / "mac" / "Library" / "LaunchAgents" / "oncall.ready-before-shift.plist"
    assert plistlib.loads(plist.read_bytes())["ProgramArguments"][-2:] == ["ready", "--before-shift"]

    # cron: a stand-in for the crontab program (cron itself is not run here), keeping the table in a file.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    table = tmp_path / "crontab.txt"
    table.write_text("0 3 * * * backup\n")
    (bin_dir / "crontab").write_text(f"#!/bin/sh\nif [ \"$1\" = -l ]; then cat {table}; else cat > {table}; fi\n")
    (bin_dir / "crontab").chmod(0o755)
    cron_env = dict(env, PATH=f"{bin_dir}{os.pathsep}{env['PATH']}")
    for _ in range(2):  # installing again replaces the line
        installed = oncall(root, cron_env, "ready", "install-timer", "--kind", "cron")
        assert installed.returncode == 0, installed.stderr
    lines = table.read_text().splitlines()
    assert lines[0] == "0 3 * * * backup" and len(lines) == 3
    assert lines[2].endswith(" ready --before-shift") and installed.stdout.strip() == lines[2]


def test_mistakes_in_the_readiness_section_stop_sharing(team: Team) -> None:
    root = team.clone("laptop")
    (root / "oncall.yaml").write_text("readiness:\n  share: svn\n")
    env = machine(team, "alice", ONCALL_PERSON="alice")
    failed = oncall(root, env, "ready", "--check-access")
    assert failed.returncode == 2
    assert "oncall.yaml:2: share: in readiness must be `git` or `{dir: PATH}`" in failed.stderr
    assert oncall(root, env, "whois").returncode == 0  # other commands do not mind


def test_a_shared_folder_instead_of_git(tmp_path: Path, git_home: Path) -> None:
    from tests.team.conftest import write_org

    root = tmp_path / "org"
    write_org(root, CHECKLIST, settings="readiness:\n  share: {dir: ../team-results}\n", primary=rotation_from_now())
    (tmp_path / "team-results").mkdir()
    env = dict(os.environ, ONCALL_PERSON="bob", NO_COLOR="1", XDG_STATE_HOME=str(tmp_path / "state"))
    env.pop("ONCALL_ROOT", None)
    checked = oncall(root, env, "ready", "--check-access")
    assert checked.returncode == 1 and f"shared in {root / '../team-results'}/bob/" in checked.stderr
    shared = json.loads((tmp_path / "team-results" / "bob" / "primary.json").read_text())
    assert shared["person"] == "bob" and shared["checklist"] == "primary" and len(shared["checklist_blob"]) == 40
    assert {i["id"]: i["status"] for i in shared["items"]} == {"python": "pass", "playbook": "fail"}
    board = json.loads(oncall(root, dict(env, XDG_STATE_HOME=str(tmp_path / "other")), "ready", "status",
                              "--format", "json").stdout)
    assert [(e["person"], e["status"]) for e in board if e["schedule"] == "primary"][:2] == [
        ("carol", "unchecked"), ("bob", "not-ready")]
