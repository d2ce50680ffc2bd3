"""``oncall secret set|delete|list``: the secrets checklists use, kept in the OS keyring."""

from __future__ import annotations

import getpass
import sys
from typing import Annotated

import typer

from oncall.cli import output, render
from oncall.cli.app import command_group
from oncall.cli.context import local_zone, now
from oncall.cli.options import TableOrJson, TableOrJsonOption
from oncall.cli.tables import Column, Table
from oncall.errors import NotFound, UsageError
from oncall.readiness import secrets

app = command_group("Keep checklist secrets in the OS keyring.")


@app.command("set")
def secret_set(
    name: Annotated[str, typer.Argument(help="The secret's name, as checklists write it (secret: NAME).")],
) -> None:
    """Store a secret in the OS keyring: prompts without echo, or reads stdin when it is not a terminal."""
    secrets.check_name(name)
    if sys.stdin is not None and sys.stdin.isatty():
        value = getpass.getpass(f"Value for {name} (not shown): ")
    else:
        value = sys.stdin.read() if sys.stdin is not None else ""
        value = value.rstrip("\r\n")
    if not value.strip():
        raise UsageError(f"no value given for {name!r}; type it at the prompt or pipe it on stdin")
    info = secrets.set_secret(name, value, at=now())
    output.info(f"stored {name} in {info.name} ({info.where})")
    if info.plaintext:
        output.warning(f"{info.name} keeps secrets unencrypted in {info.where}; anyone who can read that file "
                       "can read them. Prefer the Secret Service (gnome-keyring) or the macOS Keychain.")


@app.command("delete")
def secret_delete(name: Annotated[str, typer.Argument(help="The secret's name.")]) -> None:
    """Delete a secret from the OS keyring."""
    if not secrets.delete_secret(name):
        raise NotFound(f"no secret {name!r} in the keyring; `oncall secret list` shows the stored names")
    output.info(f"deleted {name}")


@app.command("list")
def secret_list(fmt: TableOrJsonOption = TableOrJson.table) -> None:
    """The names of stored secrets and where they are kept (never their values)."""
    stored = secrets.list_secrets()
    if fmt is TableOrJson.json:
        output.print_json([{"name": s.name, "where": s.where, "stored_at": render.json_time(s.stored_at)}
                           for s in stored])
        return
    if not stored:
        output.info("no secrets stored yet; `oncall secret set NAME` stores one")
        return
    tz = local_zone()
    table = Table([Column("NAME"), Column("STORED", drop=1), Column("WHERE", fold=True)], plain=True)
    for s in stored:
        table.add_row(render.safe(s.name), render.when(s.stored_at, tz) if s.stored_at else "", render.safe(s.where))
    table.print()
