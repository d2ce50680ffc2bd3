"""``oncall init`` and ``oncall schema``: starting a config root, and the JSON Schemas for editors."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from oncall.cli import output
from oncall.cli.context import now
from oncall.cli.options import OutputOption
from oncall.config.scaffold import scaffold
from oncall.config.schema import json_schema


class SchemaKind(StrEnum):
    people = "people"
    schedule = "schedule"
    checklist = "checklist"
    settings = "settings"


def init(
    directory: Annotated[Path, typer.Argument(help="Folder to create the config root in (default: here).")] = Path(),
) -> None:
    """Create a config root: a commented example schedule, people file and checklist that validate.

    Existing files are never overwritten.
    """
    created = scaffold(directory, datetime.fromtimestamp(now(), UTC).date())
    for path in created:
        output.write_text(f"created {path}\n")
    output.info(f"next: edit the files, then run `oncall --root {directory} schedule validate`")


def schema(
    kind: Annotated[SchemaKind, typer.Argument(help="Which file: people, schedule, checklist or settings (oncall.yaml).")],
    out: OutputOption = None,
) -> None:
    """Print the JSON Schema of a file kind, for editors (VS Code's YAML extension and others).

    Point a YAML file at it with a first line `# yaml-language-server: $schema=PATH`.
    """
    output.emit(json.dumps(json_schema(kind.value), indent=2) + "\n", out)
