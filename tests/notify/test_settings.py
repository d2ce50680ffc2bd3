"""The ``notify:`` section of oncall.yaml: values, defaults, and located problems."""

from __future__ import annotations

from pathlib import Path

from oncall.config import load_org
from oncall.errors import Problem
from oncall.notify.settings import EmailChannel, NotifySettings, SlackChannel, load_settings
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
    found = [(p.severity, str(p)) for p in problems]
    assert ("warning", "oncall.yaml:4: unknown key 'colour' in notify (ignored); known keys: channels, team, "
            "direct, schedules, remind_before, ready_before, lookback, catch_up") in found
    messages = "\n".join(s for _, s in found)
    assert "oncall.yaml:2: notify.remind_before: 'soon' is not a duration" in messages
    assert "oncall.yaml:3: no channel 'ops-slak' under notify.channels; known: mail, ops-slack, pager" in messages
    assert "oncall.yaml:7: webhook_secret (the keyring entry holding the webhook URL) must be a non-empty string" in messages
    assert "oncall.yaml:11: port 99999 must be a whole number from 1 to 65535" in messages
    assert ("oncall.yaml:12: security: none would send the password for 'oncall@example.com' unencrypted; "
            "write security: starttls (port 587) or tls (port 465)") in messages
    assert "oncall.yaml:13: sender 'not-an-address' is not an email address; write e.g. oncall@example.com" in messages
    assert "oncall.yaml:17: channel 'pager' needs type: slack or type: email (got 'pagerduty')" in messages
    assert "oncall.yaml:19: no schedule 'paymnts' in schedules/; known: payments" in messages


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
