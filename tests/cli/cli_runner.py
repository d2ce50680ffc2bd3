"""Run the real ``oncall`` entry point in-process (argv, the one error handler, exit code)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from oncall.cli.app import main
from oncall.cli.context import state


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_oncall(args: list[str], capsys: pytest.CaptureFixture[str], cwd: Path | None = None) -> Run:
    """``oncall ARGS`` as a user would type it, with ``ONCALL_ROOT`` unset."""
    saved = (sys.argv, os.getcwd(), os.environ.pop("ONCALL_ROOT", None))
    state.root_option, state._org = None, None
    sys.argv = ["oncall", *args]
    try:
        if cwd is not None:
            os.chdir(cwd)
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv = saved[0]
        os.chdir(saved[1])
        if saved[2] is not None:
            os.environ["ONCALL_ROOT"] = saved[2]
        state.root_option, state._org = None, None
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)
