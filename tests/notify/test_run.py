"""``notify.run`` against the real loader, engine and servers: what is due, exactly once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oncall.config import load_org
from oncall.model import Org, Person
from oncall.notify import ChannelSender, Message, Readiness, run
from oncall.notify.messages import FailingItem
from oncall.notify.settings import load_settings
from oncall.notify.state import state_file, watched_file
from oncall.times import to_epoch
from tests.notify.servers import Mailbox, WebhookServer, write_root

HANDOFF = 1_773_061_200  # 2026-03-09T13:00:00Z = 09:00 EDT, alice → bob
T0 = HANDOFF - 1800  # half an hour before the handoff: the 1 h reminders are due
T1 = HANDOFF + 1800  # half an hour after it


def notify_yaml(webhook: WebhookServer, mail: Mailbox, extra: str = "") -> str:
    return f"""\
notify:
  remind_before: [24h, 1h]
  catch_up: 1d
  team: [ops-slack, mail]
  direct: [mail]
  channels:
    ops-slack:
      type: slack
      webhook_secret: slack-ops
    mail:
      type: email
      host: 127.0.0.1
      port: {mail.port}
      security: none
      sender: oncall@example.com
      to: [payments@example.com]
      timeout: 5s
  schedules:
    payments:
      playbook: https://wiki.example.com/payments
{extra}"""


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def org(tmp_path: Path, webhook: WebhookServer, smtp_plain: Mailbox) -> Org:
    return load_org(write_root(tmp_path / "root", notify_yaml(webhook, smtp_plain)))


def sender_for(org: Org, webhook: WebhookServer, sleeps: Sleeps | None = None) -> ChannelSender:
    settings, _ = load_settings(org)
    return ChannelSender(settings.channels, secret={"slack-ops": webhook.url}.get, sleep=sleeps if sleeps is not None else Sleeps())


def no_readiness(person: Person, checklist: str | None) -> Readiness | None:
    return None


def prime(org: Org, state: Path, webhook: WebhookServer) -> None:
    """A first run a day earlier, so later runs have a last run to start from."""
    report = run(org, HANDOFF - 86400 - 7200, state, sender_for(org, webhook), readiness=no_readiness)
    assert report.first_run and report.outcomes == []


def keys(messages: list[Message]) -> list[str]:
    return sorted(m.key for m in messages)


def test_reminder_and_handoff_reach_every_recipient_once(
    org: Org, tmp_path: Path, webhook: WebhookServer, smtp_plain: Mailbox
) -> None:
    state = tmp_path / "state"
    prime(org, state, webhook)
    report = run(org, T0, state, sender_for(org, webhook), readiness=no_readiness)
    report.outcomes += run(org, T1, state, sender_for(org, webhook), readiness=no_readiness).outcomes
    sent = [(o.message.kind, o.message.channel, o.message.to) for o in report.outcomes]
    assert sent == [
        ("reminder", "mail", ("bob@example.com",)),  # 1 h before: the 24 h lead fell before this window
        ("reminder", "mail", ("payments@example.com",)),
        ("reminder", "ops-slack", ()),
        ("handoff", "mail", ("bob@example.com",)),  # the incoming person, directly
        ("handoff", "mail", ("payments@example.com",)),
        ("handoff", "ops-slack", ()),
    ]
    assert all(o.status == "sent" for o in report.outcomes)
    assert len(webhook.delivered) == 2 and len(smtp_plain.mails) == 4

    # The person's own reminder is in their timezone (Berlin); the team's in the schedule's.
    direct, team = smtp_plain.messages()[0], smtp_plain.messages()[1]
    assert direct["Subject"] == "[oncall] Payments primary: your on-call shift starts in 1h"
    assert "From Mon 9 Mar 2026 14:00 CET until Mon 16 Mar 2026 14:00 CET." in direct.get_content()
    assert "Taking over from Alice Park." in direct.get_content()
    assert "Playbook: https://wiki.example.com/payments" in direct.get_content()
    assert team["Subject"] == "[oncall] Payments primary: Bob Okafor is on call in 1h"
    assert "From Mon 9 Mar 2026 09:00 EDT until Mon 16 Mar 2026 09:00 EDT." in team.get_content()
    assert webhook.texts()[1].startswith("*[oncall] Payments primary: handoff Alice Park → Bob Okafor*")
    assert "Checklist primary: not checked yet; run `oncall ready`" in webhook.texts()[1]

    handoff = smtp_plain.messages()[2]
    assert handoff["To"] == "bob@example.com"
    assert handoff["Subject"] == "[oncall] Payments primary: you are on call now"
    assert handoff.get_content().splitlines()[:2] == [
        "Bob Okafor, you are on call for Payments primary now (taking over from Alice Park).",
        "Until Mon 16 Mar 2026 14:00 CET."]

    again = run(org, T1 + 60, state, sender_for(org, webhook), readiness=no_readiness)
    assert again.outcomes == [] and again.already_sent == 0  # the window moved on
    assert len(webhook.delivered) == 2 and len(smtp_plain.mails) == 4


def test_a_run_killed_midway_resends_nothing_and_loses_nothing(
    org: Org, tmp_path: Path, webhook: WebhookServer, smtp_plain: Mailbox
) -> None:
    state = tmp_path / "state"
    prime(org, state, webhook)
    real = sender_for(org, webhook)
    count = 0

    class DiesAfterTwo:
        def send(self, message: Message) -> None:
            nonlocal count
            if count == 2:
                raise KeyboardInterrupt  # the process is killed before the third message
            real.send(message)
            count += 1

    with pytest.raises(KeyboardInterrupt):
        run(org, T0, state, DiesAfterTwo(), readiness=no_readiness)
    assert len(smtp_plain.mails) + len(webhook.delivered) == 2

    later = run(org, T0 + 300, state, real, readiness=no_readiness)
    assert later.already_sent == 2 and [o.message.channel for o in later.outcomes] == ["ops-slack"]
    assert run(org, T0 + 600, state, real, readiness=no_readiness).outcomes == []

    delivered = [m["data"] for m in smtp_plain.mails] + [json.dumps(b).encode() for b in webhook.delivered]
    assert len(delivered) == 3 and len(set(delivered)) == 3  # each of the three messages exactly once


def test_a_failed_delivery_is_reported_and_tried_again_next_run(
    org: Org, tmp_path: Path, webhook: WebhookServer, smtp_plain: Mailbox
) -> None:
    state = tmp_path / "state"
    prime(org, state, webhook)
    webhook.script = [(500, {})] * 4  # the Slack reminder fails all four attempts
    sleeps = Sleeps()
    report = run(org, T0, state, sender_for(org, webhook, sleeps), readiness=no_readiness)
    assert [(o.message.kind, o.message.channel) for o in report.failed] == [("reminder", "ops-slack")]
    assert "gave up after 4 attempts" in str(report.failed[0].error)
    assert sleeps == [1.0, 2.0, 4.0]
    assert len(smtp_plain.mails) == 2 and webhook.delivered == []  # the others still went out

    retry = run(org, T0 + 300, state, sender_for(org, webhook), readiness=no_readiness)
    assert [(o.message.kind, o.message.channel, o.status) for o in retry.outcomes] == [
        ("reminder", "ops-slack", "sent")
    ]
    assert len(smtp_plain.mails) == 2 and len(webhook.delivered) == 1


def test_first_run_looks_back_only_the_lookback_window(
    org: Org, tmp_path: Path, webhook: WebhookServer, smtp_plain: Mailbox
) -> None:
    report = run(org, T1, tmp_path / "state", sender_for(org, webhook), readiness=no_readiness)
    assert report.first_run and report.start == T1 - 3600
    assert [o.message.kind for o in report.outcomes] == ["handoff"] * 3  # the 12:00Z reminder is history


def test_dry_run_sends_and_records_nothing(
    org: Org, tmp_path: Path, webhook: WebhookServer, smtp_plain: Mailbox
) -> None:
    state = tmp_path / "state"
    report = run(org, T1, state, sender_for(org, webhook), dry_run=True, readiness=no_readiness)
    assert [o.status for o in report.outcomes] == ["dry-run"] * 3
    assert webhook.received == [] and smtp_plain.mails == []
    assert not state.exists()


def test_not_ready_alert_names_the_failing_items_once_per_shift(
    org: Org, tmp_path: Path, webhook: WebhookServer, smtp_plain: Mailbox
) -> None:
    state = tmp_path / "state"
    failing = Readiness("primary", 3, (FailingItem("vpn", "VPN reaches the internal network", "timed out after 3s",
                                                   "Connect the corporate VPN"),), HANDOFF - 8 * 3600)

    def lookup(person: Person, checklist: str | None) -> Readiness | None:
        return failing if person.id == "bob" else None

    six_before = HANDOFF - 6 * 3600
    report = run(org, six_before, state, sender_for(org, webhook), readiness=lookup)
    alerts = [o.message for o in report.outcomes if o.message.kind == "not-ready"]
    assert [(m.channel, m.to) for m in alerts] == [
        ("mail", ("bob@example.com",)), ("mail", ("payments@example.com",)), ("ops-slack", ()),
    ]
    assert alerts[2].subject == "[oncall] Payments primary: Bob Okafor is not ready (vpn failing), shift in 6h"
    text = webhook.texts()[-1]
    assert "- vpn: VPN reaches the internal network (timed out after 3s). Fix: Connect the corporate VPN" in text
    assert "Checklist primary: 1 of 3 failing (vpn) (checked Mon 9 Mar 2026 01:00 EDT)" in text
    assert "the shift starts in 6h, at Mon 9 Mar 2026 09:00 EDT" in text

    later = run(org, six_before + 3600, state, sender_for(org, webhook), readiness=lookup)
    assert [o.message.kind for o in later.outcomes] == []  # still failing, already told
    assert later.already_sent == 3


def test_not_ready_reads_the_saved_results_of_oncall_ready(
    org: Org, tmp_path: Path, webhook: WebhookServer, smtp_plain: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    from oncall.readiness.results import CheckResult, SavedRun, save_results

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    at = HANDOFF - 7 * 3600
    save_results(SavedRun("bob", at - 5, at, (
        CheckResult("primary", "vpn", "VPN reaches the internal network", "tcp", "fail", "connection refused",
                    fix="Connect the corporate VPN", at=at),
        CheckResult("primary", "home", "HOME is set", "env", "pass", "set", at=at),
    ), ("primary",)))
    report = run(org, HANDOFF - 6 * 3600, tmp_path / "state", sender_for(org, webhook))
    alerts = [o.message for o in report.outcomes if o.message.kind == "not-ready"]
    assert len(alerts) == 3
    assert "Checklist primary: 1 of 2 failing (vpn)" in alerts[0].body
    assert "- vpn: VPN reaches the internal network (connection refused)" in alerts[0].body


def test_state_file_is_json_with_keys_and_no_secrets(
    org: Org, tmp_path: Path, webhook: WebhookServer, smtp_plain: Mailbox
) -> None:
    state = tmp_path / "state"
    prime(org, state, webhook)
    run(org, T1, state, sender_for(org, webhook), readiness=no_readiness)
    path = state_file(state, org.root)
    data = json.loads(path.read_text())
    assert data["last_run"] == T1
    assert f"handoff|payments|{HANDOFF}|bob|ops-slack:team" in data["sent"]
    assert "SECRETxWEBHOOK" not in path.read_text()
    watched = json.loads(watched_file(path).read_text())  # each person's next 14 days, as this run saw them
    week = 7 * 86400
    assert watched["at"] == T1 and watched["people"]["bob"]["payments"] == [
        f"{HANDOFF} {HANDOFF + week} layer:weekly", f"{HANDOFF + 2 * week} {HANDOFF + 3 * week} layer:weekly"]
    assert not list(state.glob(".*.tmp"))


def test_wall_clock_reading_of_the_handoff() -> None:
    from datetime import datetime

    from oncall.times import zone

    assert to_epoch(datetime(2026, 3, 9, 9, 0, tzinfo=zone("America/New_York"))) == HANDOFF
