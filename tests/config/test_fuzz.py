"""Random and mutated YAML never makes the loader raise anything but clean, located problems."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from oncall.config import codes, load
from oncall.config.loader import LoadResult
from oncall.config.marked import ALIAS_LIMIT, parse_text
from oncall.config.readfile import MAX_CONFIG_BYTES
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


# -- the classes of hostile input: alias bombs, out-of-range values, special files ---------------


def load_within(root: Path, seconds: float = 120) -> LoadResult:
    """``load(root)``, failing the test (instead of hanging the run) if it never returns."""
    out: list[LoadResult] = []
    worker = threading.Thread(target=lambda: out.append(load(root)), daemon=True)
    worker.start()
    worker.join(seconds)
    assert out, f"loading {root} did not finish (a FIFO read, an endless file, an alias expansion?)"
    return out[0]


def make_root(files: dict[str, str]) -> Path:
    root = Path(tempfile.mkdtemp())
    for name, text in {"schedules/people.yaml": PEOPLE, "schedules/payments.yaml": EXAMPLE,
                       "checklists/primary.yaml": CHECKLIST, **files}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def alias_chain(fanout: int, depth: int) -> tuple[str, int]:
    """YAML lines defining anchors a0..a<depth>, each a list of ``fanout`` aliases to the one
    before, and how many values the aliases add once expanded (beyond those written)."""
    lines = [f"  a0: &a0 [{', '.join(['x'] * fanout)}]"]
    for level in range(1, depth + 1):
        lines.append(f"  a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * fanout)}]")
    size, added = 1 + fanout, 0  # values in a<level>, expanded
    for _ in range(depth):
        added += fanout * size  # each of the next list's aliases repeats a whole a<level>
        size = 1 + fanout * size
    return "\n".join(lines) + "\n", added


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 12), st.integers(1, 9), st.sampled_from(["headers", "schedule"]))
@example(9, 4, "headers").via("just under the limit")
@example(10, 4, "schedule").via("just over it")
@example(3, 9, "headers").via("deep and narrow")
def test_alias_bombs_are_refused_at_their_line_and_small_aliases_work(fanout: int, depth: int, where: str) -> None:
    chain, added = alias_chain(fanout, depth)
    if where == "headers":
        files = {"checklists/primary.yaml": CHECKLIST + "  - id: bomb\n    check:\n      http: https://example.com\n"
                                            "      headers:\n" + chain.replace("  a", "        a")}
    else:
        files = {"schedules/payments.yaml": EXAMPLE + "x-anchors:\n" + chain}
    root = make_root(files)
    try:
        result = load_within(root)
    finally:
        shutil.rmtree(root)
    assert_clean(result.problems)
    bombs = [p for p in result.problems if "aliases here expand" in p.message]
    assert bool(bombs) == (added > ALIAS_LIMIT)
    if bombs:
        assert bombs[0].code == "syntax" and bombs[0].location is not None and bombs[0].location.line > 0


OUT_OF_RANGE = st.sampled_from([
    "0001-01-01", "0001-01-01T00:00", "9999-12-31", "9999-12-31T23:59", "1899-12-31T23:59Z", "2200-01-01",
    "2147483648h", "99999999999999999999d", "99999999w", "100000w", "600000000s", "[UTC]", "{a: 1}", "-1", "1e400",
    "99999999999999999999", "'0x10'", "!!binary AAAA", "*missing",
])
FIELDS = {
    "schedules/payments.yaml": ["timezone", "start", "every", "end", "from", "to", "offset", "skip_holidays"],
    "schedules/people.yaml": ["timezone", "from", "to", "country"],
    "checklists/primary.yaml": ["reviewed", "review_every", "timeout", "retries", "valid_for"],
}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data(), st.sampled_from(sorted(FIELDS)), OUT_OF_RANGE)
def test_out_of_range_values_are_located_errors(data: st.DataObject, target: str, value: str) -> None:
    text = {"schedules/payments.yaml": EXAMPLE, "schedules/people.yaml": PEOPLE,
            "checklists/primary.yaml": CHECKLIST}[target]
    keys = [k for k in FIELDS[target] if re.search(rf"^\s*-?\s*{k}:", text, re.M)]
    if not keys:
        return
    key = data.draw(st.sampled_from(keys))
    matches = list(re.finditer(rf"^(\s*-?\s*{key}:)[^\n#]*", text, re.M))
    chosen = data.draw(st.sampled_from(matches))
    line = text.count("\n", 0, chosen.start()) + 1
    root = make_root({target: text[:chosen.start()] + f"{chosen.group(1)} {value}" + text[chosen.end():]})
    try:
        result = load_within(root)
    finally:
        shutil.rmtree(root)
    assert_clean(result.problems)
    errors = [p for p in result.errors if p.location and p.location.file == target]
    assert errors, f"{key}: {value} was accepted"
    assert any(p.location and p.location.line == line for p in errors), [str(p) for p in errors]


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "too-large", "folder", "dangling"])
@pytest.mark.parametrize("target", ["schedules/payments.yaml", "schedules/people.yaml", "checklists/primary.yaml",
                                    "oncall.yaml"])
def test_special_files_are_refused_without_hanging(kind: str, target: str) -> None:
    root = make_root({})
    path = root / target
    path.unlink(missing_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "too-large":
        path.write_bytes(b"# " + b"x" * (MAX_CONFIG_BYTES + 1) + b"\n")
    elif kind == "folder":
        path.mkdir()
    else:
        path.symlink_to(root / "nowhere.yaml")
    try:
        result = load_within(root)
    finally:
        shutil.rmtree(root)
    assert_clean(result.problems)
    [problem] = [p for p in result.errors if p.location and p.location.file == target]
    assert problem.code == "file" and problem.location is not None and problem.location.line == 0
