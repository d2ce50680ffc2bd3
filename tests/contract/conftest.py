"""The contract tests: the ``oncall`` command as a user runs it, on small config roots written in
each test, with every expected answer worked out by hand.

``oncall`` runs in-process through its real entry point (argv, the one error handler, the exit
code), or as ``python -m oncall`` in a subprocess; both with a clean environment: no config root
from the outside, the machine's timezone given by ``TZ``, state, cache and keyring in temp folders.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from oncall.cli.app import run

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def write_root(folder: Path, files: dict[str, str]) -> Path:
    """A config root at ``folder``: ``schedules/`` and ``checklists/`` and the files given, by
    relative path (``{"schedules/people.yaml": "..."}``)."""
    (folder / "schedules").mkdir(parents=True, exist_ok=True)
    (folder / "checklists").mkdir(exist_ok=True)
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return folder


@dataclass
class Oncall:
    """Runs ``oncall`` in a clean environment rooted at ``home`` (a temp folder)."""

    home: Path
    monkeypatch: pytest.MonkeyPatch
    capsys: pytest.CaptureFixture[str]
    tz: str = "UTC"

    def env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("ONCALL_", "XDG_", "PYTHON_KEYRING", "NO_COLOR", "TZ"))}
        env.update(
            TZ=self.tz,
            NO_COLOR="1",
            XDG_CACHE_HOME=str(self.home / "cache"),
            XDG_STATE_HOME=str(self.home / "state"),
            XDG_DATA_HOME=str(self.home / "data"),
            XDG_CONFIG_HOME=str(self.home / "config"),
            PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring",
            ONCALL_PERSON="",
        )
        env.pop("ONCALL_PERSON")
        env.update(extra or {})
        return env

    def __call__(self, *args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> Result:
        """``oncall ARGS`` in this process."""
        wanted = self.env(env)
        for key in list(os.environ):
            if key not in wanted:
                self.monkeypatch.delenv(key)
        for key, value in wanted.items():
            self.monkeypatch.setenv(key, value)
        self.capsys.readouterr()
        here = os.getcwd()
        os.chdir(cwd or self.home)
        try:
            code = run(list(args))
        finally:
            os.chdir(here)
        captured = self.capsys.readouterr()
        return Result(code, captured.out, captured.err)

    def subprocess(self, *args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
                   stdin: str = "") -> Result:
        """``python -m oncall ARGS`` in a child process."""
        full = self.env(env)
        full["PYTHONPATH"] = str(REPO)
        done = subprocess.run([sys.executable, "-m", "oncall", *args], input=stdin, capture_output=True, text=True,
                              env=full, cwd=cwd or self.home, timeout=120)
        return Result(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def oncall(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Iterator[Oncall]:
    home = tmp_path / "home"
    home.mkdir()
    yield Oncall(home, monkeypatch, capsys)


def assert_one_error_line(result: Result, *fragments: str) -> str:
    """Bad input: exit 2, one ``error:`` line on stderr holding every fragment, nothing on stdout,
    no traceback. Returns the line."""
    assert result.code == 2, (result.code, result.out, result.err)
    assert "Traceback" not in result.text
    lines = [line for line in result.err.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error: ")]
    assert errors, result.err
    for fragment in fragments:
        assert any(fragment in line for line in errors), (fragment, result.err)
    return errors[0]


def utc(text: str | None) -> str | None:
    """An ISO datetime from the output, as the UTC instant ``YYYY-MM-DDTHH:MM:SSZ`` (None stays None)."""
    if text is None:
        return None
    moment = datetime.fromisoformat(text)
    assert moment.utcoffset() is not None, f"{text} carries no UTC offset"
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def generate(oncall: Oncall, root: Path, *args: str) -> dict[str, Any]:
    """``oncall schedule generate --format json ARGS`` on ``root``: its JSON object."""
    result = oncall("--root", str(root), "schedule", "generate", "--format", "json", *args)
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert isinstance(data, dict)
    return data


def shifts(oncall: Oncall, root: Path, *args: str) -> list[tuple[str, str, str, str]]:
    """The shifts of ``generate`` as (schedule, person, UTC start, UTC end)."""
    return [(s["schedule"], s["person"], utc(s["start"]), utc(s["end"]))  # type: ignore[misc]
            for s in generate(oncall, root, *args)["shifts"]]


def gaps(oncall: Oncall, root: Path, *args: str) -> list[tuple[str, str, str]]:
    """The gaps of ``generate`` as (schedule, UTC start, UTC end)."""
    return [(g["schedule"], utc(g["start"]), utc(g["end"]))  # type: ignore[misc]
            for g in generate(oncall, root, *args)["gaps"]]
