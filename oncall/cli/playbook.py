"""``oncall playbook show|list``: the Markdown playbooks checklists link to."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Annotated

import typer

from oncall.cli import output, render
from oncall.cli.app import command_group
from oncall.cli.context import session
from oncall.errors import NotFound, UsageError

app = command_group("Read the playbooks checklists link to.")


def _folder() -> Path:
    return session().root() / "playbooks"


def _playbook_path(name: str) -> Path:
    folder = _folder()
    stem = name[:-3] if name.endswith(".md") else name
    stem = stem.removeprefix("playbooks/")
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", stem):
        raise UsageError(f"{name!r} is not a playbook name; write the file stem, e.g. incident-response")
    path = folder / f"{stem}.md"
    if not path.is_file():
        known = _known(folder)
        if not known:
            raise NotFound(f"no playbook playbooks/{stem}.md: {folder} holds no playbooks yet; "
                           f"write one as playbooks/{stem}.md (Markdown)")
        raise NotFound(f"no playbook playbooks/{stem}.md; the playbooks are: {', '.join(known)}")
    return path


def _known(folder: Path) -> list[str]:
    return sorted(p.stem for p in folder.glob("*.md")) if folder.is_dir() else []


@app.command("show")
def playbook_show(name: Annotated[str, typer.Argument(help="The playbook: a file stem under playbooks/.")]) -> None:
    """Render a Markdown playbook from playbooks/NAME.md (plain text when stdout is not a terminal)."""
    text = _playbook_path(name).read_text(encoding="utf-8")
    if sys.stdout.isatty():
        from rich.markdown import Markdown

        output.stdout().print(Markdown(render.safe_lines(text)))
    else:
        output.write_text(render.safe_lines(text if text.endswith("\n") else text + "\n"))


@app.command("list")
def playbook_list() -> None:
    """The playbooks under playbooks/, with their titles."""
    folder = _folder()
    if not _known(folder):
        output.info(f"no playbooks yet: {folder} holds no .md files; write one as playbooks/NAME.md (Markdown)")
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        heading = next((line.lstrip("# ").strip() for line in path.read_text(encoding="utf-8").splitlines()
                        if line.startswith("#")), "")
        output.write_text(f"{path.stem}\t{render.safe(heading)}\n")
