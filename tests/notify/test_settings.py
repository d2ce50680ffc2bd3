"""The ``notify:`` section of oncall.yaml: values, defaults, and located problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncall.config import load_org
from oncall.errors import ConfigErrors, Problem
from oncall.notify.settings import (
    EmailChannel,
    NotifySettings,
    SlackChannel,
    load_settings,
    settings_or_raise,
)
from tests.notify.servers import write_root

GOOD = """\
notify:
  remind_before: [1h, 24h]
  ready_before: 12h
  team: ops-slack
  direct: [mail]
  channels:
    ops-slack:
      type: slack
      webhook_secret: slack-ops
      timezone: Europe/London
    mail:
      type: email
      host: smtp.example.com
      sender: oncall@example.com
      username: oncall@example.com
      password_secret: smtp-oncall
      to: payments@example.com
  schedules:
    payments:
      channel: [mail]
      remind_before: 2h
      playbook: https://wiki.example.com/payments
calendar:
  anything: goes   # other features own other top-level keys
"""


def settings_of(tmp_path: Path, text: str) -> tuple[NotifySettings, list[Problem]]:
    return load_settings(load_org(write_root(tmp_path / "root", text)))


def test_a_complete_section(tmp_path: Path) -> None:
    settings, problems = settings_of(tmp_path, GOOD)
    assert problems == []
    assert settings.channels["ops-slack"] == SlackChannel("ops-slack", "slack-ops", "Europe/London")
    mail = settings.channels["mail"]
    assert isinstance(mail, EmailChannel)
    assert (mail.port, mail.security, mail.to) == (587, "starttls", ("payments@example.com",))
    assert settings.remind_before == (86400, 3600)  # largest first
    assert settings.readiness_horizon == 12 * 3600
    assert settings.team == ("ops-slack",) and settings.direct == ("mail",)
    assert settings.route("payments").channels == ("mail",)
    assert settings.leads("payments") == (7200,)
    assert settings.route("other").channels == ("ops-slack",)  # unlisted schedules use notify.team
    assert settings.leads("other") == (86400, 3600)


def test_an_empty_remind_before_means_no_reminders(tmp_path: Path) -> None:
    text = GOOD.replace("  remind_before: [1h, 24h]\n", "  remind_before: []\n")
    assert "remind_before: []" in text
    settings, problems = settings_of(tmp_path, text)
    assert problems == []
    assert settings.leads("other") == ()
    assert settings.leads("payments") == (7200,)  # a schedule's own leads still count


def test_no_notify_section_means_no_channels(tmp_path: Path) -> None:
    settings, problems = settings_of(tmp_path, "calendar: {}\n")
    assert problems == [] and dict(settings.channels) == {} and settings.lookback == 3600


def test_every_problem_is_reported_with_its_line(tmp_path: Path) -> None:
    text = """\
notify:
  remind_before: [24h, soon]
  team: [ops-slak]
  colour: blue
  channels:
    ops-slack:
      type: slack
    mail:
      type: email
      host: smtp.example.com
      port: 99999
      security: none
      sender: not-an-address
      username: oncall@example.com
      password_secret: smtp-oncall
    pager:
      type: pagerduty
  schedules:
    paymnts: {channel: mail}
