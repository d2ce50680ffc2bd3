"""Who this machine acts as: ONCALL_PERSON, then `me:` in the user's settings, then git's
user.email matched to people.yaml (real git, real files)."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncall.errors import ConfigErrors
from oncall.identity import IdentityError, identify, read_user_config, set_user_value, user_value, whoami
from oncall.model import Person
from tests.team.conftest import sh

PEOPLE = {
    "alice": Person("alice", "Alice Park", "alice@example.com"),
    "bob": Person("bob", "Bob Stone", "Bob@Example.com"),
    "bobby": Person("bobby", "Bobby Stone", "bob@example.com"),
}


def never() -> str | None:
    raise AssertionError("git was asked although an earlier source answered")


def test_sources_in_order() -> None:
    assert identify(PEOPLE, env="alice", me="bob", me_location=None, git_email=never).source == "ONCALL_PERSON"
    by_me = identify(PEOPLE, env=None, me="bob", me_location=None, git_email=never)
    assert by_me.person.id == "bob" and by_me.source.startswith("me: in ")
    by_git = identify(PEOPLE, env="", me=None, me_location=None, git_email=lambda: "ALICE@example.com")
    assert by_git.person.id == "alice" and by_git.source == "git user.email ALICE@example.com"
    assert identify(PEOPLE, env="alice@example.com", me=None, me_location=None, git_email=never).person.id == "alice"


def test_unknown_and_ambiguous_say_how_to_set_it() -> None:
    with pytest.raises(IdentityError, match=r"ONCALL_PERSON=zed names nobody.*known: alice, bob, bobby"):
        identify(PEOPLE, env="zed", me=None, me_location=None, git_email=never)
    with pytest.raises(IdentityError, match=r"me: zed names nobody.*oncall config set me ID"):
        identify(PEOPLE, env=None, me="zed", me_location=None, git_email=never)
    with pytest.raises(IdentityError, match=r"bob@example.com belongs to several people .*\(bob, bobby\).*config set me"):
        identify(PEOPLE, env=None, me=None, me_location=None, git_email=lambda: "bob@example.com")
    with pytest.raises(IdentityError, match=r"matches nobody in people.yaml; run `oncall config set me ID`"):
        identify(PEOPLE, env=None, me=None, me_location=None, git_email=lambda: "x@example.com")
    with pytest.raises(IdentityError, match=r"git has no user.email; run `oncall config set me ID` \(or set ONCALL_PERSON"):
        identify(PEOPLE, env=None, me=None, me_location=None, git_email=lambda: None)
    assert IdentityError("x").exit_code == 2


def test_user_settings_file_keeps_comments(tmp_path: Path) -> None:
    path = tmp_path / "oncall" / "config.yaml"
    assert user_value("me", path) == (None, None)
    set_user_value("me", "alice", path)
    assert path.read_text() == "me: alice\n"
    path.write_text("# mine\ncolour: blue\nme: alice   # old\n")
    set_user_value("me", "bob", path)
    assert path.read_text() == "# mine\ncolour: blue\nme: bob\n"
    value, where = user_value("me", path)
    assert value == "bob" and where is not None and where.line == 3
    set_user_value("me", "007", path)
    assert user_value("me", path)[0] == "007"


def test_malformed_settings_file_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("me: [alice\n")
    with pytest.raises(ConfigErrors) as caught:
        read_user_config(path)
    assert str(caught.value).startswith(f"{path}:")
    path.write_text("- alice\n")
    with pytest.raises(Exception, match="must be a mapping"):
        read_user_config(path)


def test_whoami_reads_settings_then_git(tmp_path: Path, git_home: Path) -> None:
    root = tmp_path / "org"
    root.mkdir()
    sh(root, "init", "--quiet")
    sh(root, "config", "user.email", "alice@example.com")
    assert whoami(PEOPLE, root, None).source == "git user.email alice@example.com"
    set_user_value("me", "bob")  # $XDG_CONFIG_HOME/oncall/config.yaml
    found = whoami(PEOPLE, root, None)
    assert found.person.id == "bob" and str(tmp_path / "config" / "oncall" / "config.yaml") in found.source
    assert whoami(PEOPLE, root, "bobby").person.id == "bobby"
    set_user_value("me", "nobody")
    with pytest.raises(IdentityError) as caught:
        whoami(PEOPLE, root, None)
    assert caught.value.location is not None and caught.value.location.line == 1
