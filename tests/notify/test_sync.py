"""``notify run`` keeps Slack's user group and channel topic equal to who is on call now, calling
Slack only when that changed, across runs with an injected clock."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.notify.scenario import DAY, HANDOFF, PEOPLE, Team
from tests.notify.servers import Mailbox
from tests.notify.slackweb import TOKEN, SlackApi

ROUTE = """\
      slack_usergroup: S0ONCALL
      slack_topic:
        channel: C0TOPIC
        template: "on call: {person.slack_mention} until {end}"
"""


@pytest.fixture
def team(tmp_path: Path, slack_api: SlackApi, smtp_plain: Mailbox) -> Team:
    return Team(tmp_path / "root", slack_api, smtp_plain, route=ROUTE)


def updates(report: object) -> list[tuple[str, str | None]]:
    return [(o.message.kind, o.message.value) for o in report.outcomes if o.message.is_update]  # type: ignore[attr-defined]


def test_group_and_topic_follow_the_schedule_and_slack_is_called_only_on_change(team: Team, slack_api: SlackApi) -> None:
    first = team.run(HANDOFF - 2 * DAY)
    assert updates(first) == [("usergroup", "U0ALICE"), ("topic", "on call: <@U0ALICE> until Mon 9 Mar 09:00 EDT")]
    assert slack_api.groups["S0ONCALL"] == ["U0ALICE"]
    assert slack_api.topics["C0TOPIC"] == "on call: <@U0ALICE> until Mon 9 Mar 09:00 EDT"
    calls = [c.method for c in slack_api.calls if c.method != "chat.postMessage"]
    assert calls == ["usergroups.users.update", "conversations.setTopic"]

    for minutes in (5, 10, 60):  # nothing changed: Slack is not called
        assert updates(team.run(HANDOFF - 2 * DAY + minutes * 60)) == []
    assert [c.method for c in slack_api.calls if c.method != "chat.postMessage"] == calls

    after = team.run(HANDOFF + 60)
    assert updates(after) == [("usergroup", "U0BOB"), ("topic", "on call: <@U0BOB> until Mon 16 Mar 09:00 EDT")]
    assert slack_api.groups["S0ONCALL"] == ["U0BOB"]
    assert updates(team.run(HANDOFF + 120)) == []

    # Someone set the group by hand meanwhile: it is set again only when the schedule changes it.
    slack_api.groups["S0ONCALL"] = ["U0SOMEONE"]
    assert updates(team.run(HANDOFF + 180)) == []
    assert updates(team.run(HANDOFF + 7 * DAY + 60))[0] == ("usergroup", "U0ALICE")


def test_someone_without_a_slack_id_is_left_out_with_a_warning_and_an_empty_group_is_not_sent(
    team: Team, slack_api: SlackApi
) -> None:
    (team.root / "schedules" / "people.yaml").write_text(PEOPLE.replace("    slack: U0BOB\n", ""))
    report = team.run(HANDOFF + 60)
    assert [kind for kind, _ in updates(report)] == ["topic"]  # bob's name, no mention
    assert slack_api.topics["C0TOPIC"] == "on call: Bob Okafor until Mon 16 Mar 09:00 EDT"
    assert "bob is on call in payments but has no slack id in people.yaml; user group S0ONCALL leaves them out" \
        in report.notes
    assert ("nobody on call now in payments has a slack id: user group S0ONCALL is left as it is (Slack refuses an "
            "empty group)") in report.notes
    assert slack_api.groups["S0ONCALL"] == ["U0OLD"]
    assert "usergroups.users.update" not in slack_api.methods()


def test_nobody_on_call_leaves_the_group_and_says_when_someone_is(team: Team, slack_api: SlackApi) -> None:
    team.append("schedules/payments.yaml", "    end: 2026-03-09T09:00\n")
    team.override("alice", "2026-03-12T09:00", "2026-03-13T09:00", "cover for the release")
    report = team.run(HANDOFF + 60)
    assert updates(report) == [("topic", "on call: nobody until Thu 12 Mar 09:00 EDT")]
    assert "nobody on call now in payments has a slack id: user group S0ONCALL is left as it is (Slack refuses an " \
        "empty group)" in report.notes
    assert slack_api.groups["S0ONCALL"] == ["U0OLD"]


def test_schedules_that_name_one_group_share_it(tmp_path: Path, slack_api: SlackApi, smtp_plain: Mailbox) -> None:
    from tests.notify.scenario import PAYMENTS, SECONDARY

    route = "      slack_usergroup: S0ONCALL\n    payments-secondary:\n      slack_usergroup: S0ONCALL\n"
    team = Team(tmp_path / "root", slack_api, smtp_plain, route=route,
                schedules={"payments": PAYMENTS, "payments-secondary": SECONDARY})
    report = team.run(HANDOFF - 2 * DAY)
    assert slack_api.groups["S0ONCALL"] == ["U0ALICE"]  # carol is the secondary: she has no slack id
    assert "carol is on call in payments-secondary but has no slack id in people.yaml; user group S0ONCALL " \
        "leaves them out" in report.notes
    team.run(HANDOFF + 60)  # bob primary, alice secondary
    assert slack_api.groups["S0ONCALL"] == ["U0ALICE", "U0BOB"]


def test_a_long_topic_is_cut_to_what_slack_takes(team: Team, slack_api: SlackApi) -> None:
    text = (team.root / "oncall.yaml").read_text().replace(
        'template: "on call: {person.slack_mention} until {end}"',
        'template: "on call: {person.slack_mention} until {end}. ' + "Escalate to the secondary. " * 12 + '"')
    (team.root / "oncall.yaml").write_text(text)
    report = team.run(HANDOFF + 60)
    topic = slack_api.topics["C0TOPIC"]
    assert len(topic) == 250 and topic.endswith("…") and topic.startswith("on call: <@U0BOB> until Mon 16 Mar")
    assert any(note.startswith("the topic for payments is 369 characters; Slack takes 250, so it is cut")
               for note in report.notes), report.notes


def test_an_update_slack_refuses_is_tried_again_next_run(team: Team, slack_api: SlackApi) -> None:
    slack_api.scopes.discard("usergroups:write")
    report = team.run(HANDOFF + 60)
    [failed] = report.failed
    assert failed.message.kind == "usergroup" and "usergroups:write" in str(failed.error)
    assert slack_api.topics["C0TOPIC"].startswith("on call: <@U0BOB>")  # the topic went ahead
    slack_api.scopes.add("usergroups:write")
    again = team.run(HANDOFF + 120)
    assert updates(again) == [("usergroup", "U0BOB")] and slack_api.groups["S0ONCALL"] == ["U0BOB"]


def test_the_state_keeps_what_was_set_and_never_the_token(team: Team, slack_api: SlackApi) -> None:
    team.run(HANDOFF + 60)
    [path] = [p for p in team.state.glob("*.json") if not p.name.endswith(".watched.json")]
    data = json.loads(path.read_text())
    assert data["slack"] == {"topic:C0TOPIC": "on call: <@U0BOB> until Mon 16 Mar 09:00 EDT",
                             "usergroup:S0ONCALL": "U0BOB"}
    assert TOKEN not in path.read_text() and "SECRETxBOT" not in path.read_text()


def test_dry_run_shows_the_updates_and_sets_nothing(team: Team, slack_api: SlackApi) -> None:
    report = team.run(HANDOFF + 60, dry_run=True)
    assert updates(report) == [("usergroup", "U0BOB"), ("topic", "on call: <@U0BOB> until Mon 16 Mar 09:00 EDT")]
    assert slack_api.calls == [] and not team.state.exists()
