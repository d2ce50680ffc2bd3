"""Random and mutated YAML never makes the loader raise anything but clean, located problems."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oncall.config import codes, load
from oncall.config.marked import parse_text
from oncall.errors import Problem

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = (REPO / "schedules" / "payments.yaml").read_text(encoding="utf-8")
PEOPLE = (REPO / "schedules" / "people.yaml").read_text(encoding="utf-8")
CHECKLIST = (REPO / "tests" / "data" / "base" / "checklists" / "primary.yaml").read_text(encoding="utf-8")

YAML_BITS = st.sampled_from([
    ":", "- ", "  ", "\n", "{", "}", "[", "]", ",", "&a ", "*a", "<<: ", "!!int ", "!!binary ", "'", '"', "#",
    "17:00", "no", "on", "~", "null", "2026-13-45", "24:00", "0d", "-1w", "people:", "layers:", "timezone:",
    "Mars/Olympus", "every:", "only:", "days:", "from:", "to:", "alice", "\t", "\x00", "\ufeff", "---", "...",
    "? ", "|", ">", "%YAML 1.1\n", "\u00e9",
])


def mutate(text: str, data: st.DataObject) -> str:
    for _ in range(data.draw(st.integers(1, 4))):
        where = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 12))
        insert = data.draw(st.lists(YAML_BITS, max_size=3).map("".join))
        text = text[:where] + insert + text[where + cut:]
    return text


def assert_clean(problems: list[Problem]) -> None:
    for problem in problems:
        assert isinstance(problem, Problem)
        assert problem.message and "\n" not in problem.message
        assert problem.severity in ("error", "warning")
        assert problem.code in codes.ALL, problem


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200) | st.lists(YAML_BITS, max_size=30).map("".join))
def test_random_text_parses_or_reports(text: str) -> None:
    problems: list[Problem] = []
    parse_text(text, "f.yaml", problems)
    assert_clean(problems)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data(), st.sampled_from(["schedule", "people", "checklist"]))
def test_mutated_config_files_load_or_report(data: st.DataObject, which: str) -> None:
    root = Path(tempfile.mkdtemp())
    try:
        (root / "schedules").mkdir()
        (root / "checklists").mkdir()
        files = {
            "schedules/people.yaml": PEOPLE,
            "schedules/payments.yaml": EXAMPLE.replace("checklist: primary", "checklist: primary  "),
            "checklists/primary.yaml": CHECKLIST,
        }
        target = {"schedule": "schedules/payments.yaml", "people": "schedules/people.yaml",
                  "checklist": "checklists/primary.yaml"}[which]
        files[target] = mutate(files[target], data)
        for name, text in files.items():
            (root / name).write_text(text, encoding="utf-8", errors="surrogatepass")
        result = load(root)
        assert_clean(result.problems)
        if result.org is None:
            assert any(p.severity == "error" for p in result.problems)
    finally:
        shutil.rmtree(root)
