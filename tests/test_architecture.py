"""The shape docs/architecture.md describes: the core never imports typer or rich, and commands that must start
fast import neither icalendar nor keyring."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "oncall"
CLI_ONLY = {"typer", "rich", "click"}
HEAVY = ("icalendar", "keyring")


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _core_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "cli" not in p.relative_to(PACKAGE).parts)


@pytest.mark.parametrize("path", _core_files(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_core_does_not_import_cli_libraries(path: Path) -> None:
    roots = {name.split(".")[0] for name in _imported_modules(path)}
    assert not roots & CLI_ONLY, f"{path.relative_to(REPO)} imports {sorted(roots & CLI_ONLY)}; move it to oncall/cli/"


def _imports_at_startup(args: list[str], cwd: Path) -> set[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("ONCALL_ROOT", None)
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "oncall", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    modules = set()
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            modules.add(line.rsplit("|", 1)[1].strip())
    assert modules, "python -X importtime printed nothing"
    return modules


@pytest.mark.parametrize("args", [["--help"], ["schedule", "validate"]], ids=" ".join)
def test_fast_commands_skip_heavy_libraries(args: list[str]) -> None:
    modules = _imports_at_startup(args, REPO)
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY)
    assert heavy == [], f"oncall {' '.join(args)} imports {heavy}"


def test_the_repository_cites_only_its_own_docs() -> None:
    """Code, tests, benchmarks and docs cite docs/ pages, never a contract or style guide kept elsewhere."""
    import re

    # Spelled in pieces, so this file does not cite what it looks for.
    cited = re.compile("SPEC" + r"\s*\N{SECTION SIGN}|(SPEC|STYLE)\.md|\.\./" + "shared/")
    found = [f"{path.relative_to(REPO)}:{n}" for folder in ("oncall", "tests", "bench", "docs")
             for path in (REPO / folder).rglob("*") if path.suffix in (".py", ".md", ".yaml", ".sh", ".mjs")
             and "node_modules" not in path.parts and not path.is_symlink() and path.is_file()
             and path.stat().st_size < 1_000_000
             for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
             if cited.search(line)]
    assert found == []
