"""Shared values and helpers of the site's tests (fixtures are in conftest.py)."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from datetime import datetime
from pathlib import Path
from typing import Any

from oncall.site import default_window

REPO = Path(__file__).resolve().parents[2]
ORG = Path(__file__).parent / "org"


def instant(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp())


BUILT = instant("2026-10-30T15:00:00+00:00")  # a Friday; the window runs 29 Oct - 27 Nov
WINDOW = default_window(BUILT)
PHONE = (390, 844)
DESKTOP = (1280, 900)

# ``visit(url, tz=, at=, size=, javascript=)``: see the ``visit`` fixture.
Visit = Callable[..., Any]


def oncall_json(*args: str, root: Path = ORG) -> Any:
    """The JSON a user gets from ``oncall --root ROOT ARGS --format json`` (run in this process)."""
    from oncall.cli.app import run

    out, err = io.StringIO(), io.StringIO()
    saved = os.environ.get("ONCALL_NO_CACHE")
    os.environ["ONCALL_NO_CACHE"] = "1"  # leave the user's cache folder alone
    try:
        with redirect_stdout(out), redirect_stderr(err):
            code = run(["--root", str(root), *args, "--format", "json"])
    finally:
        if saved is None:
            del os.environ["ONCALL_NO_CACHE"]
        else:
            os.environ["ONCALL_NO_CACHE"] = saved
    assert code == 0, err.getvalue()
    return json.loads(out.getvalue())
