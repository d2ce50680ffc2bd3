"""``oncall notify run`` with a ``slack-api`` channel, end to end through the CLI against a local
stand-in for Slack's Web API: the user group and the topic follow who is on call now and are set
only when they change, messages go out with ``chat.postMessage``, a rate limit is waited for, any
other refusal is reported while everything else goes ahead, and the bot token is never shown."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.contract.conftest import Oncall, Result, write_root
from tests.notify.slackweb import TOKEN, SlackApi
from tests.notify.slackweb import slack_api as slack_api  # the fixture

PEOPLE = """\
people:
  alice: {name: Alice Park, email: alice@example.com, slack: U0ALICE}
  bob: {name: Bob Okafor, email: bob@example.com, slack: U0BOB}
  carol: {name: Carol Diaz, email: carol@example.com, slack: U0CAROL}
"""


def weekly(person: str, overrides: str = "") -> str:
    return (f"timezone: UTC\nlayers:\n  - people: [{person}]\n    start: 2020-01-06T09:00\n    every: 1w\n"
            f"{overrides}")


def settings(api: SlackApi, ops_group: str = "S0ONCALL", template: str = "on call: {person.slack_mention} until {end}") -> str:
    return f"""\
notify:
  remind_before: []
  team: [slackbot]
  direct: [slackbot]
  channels:
    slackbot:
      type: slack-api
      token_secret: slack-bot-token
      api_url: {api.url}
      to: C0TEAM
      timeout: 5s
  schedules:
    pay:
      channel: [slackbot]
      slack_usergroup: S0ONCALL
      slack_topic:
        channel: C0TOPIC
        template: "{template}"
    ops:
      channel: [slackbot]
      slack_usergroup: {ops_group}
