"""``oncall init`` scaffolds a valid root without overwriting; ``oncall schema`` describes the files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from oncall.config.marked import read_marked
from oncall.config.schema import json_schema
from oncall.errors import EXIT_OK, EXIT_USAGE
from tests.cli.cli_runner import run_oncall

REPO = Path(__file__).resolve().parents[2]
KINDS = ("people", "schedule", "checklist")


def test_init_creates_a_root_that_validates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "oncall-config"
    result = run_oncall(["init", str(target)], capsys)
    assert result.code == EXIT_OK
    created = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())
    assert created == ["checklists/primary.yaml", "schedules/people.yaml", "schedules/primary.yaml",
                       "schema/checklist.json", "schema/people.json", "schema/schedule.json"]
    assert all(f"created {target / name}" in result.out for name in created)
    for name, kind in (("schedules/people.yaml", "people"), ("schedules/primary.yaml", "schedule"),
                       ("checklists/primary.yaml", "checklist")):
        first = (target / name).read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema=../schema/{kind}.json"
        assert json.loads((target / "schema" / f"{kind}.json").read_text(encoding="utf-8")) == json_schema(kind)
    check = run_oncall(["--root", str(target), "schedule", "validate", "--strict"], capsys)
    assert (check.code, check.err) == (EXIT_OK, "")
    assert check.out.startswith("ok: 1 schedule, 3 people, 1 checklist in ")
    whois = run_oncall(["--root", str(target), "whois", "--format", "json"], capsys)
    assert whois.code == EXIT_OK, whois.err
    assert json.loads(whois.out)[0]["person"] in ("alice", "bob", "carol")


def test_init_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "schedules").mkdir()
    mine = tmp_path / "schedules" / "people.yaml"
    mine.write_text("people: {me: {}}\n", encoding="utf-8")
    result = run_oncall(["init", str(tmp_path)], capsys)
    assert result.code == EXIT_USAGE
    assert "already exist" in result.err and str(mine) in result.err
    assert mine.read_text(encoding="utf-8") == "people: {me: {}}\n"
    assert not (tmp_path / "schedules" / "primary.yaml").exists()


def test_init_defaults_to_the_current_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_oncall(["init"], capsys, cwd=tmp_path)
    assert result.code == EXIT_OK
    assert (tmp_path / "schedules" / "primary.yaml").is_file()


@pytest.mark.parametrize("kind", KINDS)
def test_schema_prints_json_schema(kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_oncall(["schema", kind], capsys)
    assert result.code == EXIT_OK
    schema = json.loads(result.out)
    assert schema == json_schema(kind)
    assert schema["$schema"].startswith("https://json-schema.org/") and schema["type"] == "object"


def test_schema_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "schedule.json"
    result = run_oncall(["schema", "schedule", "--output", str(out)], capsys)
    assert result.code == EXIT_OK and result.out == ""
    assert json.loads(out.read_text(encoding="utf-8"))["required"] == ["timezone", "layers"]


def test_schema_unknown_kind_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_oncall(["schema", "calendar"], capsys).code == EXIT_USAGE


@pytest.mark.parametrize("kind", KINDS)
def test_committed_schemas_are_current(kind: str) -> None:
    # The example files point editors at docs/schema/; regenerate with `oncall schema KIND -o ...`.
    committed = json.loads((REPO / "docs" / "schema" / f"{kind}.json").read_text(encoding="utf-8"))
    assert committed == json_schema(kind)


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value))


def _files() -> list[tuple[str, Path]]:
    out = [("people", REPO / "schedules" / "people.yaml")]
    out += [("schedule", p) for p in sorted((REPO / "schedules").glob("*.yaml")) if p.name != "people.yaml"]
    out += [("checklist", p) for p in sorted((REPO / "checklists").glob("*.yaml"))]
    out += [("schedule", REPO / "tests" / "data" / "base" / "schedules" / "primary.yaml")]
    return out


@pytest.mark.parametrize(("kind", "path"), _files(), ids=lambda v: getattr(v, "name", v))
def test_valid_files_satisfy_the_schema(kind: str, path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    data, _ = read_marked(path)
    jsonschema.validate(_plain(data), json_schema(kind))


@pytest.mark.parametrize(("case", "kind"), [("unknown_person", None), ("zero_duration", "schedule"),
                                            ("bad_window_time", "schedule"), ("missing_timezone", "schedule"),
                                            ("turn_in_minutes", "schedule"), ("bad_person_id", "people"),
                                            ("item_without_check", "checklist")])
def test_schema_flags_bad_files(case: str, kind: str | None) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    folder = REPO / "tests" / "data" / "bad" / case
    path = next(p for p in folder.rglob("*.yaml"))
    data, _ = read_marked(path)
    errors = list(jsonschema.Draft202012Validator(json_schema(kind or "schedule")).iter_errors(_plain(data)))
    # An unknown person is a reference the schema cannot see; everything else it flags.
    assert bool(errors) == (kind is not None)
