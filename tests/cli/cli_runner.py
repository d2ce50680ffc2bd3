"""Run the real ``oncall`` entry point in-process (argv, the one error handler, exit code)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from oncall.cli.app import run


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_oncall(args: list[str], capsys: pytest.CaptureFixture[str], cwd: Path | None = None) -> Run:
    """``oncall ARGS`` as a user would type it, with ``ONCALL_ROOT`` unset."""
    saved = (os.getcwd(), os.environ.pop("ONCALL_ROOT", None))
    try:
        if cwd is not None:
            os.chdir(cwd)
        code = run(args)
    finally:
        os.chdir(saved[0])
        if saved[1] is not None:
            os.environ["ONCALL_ROOT"] = saved[1]
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)
