"""Config root discovery (docs/formats.md): --root, then ONCALL_ROOT, then the nearest parent with schedules/."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncall.config.root import find_root
from oncall.errors import EXIT_USAGE, RootNotFound


def root_at(path: Path) -> Path:
    (path / "schedules").mkdir(parents=True)
    return path


def test_option_wins_over_env_and_cwd(tmp_path: Path) -> None:
    a, b, c = root_at(tmp_path / "a"), root_at(tmp_path / "b"), root_at(tmp_path / "c")
    assert find_root(a, str(b), c) == a.resolve()


def test_env_wins_over_cwd(tmp_path: Path) -> None:
    b, c = root_at(tmp_path / "b"), root_at(tmp_path / "c")
    assert find_root(None, str(b), c) == b.resolve()


def test_empty_env_is_ignored(tmp_path: Path) -> None:
    c = root_at(tmp_path / "c")
    assert find_root(None, "", c) == c.resolve()


def test_nearest_parent_with_schedules(tmp_path: Path) -> None:
    outer = root_at(tmp_path / "outer")
    inner = root_at(outer / "team" / "inner")
    deep = inner / "x" / "y"
    deep.mkdir(parents=True)
    assert find_root(None, None, deep) == inner.resolve()
    assert find_root(None, None, outer / "team") == outer.resolve()


def test_relative_option_is_read_from_cwd(tmp_path: Path) -> None:
    root_at(tmp_path / "cfg")
    assert find_root(Path("cfg"), None, tmp_path) == (tmp_path / "cfg").resolve()


def test_not_found_names_where_it_looked(tmp_path: Path) -> None:
    deep = tmp_path / "x" / "y"
    deep.mkdir(parents=True)
    with pytest.raises(RootNotFound) as caught:
        find_root(None, None, deep)
    assert str(deep.resolve()) in str(caught.value)
    assert "--root" in str(caught.value) and "ONCALL_ROOT" in str(caught.value)
    assert caught.value.exit_code == EXIT_USAGE


@pytest.mark.parametrize("source", ["option", "env"])
def test_given_root_must_exist_and_hold_schedules(tmp_path: Path, source: str) -> None:
    for bad in (tmp_path / "missing", tmp_path):
        with pytest.raises(RootNotFound) as caught:
            find_root(bad if source == "option" else None, str(bad) if source == "env" else None, tmp_path)
        assert str(bad) in str(caught.value)
        assert ("--root" if source == "option" else "ONCALL_ROOT") in str(caught.value)
