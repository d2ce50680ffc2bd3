"""The line-marked YAML reader: YAML 1.1 traps removed, lines kept, same with and without libyaml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from oncall.config.marked import (
    MarkedLoader,
    MarkedMap,
    MarkedSeq,
    PureMarkedLoader,
    line_of,
    parse_text,
    read_marked,
)
from oncall.errors import ConfigErrors, Problem

LOADERS = [MarkedLoader, PureMarkedLoader]


def parse(text: str, loader: type[yaml.SafeLoader] = MarkedLoader) -> tuple[Any, list[Problem]]:
    problems: list[Problem] = []
    return parse_text(text, "f.yaml", problems, loader), problems


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("17:00", "17:00"),  # YAML 1.1: 1020
        ("9:30", "9:30"),
        ("24:00", "24:00"),
        ("no", "no"),
        ("on", "on"),
        ("yes", "yes"),
        ("off", "off"),
        ("Y", "Y"),
        ("2026-01-05", "2026-01-05"),  # YAML 1.1: a date
        ("2026-01-05 09:00:00", "2026-01-05 09:00:00"),  # YAML 1.1: a datetime
        ("0123", "0123"),  # YAML 1.1: octal 83
        ("0x1F", "0x1F"),
        ("1_000", "1_000"),
        ("true", True),
        ("False", False),
        ("42", 42),
        ("-7", -7),
        ("1.5", 1.5),
        ("~", None),
        ("null", None),
        ("'17:00'", "17:00"),
        ("'true'", "true"),
        ("!!str 42", "42"),
        ("!!int 42", 42),
    ],
)
def test_scalars_mean_what_they_say(loader: type[yaml.SafeLoader], text: str, expected: object) -> None:
    value, problems = parse(f"key: {text}\n", loader)
    assert problems == []
    assert value == {"key": expected}
    assert type(value["key"]) is type(expected)


@pytest.mark.parametrize("loader", LOADERS)
def test_keys_are_text_as_written(loader: type[yaml.SafeLoader]) -> None:
    value, problems = parse("on: 1\nno: 2\n123: 3\ntrue: 4\n", loader)
    assert problems == []
    assert list(value) == ["on", "no", "123", "true"]


def test_lines_of_keys_and_items() -> None:
    text = "a: 1\nb:\n  c: [x, y]\n  d:\n    - p\n    - q\n"
    value, _ = parse(text)
    assert isinstance(value, MarkedMap)
    assert line_of(value, "a") == 1
    assert line_of(value, "b") == 2
    assert line_of(value["b"], "c") == 3
    items = value["b"]["d"]
    assert isinstance(items, MarkedSeq)
    assert [line_of(items, 0), line_of(items, 1)] == [5, 6]
    assert line_of(value, "missing") == 1
    assert line_of({"plain": 1}, "plain") == 0


def test_duplicate_key_is_an_error_on_its_line() -> None:
    value, problems = parse("a: 1\nb: 2\na: 3\n")
    assert value == {"a": 1, "b": 2}
    assert [(p.location.line if p.location else 0, "duplicate key 'a'" in p.message) for p in problems] == [(3, True)]


def test_merge_keys_and_aliases() -> None:
    value, problems = parse("base: &b {x: 1, y: 2}\nthing:\n  <<: *b\n  y: 3\nagain: *b\n")
    assert problems == []
    assert value["thing"] == {"x": 1, "y": 3}
    assert value["again"] == {"x": 1, "y": 2}


def test_recursive_alias_is_reported_not_looped() -> None:
    _, problems = parse("a: &a [1, *a]\n")
    assert problems and "alias" in problems[0].message


def test_syntax_error_has_a_line() -> None:
    value, problems = parse("a: 1\nb: [1, 2\nc: 3\n")
    assert value is None
    assert len(problems) == 1
    assert problems[0].location is not None and problems[0].location.line >= 2
    assert "YAML syntax error" in problems[0].message


def test_deep_nesting_is_a_problem_not_a_crash() -> None:
    _, problems = parse("[" * 5000 + "]" * 5000)
    assert problems


def test_unknown_tag_is_reported() -> None:
    _, problems = parse("a: !!python/object:os.system x\n")
    assert problems and "tag" in problems[0].message


def test_read_marked(tmp_path: Path) -> None:
    path = tmp_path / "oncall.yaml"
    path.write_text("notify:\n  slack:\n    channel: '#ops'\n", encoding="utf-8")
    data, lines = read_marked(path, "oncall.yaml")
    assert data["notify"]["slack"]["channel"] == "#ops"
    assert str(lines.at(data["notify"]["slack"], "channel")) == "oncall.yaml:3"


def test_read_marked_raises_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "oncall.yaml"
    path.write_text("a: 1\na: 2\nb: 1\nb: 2\n", encoding="utf-8")
    with pytest.raises(ConfigErrors) as caught:
        read_marked(path, "oncall.yaml")
    assert [str(p.location) for p in caught.value.problems] == ["oncall.yaml:2", "oncall.yaml:4"]


def test_c_loader_is_used_when_available() -> None:
    if not getattr(yaml, "__with_libyaml__", False):
        pytest.skip("PyYAML was built without libyaml")
    assert issubclass(MarkedLoader, yaml.CSafeLoader)
