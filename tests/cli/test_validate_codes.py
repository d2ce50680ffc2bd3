"""``schedule validate``: every finding has a stable code; --strict, --allow CODE and oncall.yaml's
``validate: {allow: [...]}`` decide which warnings fail CI; time zones get a "did you mean" and
fixed offsets or old aliases a ``legacy-zone`` warning wherever a zone is read."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from freezegun import freeze_time

from oncall.config import codes
from oncall.errors import EXIT_NO, EXIT_OK, EXIT_USAGE
from tests.cli.cli_runner import run_oncall

DATA = Path(__file__).resolve().parents[1] / "data"
REPO = DATA.parents[1]
NOW = "2026-11-26 12:00:00"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    shutil.copytree(DATA / "base", root)
    return root


def _edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _validate(root: Path, capsys: pytest.CaptureFixture[str], *args: str):
    with freeze_time(NOW):
        return run_oncall(["--root", str(root), "schedule", "validate", *args], capsys)


def _report(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    return json.loads(_validate(root, capsys, "--format", "json", *args).out)


def _with_gap(root: Path) -> None:
    """Remove the weekly layer: only business hours are covered, a gap warning."""
    _edit(root, "schedules/primary.yaml",
          "  - name: weekly\n    people: [alice, bob, carol]\n    start: 2026-01-05T09:00\n    every: 1w\n", "")


# --- strict, allow ------------------------------------------------------------------------------


def test_strict_fails_on_a_warning_and_allow_lets_it_pass(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _with_gap(root)
    assert _validate(root, capsys).code == EXIT_OK
    strict = _validate(root, capsys, "--strict")
    assert strict.code == EXIT_NO
    assert re.search(r"^warning: schedules/primary\.yaml:5: .*coverage gap.* \[gap\]$", strict.err, re.M), strict.err
    allowed = _validate(root, capsys, "--strict", "--allow", "gap")
    assert allowed.code == EXIT_OK, allowed.err
    assert "[gap, allowed]" in allowed.err  # still shown
    assert "(1 warning, 1 allowed)" in allowed.out


def test_allow_is_repeatable_and_only_allows_its_own_code(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _with_gap(root)
    _edit(root, "schedules/primary.yaml", "    every: 1d\n", "    every: 1d\n    evrey: 2d\n")
    assert _validate(root, capsys, "--strict", "--allow", "gap").code == EXIT_NO  # unknown-key still fails
    assert _validate(root, capsys, "--strict", "--allow", "gap", "--allow", "unknown-key").code == EXIT_OK


def test_an_unknown_code_is_a_usage_error_listing_the_known_ones(root: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    result = _validate(root, capsys, "--allow", "gaps")
    assert result.code == EXIT_USAGE
    assert result.err.startswith("error: --allow: unknown code 'gaps' (did you mean 'gap'?); write one of the warning "
                                 "codes: ")
    assert all(code in result.err for code in codes.WARNINGS)
    assert "Traceback" not in result.err


def test_oncall_yaml_allows_codes(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _with_gap(root)
    (root / "oncall.yaml").write_text("validate:\n  allow: [gap]\n", encoding="utf-8")
    report = _report(root, capsys, "--strict")
    assert report["allowed"] == ["gap"]
    [gap] = [w for w in report["warnings"] if w["code"] == "gap"]
    assert gap["allowed"] is True
    assert _validate(root, capsys, "--strict").code == EXIT_OK
    # One code alone is a list of one.
    (root / "oncall.yaml").write_text("validate:\n  allow: gap\n", encoding="utf-8")
    assert _validate(root, capsys, "--strict").code == EXIT_OK


def test_oncall_yaml_without_the_allowance_still_fails(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _with_gap(root)
    (root / "oncall.yaml").write_text("validate:\n  allow: [stale-checklist]\n", encoding="utf-8")
    assert _validate(root, capsys, "--strict").code == EXIT_NO


def test_an_unknown_code_in_oncall_yaml_is_an_error_at_its_line(root: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    (root / "oncall.yaml").write_text("# settings\nvalidate:\n  allow: [gap, stale-checklists]\n", encoding="utf-8")
    result = _validate(root, capsys)
    assert result.code == EXIT_USAGE
    assert ("error: oncall.yaml:3: allow: 'stale-checklists' in validate is not a problem code; "
            "did you mean 'stale-checklist'?") in result.err


def test_errors_are_never_allowed(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(root, "schedules/primary.yaml", "every: 1w", "every: 0w")
    assert _validate(root, capsys, "--allow", "bad-value").code == EXIT_USAGE


def test_json_gives_every_finding_its_code_severity_file_line_and_message(
        root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _with_gap(root)
    _edit(root, "schedules/people.yaml", "    timezone: Europe/London", "    timezone: GB")
    report = _report(root, capsys)
    assert report["valid"] is True
    by_code = {w["code"]: w for w in report["warnings"]}
    assert set(by_code) == {"gap", "legacy-zone"}
    zone = by_code["legacy-zone"]
    assert {k: zone[k] for k in ("severity", "file", "line", "allowed")} == {
        "severity": "warning", "file": "schedules/people.yaml", "line": 10, "allowed": False}
    assert zone["message"].startswith("timezone: 'GB' is an old alias")
    assert all(w["code"] in codes.WARNINGS for w in report["warnings"])


# --- time zones ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("written", "expected"), [
    ("america/new_york", "(did you mean 'America/New_York'?)"),
    ("Eastern Standard Time", "(did you mean 'America/New_York'? 'Eastern Standard Time' is a Windows zone name)"),
    ("W. Europe Standard Time", "(did you mean 'Europe/Berlin'? 'W. Europe Standard Time' is a Windows zone name)"),
    ("BST", "(did you mean 'Europe/London'? 'BST' is an abbreviation, and abbreviations are ambiguous: that is its "
            "common meaning, it also stands for Asia/Dhaka)"),
    ("PST", "(did you mean 'America/Los_Angeles'? 'PST' is an abbreviation"),
    # Suggestions name places, never a fixed offset or an old alias.
    ("us/eastern", "(did you mean 'America/New_York'?)"),
    ("Asia/Calcuta", "(did you mean 'Asia/Kolkata'?)"),
    ("UTC+5", "(a UTC offset is no zone: write the zone of the place, which keeps its summer time, e.g. "
              "'Asia/Karachi')"),
    ("GMT+1", "e.g. 'Europe/Paris')"),
])
def test_a_wrong_zone_gets_what_it_probably_means(written: str, expected: str, root: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    _edit(root, "schedules/primary.yaml", "timezone: America/New_York", f"timezone: {written}")
    result = _validate(root, capsys)
    assert result.code == EXIT_USAGE
    [error] = [line for line in result.err.splitlines() if line.startswith("error: ")]
    assert error.startswith(f"error: schedules/primary.yaml:3: timezone: unknown timezone '{written}'")
    assert expected in error


@pytest.mark.parametrize(("written", "fragments"), [
    ("EST", ["'EST' is a fixed offset, UTC-05:00 all year", "America/New_York moves to EDT (UTC-04:00) in summer",
             "write America/New_York"]),
    ("Etc/GMT+5", ["'Etc/GMT+5' is a fixed offset, UTC-05:00 all year (Etc/GMT names count the other way)",
                   "EDT (UTC-04:00)", "write America/New_York"]),
    ("GMT", ["'GMT' is a fixed offset, UTC+00:00 all year", "Europe/London moves to BST (UTC+01:00) in summer",
             "write Europe/London, or UTC"]),
    ("US/Eastern", ["'US/Eastern' is an old alias", "write America/New_York (the same clock)"]),
])
def test_a_fixed_or_legacy_zone_is_a_warning_naming_the_place(written: str, fragments: list[str], root: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    _edit(root, "schedules/primary.yaml", "timezone: America/New_York", f"timezone: {written}")
    result = _validate(root, capsys, "--strict")
    assert result.code == EXIT_NO
    [warning] = [line for line in result.err.splitlines() if "legacy-zone" in line]
    assert warning.startswith("warning: schedules/primary.yaml:3: timezone: ")
    assert all(f in warning for f in fragments), warning
    assert warning.endswith("[legacy-zone]")


@pytest.mark.parametrize("name", ["America/New_York", "UTC", "Etc/UTC", "Asia/Kolkata", "Pacific/Honolulu"])
def test_a_place_zone_and_utc_are_no_legacy_zone(name: str, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(root, "schedules/primary.yaml", "timezone: America/New_York", f"timezone: {name}")
    result = _validate(root, capsys, "--strict")
    assert "legacy-zone" not in result.err
    assert result.code == EXIT_OK, result.err


def test_legacy_zones_are_found_wherever_a_zone_is_read(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(root, "schedules/people.yaml", "timezone: America/New_York", "timezone: US/Eastern")  # default, line 2
    _edit(root, "schedules/people.yaml", "    timezone: Asia/Kolkata", "    timezone: Asia/Calcutta")  # line 13
    _edit(root, "schedules/primary.yaml", "    every: 1w\n", "    every: 1w\n    timezone: EST\n")  # layer, line 10
    (root / "oncall.yaml").write_text(
        "notify:\n  channels:\n    ops:\n      type: slack\n      webhook_secret: hook\n      timezone: Etc/GMT-1\n",
        encoding="utf-8")
    found = sorted((w["file"], w["line"]) for w in _report(root, capsys)["warnings"] if w["code"] == "legacy-zone")
    assert found == [("oncall.yaml", 6), ("schedules/people.yaml", 2), ("schedules/people.yaml", 13),
                     ("schedules/primary.yaml", 10)]


def test_every_suggested_zone_exists() -> None:
    from oncall.config import zones
    from oncall.times import zone

    for name in [*zones.WINDOWS.values(), *zones.ALIASES.values(),
                 *(z for meanings in zones.ABBREVIATIONS.values() for z in meanings)]:
        zone(name)  # raises for a name that is no zone here
        assert zones.legacy_problem(name) is None, name


def test_the_codes_table_of_the_ci_guide_lists_every_code() -> None:
    text = (REPO / "docs" / "guides" / "ci.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| `([a-z-]+)` \|", text, re.M)
    assert sorted(listed) == sorted(codes.ALL)


# --- every warning code, end to end: a case that triggers it at its line, and a near miss -----

P = "schedules/primary.yaml"
SECONDARY = "name: Secondary\ntimezone: America/New_York\nlayers:\n  - name: weekly\n" \
            "    people: [bob, carol, alice]\n    start: 2026-01-05T09:00\n    every: 1w\n"
SEVEN = "    people: [alice, alice, alice, alice, alice, bob, carol]"  # from a Monday: bob Saturdays, carol Sundays
CASES = {
    # code: (edits that trigger it, the file and line it points at, edits of a near miss)
    "unknown-key": ([(P, "    every: 1w\n", "    every: 1w\n    evrey: 2w\n")], (P, 10),
                    [(P, "    every: 1w\n", "    every: 1w\n    end: 2030-01-07T09:00\n")]),
    "stale-checklist": ([("checklists/primary.yaml", "3650d", "30d")], ("checklists/primary.yaml", 3),
                        [("checklists/primary.yaml", "3650d", "90d")]),
    "legacy-zone": ([(P, "timezone: America/New_York", "timezone: US/Eastern")], (P, 3),
                    [(P, "timezone: America/New_York", "timezone: America/Detroit")]),
    "gap": ([(P, "    every: 1w\n", "    every: 1w\n    end: 2026-12-14T09:00\n")], (P, 5),
            [(P, "    every: 1w\n", "    every: 1w\n    end: 2027-01-04T09:00\n")]),
    "never-on-call": ([(P, "    people: [carol, alice]", SEVEN)], (P, 10),
                      [(P, "    people: [carol, alice]", SEVEN + "\n    advance: covered")]),
    "layer-covers-nothing": ([(P, "    every: 1d\n", "    every: 1d\n    end: 2026-01-10T09:00\n"),
                              (P, "start: 2026-01-05T09:00\n    every: 1d", "start: 2026-12-05T09:00\n    every: 1d"),
                              (P, "end: 2026-01-10T09:00", "end: 2026-12-06T09:00")], (P, 10),
                             [(P, "start: 2026-01-05T09:00\n    every: 1d", "start: 2026-12-05T09:00\n    every: 1d"),
                              (P, "    every: 1d\n", "    every: 1d\n    end: 2026-12-07T10:00\n")]),
    "no-time-on-call": ([(P, "from: 2026-12-24T09:00\n    to: 2026-12-26T09:00", "from: 2026-11-01T09:00\n    to: 2027-12-31T09:00"),
                         (P, "    people: [carol, alice]", "    people: [bob]")], (P, 6),
                        [(P, "    to: 2026-12-26T09:00", "    to: 2027-01-02T09:00")]),
    "double-booked": ([("schedules/secondary.yaml", None, SECONDARY)], ("schedules/secondary.yaml", 5),
                      [("schedules/secondary.yaml", None, "avoid: [primary]\n" + SECONDARY)]),
    "override-on-time-off": ([("schedules/people.yaml", "    timezone: Europe/London",
                               "    timezone: Europe/London\n    time_off:\n      - {from: 2026-12-24, to: 2026-12-25}")],
                             (P, 19),
                             [("schedules/people.yaml", "    timezone: Europe/London",
                               "    timezone: Europe/London\n    time_off:\n      - {from: 2026-12-27, to: 2026-12-28}")]),
    "replaces-not-on-call": ([(P, "    to: 2026-12-26T09:00", "    to: 2026-12-26T09:00\n    replaces: bob")], (P, 22),
                             [(P, "    to: 2026-12-26T09:00", "    to: 2026-12-26T09:00\n    replaces: carol")]),
    "nonexistent-handoff": ([(P, "    start: 2026-01-05T09:00\n    every: 1w", "    start: 2026-01-04T02:30\n    every: 1w")],
                            (P, 8),
                            [(P, "    start: 2026-01-05T09:00\n    every: 1w", "    start: 2026-01-04T03:30\n    every: 1w")]),
    "ambiguous-handoff": ([(P, "    start: 2026-01-05T09:00\n    every: 1w", "    start: 2026-01-04T01:30\n    every: 1w")],
                          (P, 8),
                          [(P, "    start: 2026-01-05T09:00\n    every: 1w", "    start: 2026-01-04T00:30\n    every: 1w")]),
    "elapsed-turns-with-windows": ([(P, "    every: 1d", "    every: 24h")], (P, 13), [(P, "    every: 1d", "    every: 2d")]),
}


def _apply(root: Path, edits: list[tuple[str, str | None, str]]) -> None:
    for relative, old, new in edits:
        if old is None:
            (root / relative).write_text(new, encoding="utf-8")
        else:
            _edit(root, relative, old, new)


def test_every_warning_code_has_a_case() -> None:
    assert sorted(CASES) == sorted(codes.WARNINGS)


@pytest.mark.parametrize("code", sorted(CASES))
def test_each_warning_code_triggers_at_its_line(code: str, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edits, (file, line), _ = CASES[code]
    _apply(root, edits)
    report = _report(root, capsys)
    assert report["valid"] is True, report["errors"]
    found = [(w["file"], w["line"]) for w in report["warnings"] if w["code"] == code]
    assert found == [(file, line)], report["warnings"]


@pytest.mark.parametrize("code", sorted(CASES))
def test_each_warning_code_has_a_near_miss(code: str, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, _, near = CASES[code]
    _apply(root, near)
    report = _report(root, capsys)
    assert report["valid"] is True, report["errors"]
    assert [w for w in report["warnings"] if w["code"] == code] == []
