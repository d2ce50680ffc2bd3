"""``oncall schedule validate``, ``oncall init`` and ``oncall schema``."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from oncall.cli import output
from oncall.cli.app import app, schedule_app
from oncall.cli.context import local_zone, now, state
from oncall.cli.output import TableOrJson
from oncall.errors import EXIT_NO, EXIT_OK, EXIT_USAGE, Problem
from oncall.times import from_epoch

LINT_DAYS = 28


class SchemaKind(StrEnum):
    people = "people"
    schedule = "schedule"
    checklist = "checklist"
    settings = "settings"


def _problem_json(problem: Problem) -> dict[str, Any]:
    location = problem.location
    return {
        "severity": problem.severity,
        "file": location.file if location else None,
        "line": location.line if location and location.line else None,
        "message": problem.message,
    }


def _practice_warnings(org: Any, at: int) -> list[Problem]:
    """The "legal but wrong" warnings: stale checklists and what the engine's lint finds in the
    next four weeks (coverage gaps, members who never get a turn, layers lost to windows)."""
    from oncall.config.review import stale_checklists
    from oncall.engine.lint import lint_org

    return stale_checklists(org, from_epoch(at, local_zone()).date()) + list(lint_org(org, at, LINT_DAYS))


@schedule_app.command("validate")
def validate(
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 when there are warnings (unknown keys, coverage gaps...).")
    ] = False,
    fmt: Annotated[
        TableOrJson, typer.Option("--format", "-f", help="table: messages on stderr; json: a report on stdout.")
    ] = TableOrJson.table,
) -> None:
    """Check every file under the config root and report every problem with file:line.

    Exit 0 when the files are valid, 2 on any error; warnings (unknown keys, coverage gaps in the
    next 28 days, rotation members who never get a turn, checklists past their review date) keep
    exit 0 unless --strict makes them exit 1.
    """
    from oncall.config import load

    root = state.root()
    result = load(root)
    problems = list(result.problems)
    if result.org is not None:
        problems += _practice_warnings(result.org, now())
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity != "error"]
    code = EXIT_USAGE if errors else (EXIT_NO if strict and warnings else EXIT_OK)
    if fmt is TableOrJson.json:
        org = result.org
        output.print_json({
            "root": str(root),
            "valid": not errors,
            "errors": [_problem_json(p) for p in errors],
            "warnings": [_problem_json(p) for p in warnings],
            "people": len(org.people) if org else None,
            "schedules": sorted(org.schedules) if org else None,
            "checklists": sorted(org.checklists) if org else None,
        })
    else:
        for problem in errors:
            output.error(str(problem))
        for problem in warnings:
            output.warning(str(problem))
        if result.org is not None and not errors:
            org = result.org
            output.write_text(
                f"ok: {len(org.schedules)} schedules, {len(org.people)} people, "
                f"{len(org.checklists)} checklists in {root}"
                + (f" ({len(warnings)} warning{'s' if len(warnings) != 1 else ''})" if warnings else "")
                + "\n"
            )
        else:
            output.info(f"{len(errors)} error{'s' if len(errors) != 1 else ''} in {root}")
    if code:
        raise typer.Exit(code)


@app.command("init")
def init(
    directory: Annotated[Path, typer.Argument(help="Folder to create the config root in (default: here).")] = Path(),
) -> None:
    """Create a config root: a commented example schedule, people file and checklist that validate.

    Existing files are never overwritten.
    """
    from datetime import UTC, datetime

    from oncall.config.scaffold import scaffold

    created = scaffold(directory, datetime.fromtimestamp(now(), UTC).date())
    for path in created:
        output.write_text(f"created {path}\n")
    output.info(f"next: edit the files, then run `oncall --root {directory} schedule validate`")


@app.command("schema")
def schema(
    kind: Annotated[SchemaKind, typer.Argument(help="Which file: people, schedule or checklist.")],
    out: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the JSON Schema to this file instead of stdout.")
    ] = None,
) -> None:
    """Print the JSON Schema of a file kind, for editors (VS Code's YAML extension and others).

    Point a YAML file at it with a first line `# yaml-language-server: $schema=PATH`.
    """
    from oncall.config.schema import json_schema

    output.emit(json.dumps(json_schema(kind.value), indent=2) + "\n", out)
