"""``oncall whoami`` and ``oncall config set|get``: who this machine acts as, and how to say so."""

from __future__ import annotations

import os
from enum import StrEnum
from typing import Annotated

import typer

from oncall.cli import output, render
from oncall.cli.app import command_group
from oncall.cli.context import identity, session
from oncall.cli.options import TableOrJson, TableOrJsonOption, complete_person
from oncall.errors import EXIT_NO, UsageError


def whoami(fmt: TableOrJsonOption = TableOrJson.table) -> None:
    """Who this machine acts as (whose readiness it records, shares and confirms), and how that was
    found: $ONCALL_PERSON, else me: in your config, else your git user.email. Exit 2 when unknown."""
    org = session().org()
    me = identity(org)
    if fmt is TableOrJson.json:
        output.print_json({"person": me.person.id, "name": me.person.name, "email": me.person.email,
                           "source": me.source})
        return
    output.write_text(f"{me.person.id} ({render.person(org, me.person.id)}), from {render.safe(me.source)}\n")


app = command_group("Your own settings ($XDG_CONFIG_HOME/oncall/config.yaml), such as who you are.")


class UserKey(StrEnum):
    me = "me"


@app.command("set")
def config_set(
    key: Annotated[UserKey, typer.Argument(help="The setting: me (your person id in people.yaml).")],
    value: Annotated[str, typer.Argument(help="Its value: for me, a person id or email.",
                                         autocompletion=complete_person)],
) -> None:
    """Write a setting into your own config file, keeping its other lines."""
    from oncall.identity import ENV_VAR, known, matches, set_user_value

    org = session().org()
    found = matches(org.people, value)
    if len(found) != 1:
        what = "is the email of several people" if found else "names nobody in people.yaml"
        raise UsageError(f"{value!r} {what}; write your person id (known: {known(org.people)})", argument="value")
    path = set_user_value(key.value, found[0].id)
    output.info(f"me: {found[0].id} in {path}")
    env = os.environ.get(ENV_VAR)
    if env and env.strip() and env.strip() != found[0].id:
        output.warning(f"{ENV_VAR}={env.strip()} is set and wins over me:; unset it to act as {found[0].id}")


@app.command("get")
def config_get(key: Annotated[UserKey, typer.Argument(help="The setting: me.")]) -> None:
    """Print a setting from your own config file; exit 1 when it is not set."""
    from oncall.identity import user_value

    value, _ = user_value(key.value)
    if value is None:
        raise typer.Exit(EXIT_NO)
    output.write_text(value + "\n")
