"""The README shows the two commands that work: install and ask `oncall whois now`; install the
test extra and run the suite (the command `.ci/run` runs)."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


def _shell_blocks() -> list[str]:
    return re.findall(r"```sh\n(.*?)```", README, re.S)


def test_readme_shows_the_two_commands():
    blocks = _shell_blocks()
    assert any("pip install -e ." in b and "oncall whois now" in b for b in blocks)
    assert any("pip install -e '.[test]'" in b and "pytest" in b for b in blocks)


def test_ci_runs_the_readmes_test_command():
    test_command = next(line for b in _shell_blocks() for line in b.splitlines() if "'.[test]'" in line)
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    quietened = [" ".join(w for w in line.split() if w != "-q") for line in ci.splitlines()]
    assert " ".join(test_command.split()) in quietened, ".ci/run must run the README's test command"


def test_readme_links_resolve():
    for target in re.findall(r"\]\((docs/[^)#]+)", README):
        assert (REPO / target).is_file(), f"README.md links to {target}, which does not exist"
