"""``oncall site build`` as a user types it: the summary, JSON, defaults and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from freezegun import freeze_time
from site_helpers import ORG

from oncall.cli.app import run


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = run(["--root", str(ORG), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@freeze_time("2026-11-04T12:00:00Z")
def test_build_writes_the_site_and_says_what_it_did(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    code, stdout, _ = _run(["site", "build", str(out), "--from", "2026-11-02T00:00Z", "--to", "2026-11-09T00:00Z"],
                           capsys)
    assert code == 0
    assert stdout.splitlines()[0] == (f"{out}: 12 pages and 8 calendar feeds, shifts from "
                                      "2026-11-02T00:00:00+00:00 to 2026-11-09T00:00:00+00:00")
    assert stdout.splitlines()[1] == "readiness: not shown (oncall.yaml shares no readiness results)"
    assert stdout.splitlines()[-1] == f"open {out / 'index.html'}"
    assert (out / "index.html").is_file() and (out / "feeds" / "person-alice.ics").is_file()
    code, stdout, _ = _run(["site", "build", str(out), "--from", "2026-11-02T00:00Z", "--to", "2026-11-09T00:00Z"],
                           capsys)
    assert code == 0 and "nothing changed, no file rewritten" in stdout


@freeze_time("2026-10-30T15:00:00Z")
def test_json_summary_and_the_default_window(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, _ = _run(["site", "build", str(tmp_path), "--format", "json"], capsys)
    assert code == 0
    summary = json.loads(stdout)
    assert (summary["from"], summary["to"]) == ("2026-10-29T00:00:00+00:00", "2026-11-27T00:00:00+00:00")
    assert summary["pages"] == 12 and summary["feeds"] == 8 and summary["removed"] == []
    assert "index.html" in summary["written"] and "people/carol.html" in summary["written"]


def test_with_base_url_the_pages_link_the_served_feeds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = _run(["site", "build", str(tmp_path), "--base-url", "https://oncall.example.com/"], capsys)
    assert code == 0
    page = (tmp_path / "people" / "bob.html").read_text(encoding="utf-8")
    assert 'href="webcal://oncall.example.com/feeds/person-bob.ics"' in page


@pytest.mark.parametrize(("args", "message"), [
    (["--base-url", "oncall.example.com"], "--base-url: 'oncall.example.com' is not a web address"),
    (["--from", "2026-11-09", "--to", "2026-11-02"], "--to must be after --from"),
    (["--from", "next blursday"], "--from:"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                                          message: str) -> None:
    code, stdout, stderr = _run(["site", "build", str(tmp_path / "site"), *args], capsys)
    assert code == 2 and stdout == ""
    assert stderr.startswith("error: ") and message in stderr and len(stderr.strip().splitlines()) == 1
    assert not (tmp_path / "site").exists()


def test_a_file_in_the_way_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "site"
    target.write_text("not a folder", encoding="utf-8")
    code, _, stderr = _run(["site", "build", str(target)], capsys)
    assert code == 2 and "is a file; give a folder to build the site in" in stderr


def _board_json(tmp_path: Path) -> Path:
    """A board as `oncall ready status --format json` writes it (the board's own to_json)."""
    from datetime import UTC

    from oncall.readiness.board import NOT_READY, READY, Entry

    start = 1793372400 + 3600
    entries = [Entry("api", "alice", start, start + 86400, None, NOT_READY, start - 7200, ("vpn",), "failing: vpn"),
               Entry("nights", "bob", start - 1800, start + 3600, None, READY, start - 60, (), "every item passed")]
    path = tmp_path / "board.json"
    path.write_text(json.dumps([e.to_json(UTC) for e in entries]), encoding="utf-8")
    return path


def test_a_mistake_in_the_readiness_section_stops_the_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    root = tmp_path / "org"
    shutil.copytree(ORG, root)
    (root / "oncall.yaml").write_text("readiness:\n  share: svn\n", encoding="utf-8")
    code = run(["--root", str(root), "site", "build", str(tmp_path / "site")])
    stderr = capsys.readouterr().err
    assert code == 2 and "oncall.yaml:2: share: in readiness must be `git` or `{dir: PATH}`" in stderr
    assert not (tmp_path / "site").exists()
    board = _board_json(tmp_path)  # a board given is shown whatever the section says
    assert run(["--root", str(root), "site", "build", str(tmp_path / "site"), "--readiness", str(board)]) == 0
    assert "readiness: 2 shifts, 1 not ready, from board.json" in capsys.readouterr().out


def test_the_readiness_page_shows_the_board_given(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    board = _board_json(tmp_path)
    code, _, stderr = _run(["site", "build", str(tmp_path / "site"), "--readiness", str(board)], capsys)
    assert code == 0, stderr
    page = (tmp_path / "site" / "readiness.html").read_text(encoding="utf-8")
    assert "No shared readiness results" not in page
    assert page.index("Bob Okafor") < page.index("Alice Park")  # by shift start
    assert ">Not ready<" in page and "failing: vpn" in page and ">Ready<" in page


@pytest.mark.parametrize(("board", "message"), [
    ('{"shifts": []}', "expected a JSON list of shifts"),
    ("[1", "Expecting"),
    ('[{"schedule": "api", "person": "alice"}]', "shift 1: start is missing"),
    ('[{"schedule": "api", "person": "alice", "start": "2026-11-02T09:00", "end": "2026-11-03T09:00:00Z", '
     '"status": "ready"}]', "shift 1: start: '2026-11-02T09:00' has no UTC offset"),
    ('[{"schedule": "gone", "person": "alice", "start": "2026-11-02T09:00Z", "end": "2026-11-03T09:00Z", '
     '"status": "ready"}]', "shift 1: unknown schedule 'gone'"),
    ('[{"schedule": "api", "person": "alice", "start": "2026-11-02T09:00Z", "end": "2026-11-03T09:00Z", '
     '"status": "fine"}]', "status: 'fine' is not one of ready, not-ready"),
])
def test_a_board_that_is_not_the_boards_json_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                               board: str, message: str) -> None:
    path = tmp_path / "board.json"
    path.write_text(board, encoding="utf-8")
    code, _, stderr = _run(["site", "build", str(tmp_path / "site"), "--readiness", str(path)], capsys)
    assert code == 2 and message in stderr and "oncall ready status --format json" in stderr
    assert len(stderr.strip().splitlines()) == 1
    assert not (tmp_path / "site").exists()
