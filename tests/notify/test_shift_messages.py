"""What messages about a shift carry and when they go: the override's reason, the secondary, the
playbook, the incoming person's own handoff message, and one readiness alert per stretch on call."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncall.notify import Readiness
from oncall.notify.messages import FailingItem
from oncall.notify.run import RunReport
from tests.notify.scenario import DAY, HANDOFF, PAYMENTS, SECONDARY, H, Team
from tests.notify.servers import Mailbox
from tests.notify.slackweb import SlackApi

FAILING = Readiness("primary", 1, (FailingItem("vpn", "VPN reaches the internal network"),), HANDOFF - 10 * H)


def not_ready(report: RunReport) -> list[tuple[str | None, int]]:
    return [(o.message.person, o.message.due) for o in report.outcomes if o.message.kind == "not-ready"]


@pytest.fixture
def team(tmp_path: Path, slack_api: SlackApi, smtp_plain: Mailbox) -> Team:
    return Team(tmp_path / "root", slack_api, smtp_plain)


def test_an_override_that_splits_a_week_brings_no_fresh_not_ready_alert(team: Team) -> None:
    team.readiness["bob"] = FAILING
    team.override("carol", "2026-03-11T09:00", "2026-03-12T09:00", "Bob at the dentist")
    before = team.run(HANDOFF - 6 * H)
    assert {p for p, _ in not_ready(before)} == {"bob"}  # before his week starts: yes
    for hours in range(0, 49, 6):  # Wed 09:00 EDT until bob is back on Thu, and after
        assert not_ready(team.run(HANDOFF + 2 * DAY + hours * H)) == [], hours
    # His next week starts after alice's whole week: a fresh start, a fresh alert.
    assert {p for p, _ in not_ready(team.run(HANDOFF + 14 * DAY - 6 * H))} == {"bob"}


def test_a_turn_after_someone_elses_turn_is_a_fresh_start(tmp_path: Path, slack_api: SlackApi,
                                                          smtp_plain: Mailbox) -> None:
    daily = PAYMENTS.replace("every: 1w", "every: 1d")  # alice, bob, alice, bob...
    team = Team(tmp_path / "root", slack_api, smtp_plain, extra="  ready_before: 2d\n",
                schedules={"payments": daily})
    team.readiness["alice"] = FAILING
    first = team.run(HANDOFF - 3 * H)  # alice's Tue 10 Mar turn is within 2 days; bob's Mon turn lies between
    assert not_ready(first) == [("alice", HANDOFF - 3 * H)] * 4  # the team's Slack and mail, her DM and mail


def test_a_break_longer_than_the_stretch_before_it_is_a_fresh_start(team: Team) -> None:
    team.readiness["bob"] = FAILING
    team.override("carol", "2026-03-10T09:00", "2026-03-15T09:00", "Bob on a course")  # bob: a day, 5 off, a day
    assert not_ready(team.run(HANDOFF + 6 * DAY - 6 * H)) == [("bob", HANDOFF + 6 * DAY - 6 * H)] * 4


def test_messages_name_the_override_reason_the_secondary_and_the_playbook(
    tmp_path: Path, slack_api: SlackApi, smtp_plain: Mailbox
) -> None:
    team = Team(tmp_path / "root", slack_api, smtp_plain,
                schedules={"payments": PAYMENTS, "payments-secondary": SECONDARY})
    team.override("carol", "2026-03-09T09:00", "2026-03-10T09:00", "swap with Bob for the release")
    report = team.run(HANDOFF + 60)
    handoffs = {o.message.to: o.message for o in report.outcomes if o.message.kind == "handoff"}
    team_mail = handoffs[("payments@example.com",)]
    assert team_mail.lines == (
        "Handoff now: Alice Park → Carol Diaz on Payments primary.",
        "Carol Diaz is on call until Tue 10 Mar 2026 09:00 EDT.",
        "Why: override: swap with Bob for the release.",
        "Secondary: Alice Park (Payments secondary).",  # the schedule that avoids payments
        "Checklist primary: not checked yet; run `oncall ready`",
        "Playbook: https://wiki.example.com/payments",
    )
    carol = handoffs[("carol@example.com",)]  # the incoming person hears it directly
    assert carol.subject == "[oncall] Payments primary: you are on call now"
    assert carol.lines[:2] == ("Carol Diaz, you are on call for Payments primary now (taking over from Alice Park).",
                               "Until Tue 10 Mar 2026 18:30 IST.")
    assert "Playbook: https://wiki.example.com/payments" in carol.lines


def test_the_secondary_named_in_oncall_yaml(tmp_path: Path, slack_api: SlackApi, smtp_plain: Mailbox) -> None:
    other = SECONDARY.replace("avoid: [payments]\n", "")
    team = Team(tmp_path / "root", slack_api, smtp_plain, route="      secondary: backup\n",
                schedules={"payments": PAYMENTS, "backup": other.replace("Payments secondary", "Backup")})
    report = team.run(HANDOFF + 60)
    [post] = [o.message for o in report.outcomes if o.message.schedule == "payments" and o.message.to == ("C0TEAM",)]
    assert "Secondary: Alice Park (Backup)." in post.lines


def test_the_incoming_person_gets_a_slack_dm_at_the_handoff(team: Team, slack_api: SlackApi) -> None:
    team.run(HANDOFF - 30 * 60)
    team.run(HANDOFF + 60)
    [dm] = [t for t in team.dms("U0BOB") if "you are on call now" in t]
    assert dm.startswith("*[oncall] Payments primary: you are on call now*\n"
                         "Bob Okafor, you are on call for Payments primary now (taking over from Alice Park).")
    [post] = [p["text"] for p in slack_api.posts if p["channel"] == "C0TEAM" and "handoff" in p["text"]]
    assert post.startswith("*[oncall] Payments primary: handoff Alice Park → Bob Okafor* <@U0BOB>")


def test_why_is_said_only_when_it_is_not_just_the_persons_turn(team: Team) -> None:
    plain = [o.message for o in team.run(HANDOFF + 60).outcomes if o.message.kind == "handoff"]
    assert len(plain) == 4  # bob's own turn: the team's Slack and mail, his DM and mail
    assert [line for m in plain for line in m.lines if line.startswith("Why")] == []
    people = team.root / "schedules" / "people.yaml"
    people.write_text(people.read_text().replace(
        "    slack: U0BOB\n", "    slack: U0BOB\n    time_off:\n      - {from: 2026-03-10, to: 2026-03-11}\n"))
    # Midnight in Berlin, where bob's days off begin: alice covers them.
    cover = [o.message for o in team.run(HANDOFF + 10 * H + 60).outcomes if o.message.kind == "handoff"]
    assert len(cover) == 4
    assert all([line for line in m.lines if line.startswith("Why")] == ["Why: covering Bob Okafor's time off."]
               for m in cover)


def test_a_stretch_begun_days_before_the_run_is_still_found_and_resumed(tmp_path: Path, slack_api: SlackApi,
                                                                        smtp_plain: Mailbox) -> None:
    fortnightly = PAYMENTS.replace("every: 1w", "every: 2w")  # alice from Mon 2 Mar 09:00 EST for two weeks
    team = Team(tmp_path / "root", slack_api, smtp_plain, schedules={"payments": fortnightly})
    team.readiness["alice"] = FAILING
    team.override("carol", "2026-03-06T09:00", "2026-03-09T09:00", "Alice away")  # alice: 4 days, 3 off, 5 days
    # The run sees alice back within a day; her stretch before the override began a week ago.
    assert not_ready(team.run(HANDOFF - 6 * H)) == []
