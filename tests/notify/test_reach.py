"""How far a run asks the engine: every schedule only as far as most messages need (the longest
lead, the changes watched, the digest's week), and the few schedules whose messages look further
up to the horizon. The messages are those of a run given every schedule up to the horizon."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path

from oncall.model import Org, Shift
from oncall.notify import RunReport, run
from oncall.notify.run import LOOKAHEAD, LOOKBEHIND, RECENT, engine_shifts
from tests.notify.scenario import DAY, HANDOFF, SOLO, Team
from tests.notify.servers import Mailbox
from tests.notify.slackweb import SlackApi

T = HANDOFF - 5 * DAY  # Wed 4 Mar 2026 08:00 EST (13:00Z)

# One person, from tomorrow on and for ever: the 24 h reminder falls due at T + 4m.
FOREVER = """\
name: Forever
timezone: America/New_York
layers:
  - name: one
    people: [carol]
    start: 2026-03-05T08:04
    every: 1w
"""

# Nobody on call until Monday 30 March, 26 days ahead: its topic says when someone is.
LATER = """\
name: Later
timezone: America/New_York
layers:
  - name: weekly
    people: [alice, bob]
    start: 2026-03-30T09:00
    every: 1w
"""


def messages(report: RunReport) -> list[tuple[str, ...]]:
    return [(o.message.key, o.message.subject, *o.message.lines) for o in report.outcomes]


def test_a_run_asks_every_schedule_as_far_as_needed_and_the_few_that_look_further_to_the_horizon(
        tmp_path: Path, slack_api: SlackApi, smtp_plain: Mailbox) -> None:
    team = Team(tmp_path / "root", slack_api, smtp_plain)
    team.run(T)
    for sid, text in (("forever", FOREVER), ("later", LATER), ("solo", SOLO)):
        (team.root / "schedules" / f"{sid}.yaml").write_text(text)
        team.append("oncall.yaml", f"    {sid}:\n      slack_topic: {{channel: C0{sid.upper()}}}\n")
    team.override("carol", "2026-03-14T09:00", "2026-03-24T09:00", "Bob away")  # runs past changes_within
    now = T + 300
    horizon = now + DAY + LOOKAHEAD  # the longest lead (24 h) and as far again as messages speak of

    asked: list[tuple[int, int, Collection[str] | None]] = []

    def recorded(org: Org, start: int, end: int, schedules: Collection[str] | None) -> Sequence[Shift]:
        asked.append((T - start, end - now, None if schedules is None else sorted(schedules)))
        return engine_shifts(org, start, end, schedules)

    def in_full(org: Org, start: int, end: int, schedules: Collection[str] | None) -> Sequence[Shift]:
        return engine_shifts(org, T - LOOKBEHIND, horizon, schedules)  # T: the last run, this one's window start

    org = team.org()
    narrow = run(org, now, team.state, team.sender(org), True, shifts=recorded, readiness=team.lookup)
    whole = run(org, now, team.state, team.sender(org), True, shifts=in_full, readiness=team.lookup)

    assert messages(narrow) == messages(whole)
    assert sorted(asked, key=str) == sorted([
        (RECENT, 14 * DAY, None),  # every schedule: the changes watched (changes_within, 14 days)
        (LOOKBEHIND, 14 * DAY, ["solo"]),  # no start found: asked from as far back as the rest
        (LOOKBEHIND, horizon - now, ["forever"]), (LOOKBEHIND, horizon - now, ["later"]),
        (LOOKBEHIND, horizon - now, ["payments"]), (LOOKBEHIND, horizon - now, ["solo"]),
    ], key=str)
    sent = {(o.message.kind, o.message.schedule, o.message.to): o.message for o in narrow.outcomes}
    reminder = sent["reminder", "forever", ("carol@example.com",)]
    assert reminder.lines[1] == "From Thu 5 Mar 2026 18:34 IST until at least Thu 9 Apr 2026 18:35 IST."  # Kolkata
    assert sent["topic", "later", ("C0LATER",)].value == "on call: nobody until Mon 30 Mar 09:00 EDT"