"""


class Org:
    """pay: bob every week, and an override that made alice on call half an hour ago for a day;
    ops: carol every week. Both name the user group S0ONCALL."""

    def __init__(self, oncall: Oncall, tmp_path: Path, api: SlackApi, **options: Any) -> None:
        self.oncall, self.api = oncall, api
        self.start = (int(time.time()) - 30 * 60) // 60 * 60
        self.end = self.start + 86400
        override = f"overrides:\n  - person: alice\n    from: {iso(self.start)}\n    to: {iso(self.end)}\n"
        self.root = write_root(tmp_path / "root", {
            "schedules/people.yaml": PEOPLE, "schedules/pay.yaml": weekly("bob", override),
            "schedules/ops.yaml": weekly("carol"), "oncall.yaml": settings(api, **options),
        })
        stored = oncall.subprocess("--root", str(self.root), "secret", "set", "slack-bot-token", stdin=TOKEN + "\n")
        assert stored.code == 0, stored.err

    def run(self) -> tuple[Result, list[dict[str, Any]]]:
        result = self.oncall.subprocess("--root", str(self.root), "notify", "run", "--format", "json")
        assert "Traceback" not in result.err
        return result, json.loads(result.out)["messages"]

    def calls(self, method: str) -> list[dict[str, Any]]:
        return [c.args for c in self.api.calls if c.method == method]


def iso(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def until(epoch: int) -> str:
    """How a topic writes an instant of a UTC schedule: ``Mon 16 Mar 09:00 UTC``."""
    moment = datetime.fromtimestamp(epoch, UTC)
    return f"{moment:%a} {moment.day} {moment:%b %H:%M} UTC"


def assert_no_token(oncall: Oncall, *results: Result) -> None:
    for result in results:
        assert TOKEN not in result.out + result.err
    for path in (oncall.home / "state").rglob("*"):
        if path.is_file():
            assert TOKEN not in path.read_text(errors="replace"), path


def test_group_and_topic_are_set_to_who_is_on_call_now_and_only_when_that_changes(
        oncall: Oncall, tmp_path: Path, slack_api: SlackApi) -> None:
    org = Org(oncall, tmp_path, slack_api)
    first, messages = org.run()
    assert first.code == 0, first.err
    (update,) = org.calls("usergroups.users.update")
    assert update["usergroup"] == "S0ONCALL"
    assert sorted(update["users"].split(",")) == ["U0ALICE", "U0CAROL"]  # alice by override in pay, carol in ops
    assert org.calls("conversations.setTopic") == [{"channel": "C0TOPIC",
                                                     "topic": f"on call: <@U0ALICE> until {until(org.end)}"}]
    assert all(c.authorization == f"Bearer {TOKEN}" for c in slack_api.calls)
    assert {m["kind"] for m in messages if m["status"] == "sent"} >= {"usergroup", "topic"}

    second, _ = org.run()
    assert second.code == 0, second.err
    assert len(org.calls("usergroups.users.update")) == 1  # nothing changed: Slack is not called again
    assert len(org.calls("conversations.setTopic")) == 1
    assert_no_token(oncall, first, second)


def test_the_handoff_goes_out_with_chat_post_message_to_the_channel_and_the_person(
        oncall: Oncall, tmp_path: Path, slack_api: SlackApi) -> None:
    org = Org(oncall, tmp_path, slack_api)
    result, messages = org.run()
    assert result.code == 0, result.err
    handoffs = [m for m in messages if m["kind"] == "handoff"]
    assert handoffs and all(m["status"] == "sent" for m in handoffs)
    posts = org.calls("chat.postMessage")
    to = {p["channel"] for p in posts if "Alice Park" in p["text"]}
    assert {"C0TEAM", "U0ALICE"} <= to  # the channel's `to:`, and alice's own slack id
    assert_no_token(oncall, result)


def test_a_topic_is_at_most_250_characters(oncall: Oncall, tmp_path: Path, slack_api: SlackApi) -> None:
    org = Org(oncall, tmp_path, slack_api, template="{person.name} " + "x" * 300)
    result, _ = org.run()
    (topic,) = org.calls("conversations.setTopic")
    assert len(topic["topic"]) <= 250 and topic["topic"].startswith("Alice Park xxx")
    assert slack_api.topics["C0TOPIC"] == topic["topic"]
    assert "250" in result.err  # cut, with a warning


def test_ratelimited_is_waited_for_and_retried(oncall: Oncall, tmp_path: Path, slack_api: SlackApi) -> None:
    org = Org(oncall, tmp_path, slack_api)
    slack_api.script.append((429, {"Retry-After": "1"}, {"ok": False, "error": "ratelimited"}))
    result, messages = org.run()
    assert result.code == 0, result.err
    assert all(m["status"] == "sent" for m in messages)
    assert sorted(slack_api.groups["S0ONCALL"]) == ["U0ALICE", "U0CAROL"]
    assert slack_api.topics["C0TOPIC"].startswith("on call: <@U0ALICE>")
    first = slack_api.calls[0].method
    assert [c.method for c in slack_api.calls].count(first) == 2  # the refused call, made once more


def test_another_error_is_reported_with_what_to_do_and_the_rest_goes_ahead(
        oncall: Oncall, tmp_path: Path, slack_api: SlackApi) -> None:
    org = Org(oncall, tmp_path, slack_api, ops_group="S0GONE")  # a user group Slack does not have
    result, messages = org.run()
    assert result.code == 1  # a message could not be delivered
    failed = [m for m in messages if m["status"] == "failed"]
    assert [(m["kind"], m["to"]) for m in failed] == [("usergroup", ["S0GONE"])]
    (line,) = [line for line in result.err.splitlines() if line.startswith("error:")]
    assert "S0GONE" in line and "; check slack_usergroup in oncall.yaml" in line  # says what to do
    # the other group, the topic and the handoff messages still went ahead
    assert slack_api.groups["S0ONCALL"] == ["U0ALICE"]
    assert slack_api.topics["C0TOPIC"].startswith("on call: <@U0ALICE>")
    assert any(p["channel"] == "C0TEAM" for p in slack_api.posts)
    assert_no_token(oncall, result)
