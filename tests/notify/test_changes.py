"""Change notices: each person hears once when a shift of theirs appears, moves or goes in the next
``changes_within``, with what it was, what it is and why, across runs with an injected clock and
edits to the schedule between them. A shift made at short notice gets its reminder at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncall.notify import Message
from oncall.notify.run import RunReport
from tests.notify.scenario import DAY, HANDOFF, SOLO, Team
from tests.notify.servers import Mailbox
from tests.notify.slackweb import SlackApi

T = HANDOFF - 5 * DAY  # Wed 4 Mar 2026 08:00 EST: alice is on call, bob's week starts on the 9th


@pytest.fixture
def team(tmp_path: Path, slack_api: SlackApi, smtp_plain: Mailbox) -> Team:
    return Team(tmp_path / "root", slack_api, smtp_plain)


def changes(report: RunReport) -> list[tuple[str | None, str, tuple[str, ...]]]:
    return [(o.message.person, o.message.channel, o.message.to) for o in report.outcomes
            if o.message.kind == "change"]


def body(report: RunReport, to: str) -> str:
    [message] = [o.message for o in report.outcomes if o.message.kind == "change" and o.message.to == (to,)]
    return message.body


def test_the_first_run_records_and_an_override_that_splits_a_week_is_told_once(team: Team) -> None:
    first = team.run(T)
    assert changes(first) == [] and first.first_run

    team.override("carol", "2026-03-11T09:00", "2026-03-12T09:00", "Bob at the dentist")
    second = team.run(T + 300)
    assert changes(second) == [
        ("bob", "bot", ("U0BOB",)), ("bob", "mail", ("bob@example.com",)),  # bob: a Slack DM and an email
        ("carol", "mail", ("carol@example.com",)),  # carol has no slack id
    ]
    assert all(o.status == "sent" for o in second.outcomes)
    assert body(second, "bob@example.com").splitlines() == [
        "Bob Okafor, your on-call shift moved for Payments primary.",
        "Was: Mon 9 Mar 2026 14:00 CET until Mon 16 Mar 2026 14:00 CET.",
        "Now: Mon 9 Mar 2026 14:00 CET until Wed 11 Mar 2026 14:00 CET; "
        "Thu 12 Mar 2026 14:00 CET until Mon 16 Mar 2026 14:00 CET.",
        "Why: Carol Diaz is on call then (override: Bob at the dentist).",
    ]
    assert body(second, "carol@example.com").splitlines() == [
        "Carol Diaz, you have a new on-call shift for Payments primary.",
        "Now: Wed 11 Mar 2026 18:30 IST until Thu 12 Mar 2026 18:30 IST.",
        "Why: override: Bob at the dentist.",
    ]
    assert team.mails_to("bob@example.com")[0][0] == "[oncall] Payments primary: your on-call shift moved"
    assert team.dms("U0BOB")[0].startswith("*[oncall] Payments primary: your on-call shift moved*\n")

    for minutes in (10, 60, 24 * 60):  # once per change
        assert changes(team.run(T + minutes * 60)) == []

    team.drop_overrides()
    back = team.run(T + DAY + 600)
    assert [(p, to) for p, _, to in changes(back)] == [
        ("bob", ("U0BOB",)), ("bob", ("bob@example.com",)), ("carol", ("carol@example.com",))]
    assert body(back, "carol@example.com").splitlines()[0] == \
        "Carol Diaz, your on-call shift was taken off for Payments primary."
    assert body(back, "carol@example.com").splitlines()[-2:] == [
        "Now: not on call then.", "Why: the override was removed (Bob Okafor is on call then)."]
    assert body(back, "bob@example.com").splitlines()[-1] == "Why: the override for Carol Diaz was removed."


def test_time_off_names_who_covers_and_whose_time_off_it_is(team: Team) -> None:
    team.run(T)
    people = team.root / "schedules" / "people.yaml"
    people.write_text(people.read_text().replace(
        "    slack: U0BOB\n", "    slack: U0BOB\n    time_off:\n      - {from: 2026-03-12, to: 2026-03-12}\n"))
    report = team.run(T + 300)
    assert [(p, to) for p, _, to in changes(report)] == [
        ("alice", ("U0ALICE",)), ("alice", ("alice@example.com",)), ("bob", ("U0BOB",)), ("bob", ("bob@example.com",))]
    assert body(report, "alice@example.com").splitlines()[1:] == [  # bob's day off, midnight to midnight in Berlin
        "Now: Wed 11 Mar 2026 19:00 EDT until Thu 12 Mar 2026 19:00 EDT.",
        "Why: covering Bob Okafor's time off.",
    ]
    assert body(report, "bob@example.com").splitlines()[-1] == \
        "Why: Alice Park is on call then (covering your time off)."


def test_a_rotation_change_landed_in_git_is_told_as_such(team: Team) -> None:
    team.run(T)
    path = team.root / "schedules" / "payments.yaml"
    path.write_text(path.read_text().replace("people: [alice, bob]", "people: [alice, carol]"))
    report = team.run(T + 300)
    assert sorted({p for p, _, _ in changes(report)}) == ["bob", "carol"]
    assert body(report, "carol@example.com").splitlines()[-1] == "Why: the rotation changed."
    assert body(report, "bob@example.com").splitlines()[-2:] == ["Now: not on call then.", "Why: the rotation changed."]


def test_changes_beyond_changes_within_wait_until_they_come_within(team: Team) -> None:
    team.run(T)
    team.override("carol", "2026-03-30T09:00", "2026-03-31T09:00")  # 26 days ahead
    assert changes(team.run(T + 300)) == []
    soon = team.run(T + 14 * DAY)  # now it is within 14 days: it is simply there, as if it always was
    assert changes(soon) == []


def test_a_notice_that_failed_is_told_on_the_next_run(team: Team, smtp_plain: Mailbox) -> None:
    team.run(T)
    team.override("carol", "2026-03-11T09:00", "2026-03-12T09:00")
    org = team.org()
    real = team.sender(org)

    class MailDown:
        def send(self, message: Message) -> None:
            if message.channel == "mail":
                from oncall.notify import DeliveryFailed

                raise DeliveryFailed("the relay is down")
            real.send(message)

    failing = team.run(T + 300, sender=MailDown())
    assert {o.message.person for o in failing.failed} == {"bob", "carol"}
    retry = team.run(T + 600)
    assert [(p, ch, o) for p, ch, o in changes(retry)] == [
        ("bob", "mail", ("bob@example.com",)), ("carol", "mail", ("carol@example.com",))]
    assert retry.already_sent == 1  # bob's Slack message went out the first time
    assert changes(team.run(T + 900)) == []


def test_an_override_made_within_the_lead_is_reminded_at_once(team: Team) -> None:
    start = HANDOFF + DAY  # Tue 10 Mar 09:00 EDT, bob on call
    team.run(start)
    team.override("carol", "2026-03-10T09:03", "2026-03-10T12:00", "Bob is stuck on a train")
    report = team.run(start + 60)
    reminders = [o.message for o in report.outcomes if o.message.kind == "reminder" and o.message.person == "carol"]
    assert [(m.channel, m.to) for m in reminders] == [
        ("bot", ("C0TEAM",)), ("mail", ("carol@example.com",)), ("mail", ("payments@example.com",))]
    direct = reminders[1]
    assert direct.subject == "[oncall] Payments primary: your on-call shift starts in 2m"
    assert direct.lines[:4] == (
        "Carol Diaz, your on-call shift for Payments primary starts in 2m.",
        "From Tue 10 Mar 2026 18:33 IST until Tue 10 Mar 2026 21:30 IST.",
        "Taking over from Bob Okafor.",
        "Why: override: Bob is stuck on a train.",
    )
    assert reminders[0].subject == "[oncall] Payments primary: Carol Diaz is on call in 2m"
    later = team.run(start + 120)
    assert [o.message.kind for o in later.outcomes] == []  # reminded once
    handoff = team.run(start + 240)
    assert sorted(o.message.kind for o in handoff.outcomes) == ["handoff"] * 3


def test_without_direct_channels_a_change_is_noted_not_lost_silently(
    tmp_path: Path, slack_api: SlackApi, smtp_plain: Mailbox
) -> None:
    team = Team(tmp_path / "root", slack_api, smtp_plain)
    path = team.root / "oncall.yaml"
    path.write_text(path.read_text().replace("  direct: [bot, mail]\n", ""))
    team.run(T)
    team.override("carol", "2026-03-11T09:00", "2026-03-12T09:00")
    report = team.run(T + 300)
    assert changes(report) == []
    assert "notify.direct names no channel, so change notices reach nobody; add e.g. direct: [mail]" in report.notes



def test_a_shift_begun_beyond_the_engines_reach_is_no_change_while_it_stays(team: Team) -> None:
    (team.root / "schedules" / "solo.yaml").write_text(SOLO)
    assert changes(team.run(T)) == []
    for minutes in (5, 60, 3 * 24 * 60):
        assert changes(team.run(T + minutes * 60)) == []
    watched = next(team.state.glob("*.watched.json")).read_text()
    assert '"solo": [\n    "- -' in watched  # neither end known: recorded as unknown, not as where it looked


def test_a_shift_begun_beyond_the_engines_reach_that_now_ends_is_told_without_a_made_up_start(team: Team) -> None:
    (team.root / "schedules" / "solo.yaml").write_text(SOLO)
    team.run(T)
    team.override("carol", "2026-03-11T09:00", "2026-03-12T09:00", "Bob at the dentist", schedule="solo")
    second = team.run(T + 300)
    assert [(p, to) for p, _, to in changes(second)] == [
        ("bob", ("U0BOB",)), ("bob", ("bob@example.com",)), ("carol", ("carol@example.com",))]
    assert body(second, "bob@example.com").splitlines()[1:] == [
        "Was: since long ago until further notice.",
        "Now: since long ago until Wed 11 Mar 2026 10:00 CET; Thu 12 Mar 2026 10:00 CET until further notice.",
        "Why: Carol Diaz is on call then (override: Bob at the dentist).",
    ]
