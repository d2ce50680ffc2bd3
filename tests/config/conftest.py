from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

PEOPLE = """\
timezone: Europe/Berlin
people:
  alice: {name: Alice, email: alice@example.com, timezone: America/New_York}
  bob: {name: Bob}
  carol: {name: Carol, timezone: Asia/Kolkata}
"""

MakeRoot = Callable[..., Path]


@pytest.fixture
def make_root(tmp_path: Path) -> MakeRoot:
    """Write a config root: ``files`` maps a relative path to its (dedented) text."""

    def make(files: dict[str, str] | None = None, *, people: str | None = PEOPLE) -> Path:
        (tmp_path / "schedules").mkdir(exist_ok=True)
        if people is not None:
            (tmp_path / "schedules" / "people.yaml").write_text(people, encoding="utf-8")
        for name, text in (files or {}).items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return tmp_path

    return make
