"""Exactly once for every kind, with the process killed (SIGKILL) in the middle of a run: direct
handoffs, reminders made at short notice, change notices, the digest, and the Slack user group and
topic updates. ``oncall notify run`` runs as a subprocess with the real keyring (a plaintext file in a
temp folder) and the real clock, against the Slack Web API stand-in and aiosmtpd; the stand-in holds
one request unanswered while the process is killed, as a request in flight when a machine dies."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.notify.scenario import PEOPLE, settings_yaml
from tests.notify.servers import CHECKLIST, Mailbox
from tests.notify.slackweb import TOKEN, SlackApi
from tests.notify.test_cli import Cli, daily_schedule


def settings(api: SlackApi, mail: Mailbox) -> str:
    due = datetime.now(UTC) - timedelta(minutes=10)
    day = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[due.weekday()]
    digest = f'  digest: {{day: {day}, at: "{due:%H:%M}", timezone: UTC}}\n'
    route = "      slack_usergroup: S0ONCALL\n      slack_topic: {channel: C0TOPIC}\n"
    return settings_yaml(api, mail, extra=digest, route=route, leads="[24h]")


@pytest.fixture
def cli(tmp_path: Path, slack_api: SlackApi, smtp_plain: Mailbox) -> Cli:
    root = tmp_path / "root"
    (root / "schedules").mkdir(parents=True)
    (root / "checklists").mkdir()
    (root / "schedules" / "people.yaml").write_text(PEOPLE)
    (root / "schedules" / "payments.yaml").write_text(daily_schedule())
    (root / "checklists" / "primary.yaml").write_text(CHECKLIST)
    (root / "oncall.yaml").write_text(settings(slack_api, smtp_plain))
    cli = Cli(tmp_path, root)
    assert cli("secret", "set", "slack-bot", stdin=TOKEN + "\n").returncode == 0
    return cli


def planned(cli: Cli) -> list[dict[str, Any]]:
    dry = cli("notify", "run", "--dry-run", "--format", "json")
    assert dry.returncode == 0, dry.stderr
    return list(json.loads(dry.stdout)["messages"])


def killed_at(cli: Cli, api: SlackApi, held: int) -> None:
    """Run ``notify run`` and kill it while the stand-in holds its ``held``-th Slack call (from 0)."""
    api.holding.clear()
    api.release.clear()
    api.hold_after = api.answered + held
    cli.killed_while(api.holding)
    api.hold_after = None
    api.release.set()


def check_exactly_once(expected: list[dict[str, Any]], api: SlackApi, mail: Mailbox, posts: int, mails: int) -> None:
    """What the dry run planned arrived once each: every Slack post and email, each update applied."""
    slack = [m for m in expected if m["channel"] == "bot" and m["kind"] not in ("usergroup", "topic")]
    email = [m for m in expected if m["channel"] == "mail"]
    assert len(api.posts) - posts == len(slack)
    assert sorted(p["channel"] for p in api.posts[posts:]) == sorted(m["to"][0] for m in slack)
    assert len({(p["channel"], p["text"]) for p in api.posts}) == len(api.posts)  # nothing twice
    assert len(mail.mails) - mails == len(email)
    ids = [m["Message-ID"] for m in mail.messages()]
    assert len(set(ids)) == len(ids)
    # A few seconds pass between the dry run and the run: "starts in 5m" may have become "4m".
    subjects = Counter(re.sub(r"in \d+m", "in Nm", m["Subject"]) for m in mail.messages()[mails:])
    assert subjects == Counter(re.sub(r"in \d+m", "in Nm", m["subject"]) for m in email)


@pytest.mark.parametrize("held", [0, 1, 4, 6])
def test_a_run_killed_mid_way_sends_each_new_kind_exactly_once(
    cli: Cli, slack_api: SlackApi, smtp_plain: Mailbox, held: int
) -> None:
    expected = planned(cli)
    kinds = Counter(m["kind"] for m in expected)
    assert kinds == {"usergroup": 1, "topic": 1, "handoff": 4, "reminder": 4, "digest": 2}
    assert ("handoff", ["U0ALICE"]) in [(m["kind"], m["to"]) for m in expected]  # the direct handoff

    killed_at(cli, slack_api, held)
    again = cli("notify", "run", "--format", "json")
    assert again.returncode == 0, again.stderr
    check_exactly_once(expected, slack_api, smtp_plain, 0, 0)
    assert slack_api.groups["S0ONCALL"] == ["U0ALICE"]
    assert slack_api.topics["C0TOPIC"].startswith("on call: <@U0ALICE> until ")
    updates = [c.method for c in slack_api.calls if c.method != "chat.postMessage"]
    answered_updates = Counter(updates) - Counter(["usergroups.users.update", "conversations.setTopic"][held:held + 1])
    assert answered_updates == {"usergroups.users.update": 1, "conversations.setTopic": 1}

    quiet = cli("notify", "run", "--format", "json")  # and nothing after
    assert json.loads(quiet.stdout)["messages"] == []
    cli.assert_no_secrets_of(TOKEN)


@pytest.mark.parametrize("held", [0, 3, 6])
def test_changes_and_short_notice_reminders_survive_a_kill(
    cli: Cli, slack_api: SlackApi, smtp_plain: Mailbox, held: int
) -> None:
    first = cli("notify", "run")
    assert first.returncode == 0, first.stderr
    posts, mails = len(slack_api.posts), len(smtp_plain.mails)
    soon, later = datetime.now(UTC) + timedelta(minutes=6), datetime.now(UTC) + timedelta(hours=2)
    path = cli.tmp / "root" / "schedules" / "payments.yaml"
    path.write_text(path.read_text() + f"overrides:\n  - person: bob\n    from: {soon:%Y-%m-%dT%H:%M}\n"
                                       f"    to: {later:%Y-%m-%dT%H:%M}\n    reason: alice is in a meeting\n")
    expected = planned(cli)
    kinds = Counter(m["kind"] for m in expected)
    assert kinds["change"] == 4 and kinds["topic"] == 1 and "digest" not in kinds  # the digest went already
    [reminder] = [m["subject"] for m in expected if m["kind"] == "reminder" and m["to"] == ["bob@example.com"]]
    assert re.fullmatch(r"\[oncall\] Payments primary: your on-call shift starts in [56]m", reminder)

    killed_at(cli, slack_api, held)
    again = cli("notify", "run")
    assert again.returncode == 0, again.stderr
    check_exactly_once(expected, slack_api, smtp_plain, posts, mails)
    bob = [p["text"] for p in slack_api.posts if p["channel"] == "U0BOB" and "new on-call shift" in p["text"]]
    assert len(bob) == 1 and "Why: override: alice is in a meeting." in bob[0]
    quiet = cli("notify", "run", "--format", "json")
    assert json.loads(quiet.stdout)["messages"] == []
    cli.assert_no_secrets_of(TOKEN)


def test_dry_run_shows_every_kind_as_it_would_go(cli: Cli, slack_api: SlackApi, smtp_plain: Mailbox) -> None:
    dry = cli("notify", "run", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    out = dry.stdout
    assert "--- usergroup via bot (slack-api)\nusergroups.users.update usergroup=S0ONCALL users=U0ALICE\n" in out
    assert "--- topic via bot (slack-api)\nconversations.setTopic channel=C0TOPIC topic=on call: <@U0ALICE> until " in out
    assert ("--- handoff via bot (slack-api)\nchat.postMessage channel=U0ALICE\n"
            "*[oncall] Payments primary: you are on call now*\n") in out
    assert "--- digest via mail (email)\nFrom: oncall@example.com\nTo: payments@example.com\n" in out
    assert "--- digest via bot (slack-api)\nchat.postMessage channel=C0TEAM\n*[oncall] On call the week of " in out
    assert slack_api.calls == [] and smtp_plain.mails == []

    assert cli("notify", "run").returncode == 0
    soon = datetime.now(UTC) + timedelta(minutes=20)
    path = cli.tmp / "root" / "schedules" / "payments.yaml"
    path.write_text(path.read_text() + f"overrides:\n  - person: carol\n    from: {soon:%Y-%m-%dT%H:%M}\n"
                                       f"    to: {soon + timedelta(hours=1):%Y-%m-%dT%H:%M}\n")
    calls = len(slack_api.calls)
    dry = cli("notify", "run", "--dry-run")
    assert "--- change via bot (slack-api)\nchat.postMessage channel=U0ALICE\n" \
           "*[oncall] Payments primary: your on-call shift moved*\n" in dry.stdout
    assert "--- reminder via bot (slack-api)\nchat.postMessage channel=C0TEAM\n" \
           "*[oncall] Payments primary: Carol Diaz is on call in " in dry.stdout
    assert len(slack_api.calls) == calls


def test_runs_killed_one_after_another_and_a_torn_record_still_send_each_message_once(
    cli: Cli, slack_api: SlackApi, smtp_plain: Mailbox
) -> None:
    expected = planned(cli)
    journal = cli.tmp / "state" / "oncall" / "notify"

    killed_at(cli, slack_api, 2)  # the third Slack call: a few messages sent and recorded before it
    [record] = journal.glob("*.journal")
    lines = record.read_bytes().splitlines()
    assert lines and all(line[:2] in (b"+ ", b"- ") for line in lines)
    assert lines[-1].startswith(b"- ")  # the one in flight: pending, so it counts for nothing

    killed_at(cli, slack_api, 1)  # the next run dies too, appending to the same journal
    with record.open("ab") as f:
        f.write(b'+ {"at": 1, "keep_until": 4000000000, "sent": "torn')  # as a kill in mid-append leaves it
    again = cli("notify", "run", "--format", "json")
    assert again.returncode == 0, again.stderr
    check_exactly_once(expected, slack_api, smtp_plain, 0, 0)
    assert list(journal.glob("*.journal")) == []  # folded into the state file
    [state] = [p for p in journal.glob("*.json") if not p.name.endswith(".watched.json")]
    sent = json.loads(state.read_text())["sent"]
    assert len(sent) == sum(1 for m in expected if m["kind"] not in ("usergroup", "topic"))
    assert not any(key.startswith("torn") for key in sent)
    assert json.loads(cli("notify", "run", "--format", "json").stdout)["messages"] == []