"""
    _, problems = settings_of(tmp_path, text)
    found = [(p.severity, p.code, str(p)) for p in problems]
    assert ("warning", "unknown-key", "oncall.yaml:4: unknown key 'colour' in notify; known keys: channels, team, "
            "direct, schedules, remind_before, ready_before, lookback, catch_up, changes_within, digest") in found
    messages = "\n".join(s for _, _, s in found)
    assert "oncall.yaml:2: remind_before: 'soon' is not a duration" in messages
    assert ("oncall.yaml:3: unknown channel 'ops-slak' (not under notify.channels); did you mean 'ops-slack'?"
            in messages)
    assert ("oncall.yaml:7: channel 'ops-slack' needs `webhook_secret:` (the keyring entry holding the webhook URL; "
            "store it with `oncall secret set NAME`)") in messages
    assert "oncall.yaml:11: port 99999 must be a whole number from 1 to 65535" in messages
    assert ("oncall.yaml:12: security: none would send the password for 'oncall@example.com' unencrypted; "
            "write security: starttls (port 587) or tls (port 465)") in messages
    assert "oncall.yaml:13: sender 'not-an-address' is not an email address; write e.g. oncall@example.com" in messages
    assert "oncall.yaml:17: channel 'pager' needs type: slack, slack-api or email (got 'pagerduty')" in messages
    assert "oncall.yaml:19: unknown schedule 'paymnts' in notify.schedules; did you mean 'payments'?" in messages
    assert {code for _, code, _ in found} == {"unknown-key", "bad-value", "unknown-reference", "missing-key"}


def test_ca_file_is_read_relative_to_the_root(tmp_path: Path) -> None:
    text = GOOD.replace("      to: payments@example.com\n", "      to: payments@example.com\n      ca_file: certs/ca.pem\n")
    _, problems = settings_of(tmp_path, text)
    assert [str(p) for p in problems] == [
        "oncall.yaml:18: ca_file 'certs/ca.pem' does not exist; write the path of a PEM file (relative to the config root)"
    ]
    (tmp_path / "root" / "certs").mkdir()
    (tmp_path / "root" / "certs" / "ca.pem").write_text("-")
    settings, problems = settings_of(tmp_path, text)
    mail = settings.channels["mail"]
    assert problems == [] and isinstance(mail, EmailChannel)
    assert mail.ca_file == tmp_path / "root" / "certs" / "ca.pem"


def test_a_broken_notify_section_stops_notify_and_validate_not_whois(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.cli.cli_runner import run_oncall

    root = write_root(tmp_path / "root", "notify:\n  channels:\n    pager: {type: pagerduty}\n")
    org = load_org(root)  # the schedules are fine: commands that read them go ahead
    assert [(str(p.location), p.code) for p in org.settings.errors] == [("oncall.yaml:3", "bad-value")]
    with pytest.raises(ConfigErrors):
        settings_or_raise(org)
    whois = run_oncall(["--root", str(root), "whois", "--format", "json"], capsys)
    assert whois.code == 0, whois.err
    validate = run_oncall(["--root", str(root), "schedule", "validate"], capsys)
    assert validate.code == 2
    assert [line for line in validate.err.splitlines() if line.startswith("error: ")] == [
        "error: oncall.yaml:3: channel 'pager' needs type: slack, slack-api or email (got 'pagerduty')"]


def test_a_yaml_error_in_oncall_yaml_is_located(tmp_path: Path) -> None:
    org = load_org(write_root(tmp_path / "root", "notify:\n  team: [a\n"))
    assert [(str(p.location), p.code) for p in org.settings.errors] == [("oncall.yaml:3", "syntax")]


SLACK = """\
notify:
  changes_within: 7d
  digest: {day: tue, at: "08:30", timezone: Europe/London}
  team: [slackbot]
  channels:
    slackbot:
      type: slack-api
      token_secret: slack-bot-token
      to: C012AB3CD
  schedules:
    payments:
      secondary: [payments]
      slack_usergroup: S0614TZR7
      slack_topic:
        channel: C0TOPIC
        template: "on call: {person.slack_mention} ({person.phone}) until {end}"
