"""The weekly digest: who is on call each day of the coming week, the gaps and each person's
readiness, to the team channels, exactly once a week across runs with an injected clock."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncall.notify import Readiness
from oncall.notify.messages import FailingItem
from oncall.notify.run import RunReport
from tests.notify.scenario import DAY, HANDOFF, H, Team
from tests.notify.servers import Mailbox
from tests.notify.slackweb import SlackApi

DIGEST = '  digest: {day: mon, at: "08:00", timezone: Europe/London}\n'
MONDAY = HANDOFF - 5 * H  # Mon 9 Mar 2026 08:00 GMT


@pytest.fixture
def team(tmp_path: Path, slack_api: SlackApi, smtp_plain: Mailbox) -> Team:
    return Team(tmp_path / "root", slack_api, smtp_plain, extra=DIGEST)


def digests(report: RunReport) -> list[tuple[str, tuple[str, ...]]]:
    return [(o.message.channel, o.message.to) for o in report.outcomes if o.message.kind == "digest"]


def test_the_digest_goes_to_the_team_channels_once_a_week(team: Team, slack_api: SlackApi) -> None:
    team.readiness["bob"] = Readiness("primary", 1, (FailingItem("vpn", "VPN"),), MONDAY - DAY)
    first = team.run(MONDAY + 300)
    assert digests(first) == [("bot", ("C0TEAM",)), ("mail", ("payments@example.com",))]
    [message] = [o.message for o in first.outcomes if o.message.kind == "digest" and o.message.channel == "mail"]
    assert message.subject == "[oncall] On call the week of Mon 9 Mar 2026 (Europe/London)"
    assert list(message.lines) == [
        "On call the week of Mon 9 Mar 2026 (Europe/London).",
        "",
        "Payments primary (payments):",
        "  Mon 9 Mar: Alice Park until 13:00, Bob Okafor from 13:00",
        "  Tue 10 Mar: Bob Okafor",
        "  Wed 11 Mar: Bob Okafor",
        "  Thu 12 Mar: Bob Okafor",
        "  Fri 13 Mar: Bob Okafor",
        "  Sat 14 Mar: Bob Okafor",
        "  Sun 15 Mar: Bob Okafor",
        "  Gaps: none.",
        "  Readiness (checklist primary):",
        "  - Alice Park: not checked yet",
        "  - Bob Okafor: 1 of 1 failing (vpn) (checked Sun 8 Mar 2026 08:00 GMT)",
    ]
    assert "*[oncall] On call the week of Mon 9 Mar 2026 (Europe/London)*" in [
        p["text"].split("\n")[0] for p in slack_api.posts if p["channel"] == "C0TEAM"]

    later = [team.run(MONDAY + 600)] + [team.run(MONDAY + d * DAY + 300) for d in range(1, 7)]
    assert [digests(r) for r in later] == [[]] * 7  # the rest of the week: none
    next_week = team.run(MONDAY + 7 * DAY + 300)
    assert len(digests(next_week)) == 2
    [text] = [o.message.subject for o in next_week.outcomes if o.message.channel == "mail"
              and o.message.kind == "digest"]
    assert text.endswith("the week of Mon 16 Mar 2026 (Europe/London)")
    assert digests(team.run(MONDAY + 7 * DAY + 900)) == []


def test_gaps_are_listed_day_by_day_and_together(team: Team) -> None:
    team.append("schedules/payments.yaml", "    end: 2026-03-12T09:00\n")
    report = team.run(MONDAY + 60)
    [message] = [o.message for o in report.outcomes if o.message.kind == "digest" and o.message.channel == "mail"]
    assert message.lines[6:12] == (
        "  Thu 12 Mar: Bob Okafor until 13:00, nobody from 13:00 (gap)",
        "  Fri 13 Mar: nobody (gap)",
        "  Sat 14 Mar: nobody (gap)",
        "  Sun 15 Mar: nobody (gap)",
        "  Gaps: Thu 12 Mar 2026 13:00 GMT until Mon 16 Mar 2026 00:00 GMT.",
        "  Readiness (checklist primary):",
    )


def test_a_digest_missed_beyond_catch_up_is_not_sent_late(team: Team) -> None:
    team.run(MONDAY - DAY)
    assert digests(team.run(MONDAY + 2 * DAY)) == []  # two days without a run; catch_up is 1d
    assert digests(team.run(MONDAY - 60 + 7 * DAY)) == []
    assert len(digests(team.run(MONDAY + 60 + 7 * DAY))) == 2


def test_dry_run_shows_the_digest(team: Team, slack_api: SlackApi) -> None:
    report = team.run(MONDAY + 60, dry_run=True)
    assert digests(report) == [("bot", ("C0TEAM",)), ("mail", ("payments@example.com",))]
    assert slack_api.calls == []
