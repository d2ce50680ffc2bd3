"""Sharing results through git refs and through a folder, with real git: a bare repository as the
remote, clones acting as engineers, nothing on a branch or in a working tree touched."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from oncall.config.loader import load_org
from oncall.model import Person
from oncall.readiness.share import DirStore, GitStore, SharedItem, SharedResult, blob_id, store_for
from tests.team.conftest import Team, sh, write_org

T0 = 1_795_000_000  # 2026-11-18


def result(person: str, at: int, *, failing: bool = False, checklist: str = "primary") -> SharedResult:
    return SharedResult(
        person=person, checked_at=at, checklist=checklist, checklist_blob="b" * 40, tool_version="0.1.0",
        host="laptop", items=(SharedItem("python", "Python runs", "fail" if failing else "pass", 0.25, "found"),),
    )


def people(root: Path) -> dict[str, Person]:
    return dict(load_org(root).people)


def untouched(clone: Path) -> tuple[str, str, str]:
    """What must never change: the branches, HEAD and the working tree/index status."""
    return (sh(clone, "for-each-ref", "refs/heads", "refs/remotes"), sh(clone, "rev-parse", "HEAD"),
            sh(clone, "status", "--porcelain", "--untracked-files=all"))


def test_two_engineers_push_at_the_same_moment_and_a_third_reads_both(team: Team) -> None:
    alice_root, bob_root, reader = team.clone("alice"), team.clone("bob"), team.clone("reader")
    before = {name: untouched(path) for name, path in team.clones.items()}
    who = people(alice_root)
    start = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def publish(name: str, root: Path, failing: bool) -> None:
        start.wait()
        outcomes[name] = GitStore(root, "origin").publish(who[name], [result(name, T0, failing=failing)])

    threads = [threading.Thread(target=publish, args=("alice", alice_root, False)),
               threading.Thread(target=publish, args=("bob", bob_root, True))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(getattr(o, "shared", False) for o in outcomes.values()), outcomes

    listed = sh(team.remote, "for-each-ref", "--format=%(refname)", "refs/oncall")
    assert listed.split() == ["refs/oncall/readiness/alice", "refs/oncall/readiness/bob"]
    # Only the result refs were added: the remote's branches are as they were.
    assert sh(team.remote, "for-each-ref", "--format=%(refname)", "refs/heads").split() == ["refs/heads/main"]

    store = GitStore(reader, "origin")
    assert store.fetch() is None
    got = store.read({("alice", "primary"), ("bob", "primary"), ("carol", "primary")})
    assert set(got) == {("alice", "primary"), ("bob", "primary")}
    assert got[("alice", "primary")].failing == () and got[("bob", "primary")].failing == ("python",)
    assert got[("bob", "primary")].host == "laptop"
    for name, path in team.clones.items():
        assert untouched(path) == before[name], f"{name}'s branches or working tree changed"


def test_history_is_kept_and_other_checklists_stay(team: Team) -> None:
    root = team.clone("alice")
    alice = people(root)["alice"]
    store = GitStore(root, "origin")
    assert store.publish(alice, [result("alice", T0, failing=True)]).shared
    assert store.publish(alice, [result("alice", T0 + 60, checklist="other")]).shared
    assert store.publish(alice, [result("alice", T0 + 120)]).shared
    ref = "refs/oncall/readiness/alice"
    assert sh(team.remote, "rev-list", "--count", ref).strip() == "3"
    assert sh(team.remote, "ls-tree", "--name-only", ref).split() == ["other.json", "primary.json"]
    first = sh(team.remote, "show", f"{ref}~2:primary.json")
    assert '"status": "fail"' in first
    commit = sh(team.remote, "cat-file", "-p", ref)
    assert "author Alice Park <alice@example.com>" in commit and "readiness of alice: primary: ready" in commit


def test_the_same_person_on_two_machines_keeps_both_histories(team: Team) -> None:
    laptop, desktop = team.clone("laptop"), team.clone("desktop")
    alice = people(laptop)["alice"]
    assert GitStore(laptop, "origin").publish(alice, [result("alice", T0)]).shared
    # The desktop never fetched: its push is not a fast-forward, so it merges and pushes again.
    outcome = GitStore(desktop, "origin").publish(alice, [result("alice", T0 + 300, failing=True)])
    assert outcome.shared, outcome.message
    ref = "refs/oncall/readiness/alice"
    assert sh(team.remote, "rev-list", "--count", ref).strip() == "3"  # both commits and the merge
    reader = GitStore(team.clone("reader"), "origin")
    assert reader.fetch() is None
    latest = reader.read({("alice", "primary")})[("alice", "primary")]
    assert latest.checked_at == T0 + 300 and latest.failing == ("python",)


def test_a_failed_push_is_kept_and_goes_with_the_next_one(team: Team) -> None:
    root = team.clone("alice")
    alice = people(root)["alice"]
    sh(root, "remote", "set-url", "origin", str(team.base / "nowhere.git"))
    outcome = GitStore(root, "origin").publish(alice, [result("alice", T0)])
    assert not outcome.shared and "kept on refs/oncall/readiness/alice" in outcome.message
    assert sh(root, "rev-parse", "refs/oncall/readiness/alice").strip()  # recorded locally
    # The board on this machine still sees its own result.
    assert ("alice", "primary") in GitStore(root, "origin").read({("alice", "primary")})

    sh(root, "remote", "set-url", "origin", str(team.remote))
    assert GitStore(root, "origin").publish(alice, [result("alice", T0 + 60)]).shared
    assert sh(team.remote, "rev-list", "--count", "refs/oncall/readiness/alice").strip() == "2"


def test_a_fetch_brings_the_people_asked_for_and_drops_those_the_remote_no_longer_has(team: Team) -> None:
    alice_root, bob_root = team.clone("alice"), team.clone("bob")
    who = people(alice_root)
    assert GitStore(alice_root, "origin").publish(who["alice"], [result("alice", T0)]).shared
    assert GitStore(bob_root, "origin").publish(who["bob"], [result("bob", T0, failing=True)]).shared
    reader_root = team.clone("reader")
    reader = GitStore(reader_root, "origin")
    tracking = "refs/oncall/remotes/origin/readiness"

    assert reader.fetch({"bob"}) is None
    assert sh(reader_root, "for-each-ref", "--format=%(refname)", tracking).split() == [f"{tracking}/bob"]
    assert set(reader.read({("alice", "primary"), ("bob", "primary")})) == {("bob", "primary")}

    assert reader.fetch() is None
    assert sh(reader_root, "for-each-ref", "--format=%(refname)", tracking).split() == [
        f"{tracking}/alice", f"{tracking}/bob"]
    for person in ("alice", "bob"):  # each tracking ref is the remote's commit
        assert sh(reader_root, "rev-parse", f"{tracking}/{person}") == sh(
            team.remote, "rev-parse", f"refs/oncall/readiness/{person}")

    # Bob's newer result arrives; Alice's ref is removed from the remote.
    assert GitStore(bob_root, "origin").publish(who["bob"], [result("bob", T0 + 60)]).shared
    sh(team.remote, "update-ref", "-d", "refs/oncall/readiness/alice")
    assert reader.fetch({"bob"}) is None
    assert sh(reader_root, "for-each-ref", "--format=%(refname)", tracking).split() == [f"{tracking}/bob"]
    latest = reader.read({("bob", "primary")})[("bob", "primary")]
    assert latest.checked_at == T0 + 60 and latest.failing == ()

    # Offline: a warning, and what was fetched before is still read.
    sh(reader_root, "remote", "set-url", "origin", str(team.base / "nowhere.git"))
    warning = reader.fetch({"bob"})
    assert warning is not None and "showing what was fetched before" in warning
    assert reader.read({("bob", "primary")})[("bob", "primary")].checked_at == T0 + 60


def test_fetch_failure_is_a_warning(team: Team) -> None:
    root = team.clone("reader")
    warning = GitStore(root, "nosuchremote").fetch()
    assert warning is not None and "nosuchremote" in warning


def test_not_a_repository(tmp_path: Path, git_home: Path) -> None:
    write_org(tmp_path / "org")
    alice = people(tmp_path / "org")["alice"]
    outcome = GitStore(tmp_path / "org", "origin").publish(alice, [result("alice", T0)])
    assert not outcome.shared and "git repository" in outcome.message
    assert GitStore(tmp_path / "org", "origin").read({("alice", "primary")}) == {}


def test_shared_folder(tmp_path: Path) -> None:
    alice = Person("alice", "Alice Park", "alice@example.com")
    missing = DirStore(tmp_path / "share")
    assert "does not exist" in (missing.fetch() or "")
    assert not missing.publish(alice, [result("alice", T0)]).shared
    (tmp_path / "share").mkdir()
    store = DirStore(tmp_path / "share")
    assert store.publish(alice, [result("alice", T0, failing=True)]).shared
    assert store.publish(alice, [result("alice", T0 + 60)]).shared
    got = store.read({("alice", "primary"), ("bob", "primary")})
    assert list(got) == [("alice", "primary")] and got[("alice", "primary")].checked_at == T0 + 60
    # A file that claims to be someone else's result is not taken for theirs.
    (tmp_path / "share" / "bob").mkdir()
    (tmp_path / "share" / "bob" / "primary.json").write_bytes(result("alice", T0).to_json())
    assert store.read({("bob", "primary")}) == {}


def test_result_round_trip_and_blob_ids(tmp_path: Path, git_home: Path) -> None:
    original = result("alice", T0, failing=True)
    assert SharedResult.from_json(original.to_json()) == original
    with pytest.raises(ValueError):
        SharedResult.from_json(b'{"person": "alice"}')
    data = b"name: x\nitems: []\n"
    (tmp_path / "f").write_bytes(data)
    sh(tmp_path, "init", "--quiet")
    assert blob_id(data) == sh(tmp_path, "hash-object", "f").strip()


def test_settings_from_oncall_yaml(tmp_path: Path) -> None:
    from oncall.model import ReadinessSettings

    def read(text: str) -> ReadinessSettings:
        write_org(tmp_path, settings=text)
        return load_org(tmp_path).settings.readiness

    assert read("notify: {}\n") == ReadinessSettings()
    assert read("readiness:\n  share: git\n  remote: team\n") == ReadinessSettings("git", "team")
    folder = read("readiness:\n  share: {dir: shared}\n")
    assert folder == ReadinessSettings("dir", "origin", tmp_path / "shared")
    assert isinstance(store_for(folder, tmp_path), DirStore)
    assert isinstance(store_for(ReadinessSettings("git"), tmp_path), GitStore)
    assert store_for(ReadinessSettings(), tmp_path) is None
    bad = read("readiness:\n  share: svn\n  remote: -x\n  extra: 1\n")
    found = {(p.severity, str(p)) for p in bad.problems}
    assert ("error", "oncall.yaml:2: share: in readiness must be `git` or `{dir: PATH}` (a folder everyone "
                     "can write)") in found
    assert any(s == "error" and m.startswith("oncall.yaml:3: remote:") for s, m in found)
    assert any(s == "warning" and m.startswith("oncall.yaml:4: unknown key 'extra'") for s, m in found)
    assert bad.share is None


def test_checklist_max_age(tmp_path: Path) -> None:
    write_org(tmp_path)
    assert str(load_org(tmp_path).checklists["primary"].max_age) == "7d"