"""


def test_the_slack_api_channel_the_group_the_topic_and_the_digest(tmp_path: Path) -> None:
    from oncall.model import Digest, SlackTopic
    from oncall.notify.settings import SlackApiChannel

    settings, problems = settings_of(tmp_path, SLACK.replace("      secondary: [payments]\n", ""))
    assert problems == []
    assert settings.channels["slackbot"] == SlackApiChannel("slackbot", "slack-bot-token", ("C012AB3CD",),
                                                            "https://slack.com/api/")
    route = settings.route("payments")
    assert route.channels == ("slackbot",) and route.secondary is None
    assert route.slack_usergroup == "S0614TZR7"
    assert route.slack_topic == SlackTopic("C0TOPIC", "on call: {person.slack_mention} ({person.phone}) until {end}")
    assert settings.slack_api("payments") == settings.channels["slackbot"]
    assert settings.digest == Digest(day=1, at=8 * 60 + 30, timezone="Europe/London")
    assert settings.changes_within == 7 * 86400
    defaults, _ = settings_of(tmp_path / "other", "notify:\n  digest: {}\n")
    assert defaults.digest == Digest(0, 9 * 60, "UTC") and defaults.changes_within == 14 * 86400


def test_slack_api_problems_are_located(tmp_path: Path) -> None:
    text = SLACK.replace("to: C012AB3CD", "to: '#ops'\n      api_url: http://slack.example.com/api/") \
        .replace("S0614TZR7", "oncall-team").replace("{person.phone}) until {end}", "{end:%H})") \
        .replace('at: "08:30"', 'at: "8.30"').replace("day: tue", "day: someday")
    _, problems = settings_of(tmp_path, text)
    assert [str(p) for p in problems if p.severity == "error"] == [
        "oncall.yaml:3: day: 'someday' in notify.digest is not one of mon, tue, wed, thu, fri, sat, sun; write one "
        "of them",
        "oncall.yaml:3: at: '8.30' is not a time of day; write HH:MM in quotes, e.g. \"09:00\"",
        "oncall.yaml:9: to: '#ops' in channel 'slackbot' is not a Slack channel id; write the channel's id (C0... "
        "or G0...), from the bottom of its details in Slack, e.g. C012AB3CD",
        "oncall.yaml:10: api_url: 'http://slack.example.com/api/' in channel 'slackbot' is not an https:// URL "
        "(http:// only to this machine: the token would cross the network in clear); write e.g. "
        "https://slack.com/api/",
        "oncall.yaml:13: secondary: 'payments' names the schedule itself; write the id of its secondary schedule",
        "oncall.yaml:14: slack_usergroup: 'oncall-team' in notify.schedules.payments is not a Slack id; write the "
        "user group's id (S0...), from its page in Slack or usergroups.list, e.g. S0614TZR7",
        "oncall.yaml:17: template: unknown field {end} in 'on call: {person.slack_mention} ({end:%H})'; write one "
        "of {person.id}, {person.name}, {person.email}, {person.slack}, {person.slack_mention}, {person.timezone}, "
        "{schedule.id}, {schedule.name}, {start}, {end} or any {person.<field>}",
    ]


def test_a_group_or_topic_needs_a_slack_api_channel_and_a_topic_one_schedule(tmp_path: Path) -> None:
    root = write_root(tmp_path / "root", "")
    (root / "schedules" / "other.yaml").write_text((root / "schedules" / "payments.yaml").read_text())
    text = """\
notify:
  channels:
    hook: {type: slack, webhook_secret: slack-ops}
  team: hook
  schedules:
    payments:
      slack_usergroup: S0614TZR7
      slack_topic: {channel: C0TOPIC}
    other:
      slack_topic: {channel: C0TOPIC}
"""
    (root / "oncall.yaml").write_text(text)
    problems = [str(p) for p in load_org(root).settings.problems]
    assert problems == [
        "oncall.yaml:7: slack_usergroup in notify.schedules.payments needs a `type: slack-api` channel (a bot "
        "token) among its channels; add one under notify.channels and name it in `channel:`",
        "oncall.yaml:10: the topic of C0TOPIC is already kept by notify.schedules.payments; give each schedule "
        "its own channel, or drop one slack_topic",
    ]
    (root / "oncall.yaml").write_text(text.replace("    hook: {type: slack, webhook_secret: slack-ops}\n",
                                                   "    hook: {type: slack, webhook_secret: slack-ops}\n"
                                                   "    bot: {type: slack-api, token_secret: slack-bot}\n"))
    problems = [str(p) for p in load_org(root).settings.problems]
    assert problems == ["oncall.yaml:11: the topic of C0TOPIC is already kept by notify.schedules.payments; give "
                        "each schedule its own channel, or drop one slack_topic"]  # the only slack-api channel serves
