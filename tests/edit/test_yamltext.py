"""Round-trip edits keep every comment and unrelated line byte-for-byte (golden files)."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest
import yaml

from oncall.edit.yamltext import (
    append_items,
    compose,
    content_end,
    find_key,
    line_after,
    refuse_unreadable,
    scalar,
)
from oncall.errors import ConfigError

GOLDEN = Path(__file__).parent / "golden"

OVERRIDE = [("person", "bob"), ("from", "2026-03-09T09:00"), ("to", "2026-03-16T09:00"), ("replaces", "alice")]
TIME_OFF = [("from", "2026-07-01"), ("to", "2026-07-14")]
SWAP = [
    [("person", "carol"), ("from", "2026-03-09T09:00"), ("to", "2026-03-16T09:00"), ("replaces", "bob")],
    [("person", "bob"), ("from", "2026-03-16T09:00"), ("to", "2026-03-23T09:00"), ("replaces", "carol")],
]

CASES = [
    # (input, output, key path, items)
    ("payments.yaml", "payments.override.yaml", ["overrides"], [OVERRIDE]),
    ("payments.yaml", "payments.swap.yaml", ["overrides"], SWAP),
    ("platform.yaml", "platform.override.yaml", ["overrides"], [OVERRIDE]),
    ("compact.yaml", "compact.override.yaml", ["overrides"], [OVERRIDE]),
    ("people.yaml", "people.alice.yaml", ["people", "alice", "time_off"], [TIME_OFF]),
    ("people.yaml", "people.bob.yaml", ["people", "bob", "time_off"], [TIME_OFF]),
    ("people.yaml", "people.carol.yaml", ["people", "carol", "time_off"], [TIME_OFF]),
]


@pytest.mark.parametrize(("source", "expected", "path", "items"), CASES, ids=[c[1] for c in CASES])
def test_edit_matches_golden_file(source: str, expected: str, path: list[str], items: list) -> None:
    old = (GOLDEN / source).read_text()
    new = append_items(old, path, items)
    if os.environ.get("ONCALL_UPDATE_GOLDEN"):
        (GOLDEN / expected).write_text(new)
    assert new == (GOLDEN / expected).read_text()


@pytest.mark.parametrize(("source", "expected", "path", "items"), CASES, ids=[c[1] for c in CASES])
def test_edit_only_adds_lines_or_replaces_the_key_line(source: str, expected: str, path: list[str],
                                                       items: list) -> None:
    old = (GOLDEN / source).read_text().splitlines(keepends=True)
    new = append_items("".join(old), path, items).splitlines(keepends=True)
    changed = [op for op in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes() if op[0] != "equal"]
    # Every old line survives byte-for-byte, except at most the one line holding the edited key.
    removed = sum(i2 - i1 for tag, i1, i2, _, _ in changed if tag in ("delete", "replace"))
    assert removed <= 1
    assert len(changed) == 1


def test_edited_data_is_the_old_data_plus_the_item() -> None:
    old = (GOLDEN / "payments.yaml").read_text()
    new = append_items(old, ["overrides"], [OVERRIDE])
    before, after = yaml.safe_load(old), yaml.safe_load(new)
    assert after["overrides"] == [*before["overrides"], {
        "person": "bob", "from": "2026-03-09T09:00", "to": "2026-03-16T09:00", "replaces": "alice"}]
    assert {k: v for k, v in after.items() if k != "overrides"} == {
        k: v for k, v in before.items() if k != "overrides"}


def test_file_without_final_newline_gets_one_before_the_new_key() -> None:
    new = append_items("name: x\ntimezone: UTC", ["overrides"], [[("person", "a"), ("from", "2026-01-01")]])
    assert new == "name: x\ntimezone: UTC\noverrides:\n  - person: a\n    from: 2026-01-01\n"


def test_bare_key_and_tilde_become_block_lists() -> None:
    item = [[("from", "2026-01-01"), ("to", "2026-01-02")]]
    assert append_items("time_off:\nname: x\n", ["time_off"], item) == (
        "time_off:\n  - from: 2026-01-01\n    to: 2026-01-02\nname: x\n")
    assert append_items("time_off: ~  # later\nname: x\n", ["time_off"], item) == (
        "time_off:  # later\n  - from: 2026-01-01\n    to: 2026-01-02\nname: x\n")


def test_values_that_yaml_would_misread_are_quoted() -> None:
    assert scalar("alice") == "alice"
    assert scalar("2026-01-05") == "2026-01-05"  # a date: the loader reads dates
    assert scalar("2026-01-05T09:00") == "2026-01-05T09:00"
    assert scalar("2026-01-05T09:00:30") == '"2026-01-05T09:00:30"'  # PyYAML would make a datetime
    assert scalar("no") == '"no"'
    assert scalar("17:00") == '"17:00"'  # base-60 integer in YAML 1.1
    assert scalar("a b: c") == '"a b: c"'
    assert scalar("Bob at a conference") == "Bob at a conference"
    assert scalar("see #ops") == '"see #ops"'
    assert scalar("trailing ") == '"trailing "'


def test_a_key_that_is_not_a_list_is_refused() -> None:
    with pytest.raises(ConfigError, match="overrides must be a list"):
        append_items("overrides: soon\n", ["overrides"], [OVERRIDE], file="s.yaml")


def test_a_missing_parent_is_refused_with_its_path() -> None:
    with pytest.raises(ConfigError, match="expected a mapping at people.zoe"):
        append_items((GOLDEN / "people.yaml").read_text(), ["people", "zoe", "time_off"], [TIME_OFF])


def test_unparsable_file_is_refused() -> None:
    with pytest.raises(ConfigError, match="cannot parse"):
        append_items("a: [1,\n", ["overrides"], [OVERRIDE], file="s.yaml")


def test_the_pieces_other_edits_build_on_find_a_value_and_the_line_after_it() -> None:
    from ruamel.yaml.nodes import MappingNode

    text = "people:\n  alice:\n    name: Alice   # the lead\n\n# end of the people\nteam: ops\n"
    root = compose(text, "people.yaml")
    assert isinstance(root, MappingNode)
    assert find_key(root, "nobody") is None
    found = find_key(root, "people")
    assert found is not None
    key, people = found
    assert text[key.start_mark.index:key.end_mark.index] == "people"
    # The mapping's own text ends after "Alice", not at the next key past the comments.
    end = content_end(people)
    assert text[:end].endswith("name: Alice")
    assert text[line_after(text, end):].startswith("\n# end of the people")
    assert compose("", "empty.yaml") is None


def test_text_the_reader_refuses_is_refused_before_it_is_walked() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(9))
    with pytest.raises(ConfigError) as caught:
        refuse_unreadable(bomb, "s.yaml")
    assert str(caught.value.location).startswith("s.yaml:")
    refuse_unreadable("overrides: []\n", "s.yaml")
    with pytest.raises(ConfigError, match="cannot parse the file to add people to it"):
        compose("people: [1,\n", "people.yaml", "add people to it")
