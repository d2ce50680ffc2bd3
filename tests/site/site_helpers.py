"""Shared values and helpers of the site's tests (fixtures are in conftest.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
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
    """The JSON a user gets from ``oncall --root ROOT ARGS --format json``."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "TZ": "UTC"}
    env.pop("ONCALL_ROOT", None)
    result = subprocess.run([sys.executable, "-m", "oncall", "--root", str(root), *args, "--format", "json"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
