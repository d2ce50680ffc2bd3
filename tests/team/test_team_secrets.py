"""A shared result never holds a secret's value: not in the shared copy, not anywhere in the git
history of the remote or of the clone that shared it, not in a shared folder, not on the board.

A real local HTTP server checks the token, and one of its endpoints redirects to an address that
carries the credential (a careless server), so the value does reach the checks' findings before
masking."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from oncall.readiness.runner import MASK
from tests.readiness.conftest import TOKEN, Server, serving
from tests.team.conftest import Team, rotation_from_now, sh, write_org
from tests.team.test_team_cli import machine, oncall

CHECKLIST = """\
name: Primary readiness
items:
  - id: token
    title: Token is stored
    check: {{secret: pd}}
  - id: api
    title: API accepts the token
    needs: [token]
    check: {{http: "{url}/me", secret: pd}}
  - id: echo
    title: A server that echoes credentials back
    needs: [token]
    check: {{http: "{url}/redirect", secret: pd}}
"""


@pytest.fixture
def server() -> Iterator[Server]:
    yield from serving()


@pytest.fixture
def org_files(server: Server) -> dict[str, str]:
    return {"primary": rotation_from_now(people="bob, alice"), "checklist": CHECKLIST.format(url=server.url)}


def everything_in(repo: Path) -> str:
    """Every object in the repository, whatever refers to it (or nothing does)."""
    done = subprocess.run(["git", "cat-file", "--batch-all-objects", "--batch"], cwd=repo, capture_output=True,
                          timeout=60)
    assert done.returncode == 0
    return done.stdout.decode("utf-8", errors="replace")


def test_no_value_in_the_shared_copy_or_its_history(team: Team, server: Server) -> None:
    server.redirect_to = f"http://127.0.0.1:9/{TOKEN}/login"
    bob = team.clone("bob")
    env = machine(team, "bob", ONCALL_PERSON="bob")
    stored = oncall(bob, env, "secret", "set", "pd", stdin=TOKEN + "\n")
    assert stored.returncode == 0, stored.stderr
    for _ in range(2):  # two results: history on the ref
        checked = oncall(bob, env, "ready", "--check-access")
        assert checked.returncode == 1, checked.stderr  # the redirect is not followed: a failure
        assert "shared on refs/oncall/readiness/bob" in checked.stderr
    assert any(h.get("authorization") == f"Bearer {TOKEN}" for h in server.seen)  # the value was used

    ref = "refs/oncall/readiness/bob"
    assert sh(team.remote, "rev-list", "--count", ref).strip() == "2"
    shared = json.loads(sh(team.remote, "show", f"{ref}:primary.json"))
    echo = next(i for i in shared["items"] if i["id"] == "echo")
    assert f"http://127.0.0.1:9/{MASK}/login" in echo["message"]  # what the server echoed is there, masked
    for repo in (team.remote, bob):
        assert TOKEN not in everything_in(repo)

    lead = team.clone("lead")
    board = oncall(lead, machine(team, "lead"), "ready", "status", "--format", "json")
    assert board.stdout and TOKEN not in board.stdout + board.stderr


def test_no_value_in_a_shared_folder(tmp_path: Path, git_home: Path, server: Server) -> None:
    server.redirect_to = f"http://127.0.0.1:9/{TOKEN}/login"
    root = tmp_path / "org"
    write_org(root, CHECKLIST.format(url=server.url), settings="readiness:\n  share: {dir: ../team-results}\n",
              primary=rotation_from_now(people="bob, alice"))
    (tmp_path / "team-results").mkdir()
    env = dict(os.environ, ONCALL_PERSON="bob", NO_COLOR="1", XDG_STATE_HOME=str(tmp_path / "state"),
               XDG_DATA_HOME=str(tmp_path / "data"), PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring")
    env.pop("ONCALL_ROOT", None)
    assert oncall(root, env, "secret", "set", "pd", stdin=TOKEN).returncode == 0
    checked = oncall(root, env, "ready", "--check-access")
    assert "shared in" in checked.stderr and MASK in checked.stdout
    files = list((tmp_path / "team-results").rglob("*"))
    assert any(f.name == "primary.json" for f in files)
    for f in files:
        if f.is_file():
            assert TOKEN not in f.read_text()
