"""``oncall notify run`` and ``oncall notify test``: reminders, handoffs, alerts, change notices and the
weekly digest, sent once each, and Slack's user groups and topics kept in step."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from oncall.cli import output, render
from oncall.cli.app import command_group
from oncall.cli.context import local_zone, now, session
from oncall.cli.options import TableOrJson, TableOrJsonOption, complete_channel, dry_run_option
from oncall.cli.tables import Column, Table
from oncall.errors import EXIT_NO, ConfigErrors

if TYPE_CHECKING:
    from oncall.model import Org
    from oncall.notify import NotifySettings, Outcome

app = command_group("Send shift reminders, handoffs, readiness alerts, change notices and a weekly digest.")

DryRunOption = Annotated[bool, dry_run_option("Print exactly what would be sent; send nothing, record nothing.")]


def _settings(org: Org) -> NotifySettings:
    from oncall.notify.settings import load_settings

    settings, problems = load_settings(org)
    for problem in problems:
        if problem.severity != "error":
            output.warning(str(problem))
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ConfigErrors(errors)
    return settings


@app.command("run")
def run(
    dry_run: DryRunOption = False,
    format: TableOrJsonOption = TableOrJson.table,
    state_dir: Annotated[
        Path | None,
        typer.Option("--state-dir", help="Where sent messages are recorded. Default: "
                     "$XDG_STATE_HOME/oncall/notify, else ~/.local/state/oncall/notify."),
    ] = None,
) -> None:
    """Send the reminders, handoffs, readiness alerts, change notices and digest due since the last
    run, each once, and set Slack's user groups and topics where who is on call changed.

    Meant for cron or a CI schedule. Exit 1 when a message could not be delivered (after retries);
    it is tried again on the next run.
    """
    from oncall.notify import ChannelSender, default_state_dir
    from oncall.notify import run as send_due

    org = session().org()
    settings = _settings(org)
    if not settings.channels:
        output.warning("oncall.yaml has no notify.channels, so there is nowhere to send; see `oncall notify --help`")
    report = send_due(org, now(), state_dir or default_state_dir(), ChannelSender(settings.channels),
                      dry_run, settings=settings)
    for note in report.notes:
        output.warning(note)
    if format is TableOrJson.json:
        output.print_json({
            "from": render.json_time(report.start),
            "to": render.json_time(report.end),
            "first_run": report.first_run,
            "dry_run": dry_run,
            "already_sent": report.already_sent,
            "messages": [_outcome_json(org, o) for o in report.outcomes],
        })
    elif dry_run:
        _print_messages(report.outcomes, settings)
    else:
        _print_table(report.outcomes)
    what = "would send" if dry_run else "sent"
    count = sum(1 for o in report.outcomes if o.status != "failed")
    first = " (first run: looked back only notify.lookback)" if report.first_run else ""
    viewer = local_zone()
    output.info(
        f"{what} {count}, failed {len(report.failed)}, already sent {report.already_sent}; "
        f"window {render.when(report.start, viewer)} to {render.when(report.end, viewer)}{first}"
    )
    _fail_if_any(report.outcomes)


@app.command("test")
def test(
    channel: Annotated[str | None, typer.Option("--channel", "-c", help="Only this channel. Default: every channel.",
                                                autocompletion=complete_channel)] = None,
    dry_run: DryRunOption = False,
    format: TableOrJsonOption = TableOrJson.table,
) -> None:
    """Send a clearly marked drill message through each channel, to prove the alert path works.

    Exit 1 when a channel could not be reached.
    """
    from oncall.notify import ChannelSender, drill

    org = session().org()
    settings = _settings(org)
    outcomes = drill(org, now(), ChannelSender(settings.channels), channel, dry_run, settings=settings)
    if format is TableOrJson.json:
        output.print_json([_outcome_json(org, o) for o in outcomes])
    elif dry_run:
        _print_messages(outcomes, settings)
    else:
        _print_table(outcomes)
    _fail_if_any(outcomes)


def _fail_if_any(outcomes: list[Outcome]) -> None:
    failed = [o for o in outcomes if o.status == "failed"]
    for o in failed:
        output.error(f"{o.message.channel}: {render.safe(o.message.subject)}: {o.error}")
    if failed:
        raise typer.Exit(EXIT_NO)


def _outcome_json(org: Org, o: Outcome) -> dict[str, Any]:
    m = o.message
    return {
        "status": o.status,
        "kind": m.kind,
        "schedule": m.schedule,
        "person": m.person,
        "channel": m.channel,
        "to": list(m.to),
        "subject": m.subject,
        "text": m.body,
        "due": render.json_time(m.due, org.schedules.get(m.schedule) if m.schedule else None),
        "key": m.key,
        "value": m.value,
        "error": o.error,
    }


def _print_table(outcomes: list[Outcome]) -> None:
    if not outcomes:
        return
    table = Table([Column("Status"), Column("Kind"), Column("Schedule", drop=1), Column("Channel"),
                   Column("To", fold=True, squeeze=1), Column("Subject", fold=True, squeeze=2)])
    for o in outcomes:
        m = o.message
        table.add_row(o.status, m.kind, m.schedule or "-", m.channel, render.safe(m.recipient), render.safe(m.subject),
                      style="bold red" if o.status == "failed" else None)
    table.print()


def _print_messages(outcomes: list[Outcome], settings: NotifySettings) -> None:
    """Each message as its channel would carry it: the email headers and body, the Slack text, or
    the Web API call with its arguments."""
    from oncall.notify.settings import SlackApiChannel, SlackChannel
    from oncall.notify.slackapi import call_for

    for o in outcomes:
        m = o.message
        channel = settings.channels[m.channel]
        output.write_text(f"--- {m.kind} via {m.channel} ({channel.kind})\n")
        if isinstance(channel, SlackChannel):
            output.write_text(render.safe_lines(m.slack_text()) + "\n\n")
        elif isinstance(channel, SlackApiChannel):
            call = call_for(m)
            args = [f"{key}={value}" for key, value in call.payload.items() if key != "text"]
            text = f"{call.method} {' '.join(args)}" + ("" if m.is_update else f"\n{m.slack_text()}")
            output.write_text(render.safe_lines(text) + "\n\n")
        else:
            output.write_text(render.safe_lines(f"From: {channel.sender}\nTo: {', '.join(m.to)}\n"
                                                f"Subject: {m.subject}\n\n{m.body}\n"))
