"""`schedule generate --format json` and `--format csv` rows: made from cached pieces, the same
bytes as encoding each row on its own."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oncall import engine
from oncall.cli import render
from oncall.cli.app import app
from oncall.cli.output import EncodedItems, _json_pieces
from oncall.config import load_org
from oncall.model import Reason, Shift, reason_codes
from oncall.times import parse_time

# Names that JSON escapes and CSV quotes: quotes, a backslash, a comma, a newline, a tab, ESC,
# accents and an emoji.
PEOPLE = """\
people:
  ana: {name: "Ana \\"Nan\\" Lí, Jr.", timezone: America/New_York}
  ben: {name: "Ben\\\\Back\\tTab", timezone: Europe/London}
  cy: {name: "Cy \\x1b[31m\\nNewline 🚀", timezone: Asia/Kolkata}
"""
DESK = """\
name: "Desk, \\"front\\""
timezone: America/New_York
layers:
  - name: weekly
    people: [ana, ben, cy]
    start: 2026-01-05T09:00
    every: 3d
  - name: days
    people: [cy, ben]
    start: 2026-01-05T09:00
    every: 1d
    only:
      - {from: "09:00", to: "17:00"}
overrides:
  - {person: ana, from: 2026-03-10T09:00, to: 2026-03-11T12:00, reason: "swap, \\"agreed\\""}
"""
NIGHTS = """\
name: Nights ünd Tage
timezone: Asia/Kolkata
layers:
  - name: nights
    people: [ben, cy]
    start: 2026-01-05T00:00
    every: 1d
    only:
      - {from: "22:00", to: "06:00"}
"""
FROM, TO = "2026-03-01T00:00:00Z", "2026-03-29T00:00:00Z"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "schedules").mkdir()
    (tmp_path / "checklists").mkdir()
    (tmp_path / "schedules" / "people.yaml").write_text(PEOPLE)
    (tmp_path / "schedules" / "desk.yaml").write_text(DESK)
    (tmp_path / "schedules" / "nights.yaml").write_text(NIGHTS)
    return tmp_path


def generate(root: Path, fmt: str) -> str:
    result = CliRunner().invoke(app, ["--root", str(root), "schedule", "generate", "--from", FROM, "--to", TO,
                                      "--format", fmt])
    assert result.exit_code == 0, result.output
    return result.stdout


def window() -> tuple[int, int]:
    return parse_time(FROM).instant(UTC), parse_time(TO).instant(UTC)


def test_a_shift_line_is_its_json_object_encoded(root: Path) -> None:
    org = load_org(root)
    shifts = engine.generate(org, *window()).shifts
    assert {s.person for s in shifts} == {"ana", "ben", "cy"} and len({s.reasons for s in shifts}) > 2
    # Shifts no engine makes: a person people.yaml does not know, no reasons, several reasons, and a
    # schedule that is gone (its times in UTC).
    odd = [Shift("desk", "zed", 1773000000, 1773003600),
           Shift("desk", "ana", 1773000000, 1773086400, (Reason("layer", "weekly"), Reason("cover", "weekly", "ben"))),
           Shift("gone", "cy", 1773000000, 1773003600, (Reason("override", note="x"),))]
    lines = render.shift_lines(org)  # given one schedule's shifts at a time
    by_schedule: dict[str, list[Shift]] = {}
    for shift in [*shifts, *odd]:
        by_schedule.setdefault(shift.schedule, []).append(shift)
    assert len(by_schedule) == 3
    for group in [*by_schedule.values(), *by_schedule.values()]:  # twice: the pieces cached the first time
        assert lines(group) == [json.dumps(render.shift_json(org, s), ensure_ascii=False) for s in group]
    assert lines([]) == []
    assert json.loads(lines([odd[2]])[0])["start"].endswith("+00:00")


def test_generate_json_is_each_row_encoded_on_its_own_line(root: Path) -> None:
    org = load_org(root)
    timeline = engine.generate(org, *window())
    assert timeline.shifts and timeline.gaps

    def listed(rows: list[dict[str, object]]) -> str:
        return "[\n" + ",\n".join(f"    {json.dumps(row, ensure_ascii=False)}" for row in rows) + "\n  ]"

    shifts = listed([render.shift_json(org, s) for s in timeline.shifts])
    gaps = listed([render.gap_json(org, g) for g in timeline.gaps])
    assert generate(root, "json") == f'{{\n  "shifts": {shifts},\n  "gaps": {gaps}\n}}\n'


def test_generate_csv_is_each_row_written_by_the_csv_module(root: Path) -> None:
    org = load_org(root)
    timeline = engine.generate(org, *window())
    assert timeline.shifts and timeline.gaps
    rows = [(s.schedule, s.start, s.person, s.end, reason_codes(s.reasons)) for s in timeline.shifts]
    rows += [(g.schedule, g.start, "", g.end, "gap") for g in timeline.gaps]
    expected = io.StringIO()
    writer = csv.writer(expected, lineterminator="\n")
    writer.writerow(["schedule", "person", "start", "end", "reason", "schedule_name", "person_name"])
    for sched_id, start, person, end, reason in sorted(rows, key=lambda r: (r[0], r[1])):
        sched = org.schedules[sched_id]
        writer.writerow([sched_id, person, render.json_time(start, sched), render.json_time(end, sched), reason,
                         sched.display, render.display_name(org, person or None) or ""])
    text = generate(root, "csv")
    assert text == expected.getvalue()
    read = list(csv.DictReader(io.StringIO(text)))
    assert {r["schedule_name"] for r in read} == {'Desk, "front"', "Nights ünd Tage"}
    assert "Cy \x1b[31m\nNewline 🚀" in {r["person_name"] for r in read}


@pytest.mark.parametrize("batches", [[["1", '{"a": "é"}'], [], ["[2, 3]"]], [[], []], []])
def test_encoded_items_are_laid_out_as_a_streamed_list(batches: list[list[str]]) -> None:
    items = [json.loads(item) for batch in batches for item in batch]
    doc = {"rows": EncodedItems(iter(batches)), "n": 1}
    text = "".join(_json_pieces(doc, "\n"))
    assert json.loads(text) == {"rows": items, "n": 1}
    assert text == "".join(_json_pieces({"rows": iter(items), "n": 1}, "\n"))
    # One piece per batch that has items, then the closing bracket, the comma and the rest.
    assert len(list(_json_pieces(EncodedItems(batches), "\n"))) == sum(1 for b in batches if b) + 1
