"""``oncall notify`` end to end in subprocesses: the real keyring (keyrings.alt's plaintext file in a
temp folder), the real clock, a local webhook server and aiosmtpd with STARTTLS and a login.

The schedule is laid out around the real "now": a daily rotation whose first handoff (to alice)
was 30 minutes ago, so a run now owes a handoff and bob's 24 h reminder."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.notify.servers import SMTP_PASSWORD, SMTP_USER, Mailbox, WebhookServer, write_root

REPO = Path(__file__).resolve().parents[2]


def daily_schedule() -> str:
    start = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=30)
    return f"""\
name: Payments primary
timezone: UTC
layers:
  - people: [alice, bob]
    start: {start:%Y-%m-%dT%H:%M}
    every: 1d
"""


def oncall_yaml(webhook: WebhookServer, mail: Mailbox, port: int | None = None) -> str:
    return f"""\
notify:
  remind_before: [24h]
  team: [ops-slack, mail]
  direct: [mail]
  channels:
    ops-slack:
      type: slack
      webhook_secret: slack-ops
    mail:
      type: email
      host: 127.0.0.1
      port: {port or mail.port}
      security: starttls
      ca_file: {mail.ca_file}
      sender: oncall@example.com
      username: {SMTP_USER}
      password_secret: smtp-pass
      to: [payments@example.com]
      timeout: 5s
"""


class Cli:
    def __init__(self, tmp: Path, root: Path) -> None:
        self.tmp = tmp
        self.env = {
            k: v for k, v in os.environ.items() if not k.startswith(("ONCALL_", "XDG_", "PYTHON_KEYRING"))
        }
        self.env.update(
            ONCALL_ROOT=str(root),
            PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring",
            XDG_DATA_HOME=str(tmp / "data"),
            XDG_STATE_HOME=str(tmp / "state"),
            XDG_CONFIG_HOME=str(tmp / "config"),
            NO_COLOR="1",
            TZ="UTC",
            PYTHONPATH=str(REPO),
        )
        self.outputs: list[str] = []

    def argv(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "oncall", *args]

    def __call__(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        result = subprocess.run(self.argv(*args), input=stdin, capture_output=True, text=True, env=self.env,
                                timeout=120, cwd=self.tmp)
        self.outputs += [result.stdout, result.stderr]
        return result

    def killed_while(self, holding: threading.Event) -> None:
        """Run ``notify run`` and kill it (SIGKILL) once a server sets ``holding``: it holds a request
        of the run unanswered, as a request in flight when a machine dies."""
        process = subprocess.Popen(self.argv("notify", "run"), env=self.env, cwd=self.tmp, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        try:
            assert holding.wait(30), "the run never reached the request held"
            process.send_signal(signal.SIGKILL)
            process.wait(30)
        finally:
            if process.poll() is None:
                process.kill()
            stdout, stderr = process.communicate()
            self.outputs += [stdout, stderr]

    def store_secrets(self, webhook: WebhookServer) -> None:
        for name, value in (("slack-ops", webhook.url), ("smtp-pass", SMTP_PASSWORD)):
            result = self("secret", "set", name, stdin=value + "\n")
            assert result.returncode == 0, result.stderr

    def assert_no_secrets(self, webhook: WebhookServer) -> None:
        """No secret in anything printed, nor in any state file written."""
        self.assert_no_secrets_of(webhook.url, "SECRETxWEBHOOKxTOKEN", SMTP_PASSWORD)

    def assert_no_secrets_of(self, *secrets: str) -> None:
        texts = list(self.outputs)
        texts += [p.read_text(errors="replace") for p in (self.tmp / "state").rglob("*") if p.is_file()]
        for text in texts:
            for secret in secrets:
                assert secret not in text


@pytest.fixture
def cli(tmp_path: Path, webhook: WebhookServer, smtp_starttls: Mailbox) -> Cli:
    root = write_root(tmp_path / "root", oncall_yaml(webhook, smtp_starttls), schedule=daily_schedule())
    cli = Cli(tmp_path, root)
    cli.store_secrets(webhook)
    return cli


def test_notify_test_drills_every_channel(cli: Cli, webhook: WebhookServer, smtp_starttls: Mailbox) -> None:
    result = cli("notify", "test")
    assert result.returncode == 0, result.stderr
    assert "sent" in result.stdout and "ops-slack" in result.stdout and "mail" in result.stdout
    [text] = webhook.texts()
    assert text.startswith("*[oncall] TEST: drill message for channel ops-slack, no action needed*")
    [mail] = smtp_starttls.messages()
    assert mail["To"] == "payments@example.com"
    assert mail["Subject"] == "[oncall] TEST: drill message for channel mail, no action needed"
    assert "nobody is being paged" in mail.get_content()
    assert smtp_starttls.logins == [(SMTP_USER, SMTP_PASSWORD)]

    only = cli("notify", "test", "--channel", "ops-slack", "--format", "json")
    assert only.returncode == 0
    assert [m["channel"] for m in json.loads(only.stdout)] == ["ops-slack"]
    unknown = cli("notify", "test", "--channel", "pager")
    assert unknown.returncode == 2
    assert "error: --channel: no channel 'pager' in oncall.yaml; known: mail, ops-slack" in unknown.stderr
    cli.assert_no_secrets(webhook)


def test_notify_run_sends_once_and_dry_run_sends_nothing(
    cli: Cli, webhook: WebhookServer, smtp_starttls: Mailbox
) -> None:
    dry = cli("notify", "run", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "--- handoff via ops-slack (slack)\n*[oncall] Payments primary: Alice Park is on call* <@U0ALICE>" in dry.stdout
    assert "To: bob@example.com\nSubject: [oncall] Payments primary: your on-call shift starts in 24h" in dry.stdout
    assert "To: alice@example.com\nSubject: [oncall] Payments primary: you are on call now" in dry.stdout
    assert "would send 6, failed 0, already sent 0" in dry.stderr
    assert webhook.received == [] and smtp_starttls.mails == []

    first = cli("notify", "run", "--format", "json")
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert report["first_run"] is True
    assert [(m["kind"], m["channel"], m["to"], m["status"]) for m in report["messages"]] == [
        ("handoff", "mail", ["alice@example.com"], "sent"),  # the incoming person hears it directly
        ("handoff", "mail", ["payments@example.com"], "sent"),
        ("handoff", "ops-slack", [], "sent"),
        ("reminder", "mail", ["bob@example.com"], "sent"),
        ("reminder", "mail", ["payments@example.com"], "sent"),
        ("reminder", "ops-slack", [], "sent"),
    ]
    assert sorted(to for m in smtp_starttls.mails for to in m["to"]) == [
        "alice@example.com", "bob@example.com", "payments@example.com", "payments@example.com",
    ]
    assert len(webhook.delivered) == 2

    second = cli("notify", "run")
    assert second.returncode == 0 and second.stdout == ""
    assert "sent 0, failed 0" in second.stderr
    assert len(smtp_starttls.mails) == 4 and len(webhook.delivered) == 2
    cli.assert_no_secrets(webhook)


def test_a_killed_run_delivers_every_message_exactly_once(
    cli: Cli, webhook: WebhookServer, smtp_starttls: Mailbox
) -> None:
    webhook.hold_after = 1  # the second Slack post (the last message) hangs: the process dies then
    cli.killed_while(webhook.holding)
    webhook.hold_after = None
    webhook.release.set()
    assert len(smtp_starttls.mails) == 4 and len(webhook.delivered) == 1

    again = cli("notify", "run", "--format", "json")
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout)
    assert report["already_sent"] == 5
    assert [(m["kind"], m["channel"]) for m in report["messages"]] == [("reminder", "ops-slack")]
    assert len(smtp_starttls.mails) == 4 and len(webhook.delivered) == 2
    assert len({json.dumps(b) for b in webhook.delivered}) == 2
    assert len({m["data"] for m in smtp_starttls.mails}) == 4
    cli.assert_no_secrets(webhook)


def test_failed_delivery_exits_1_without_stopping_the_rest(
    cli: Cli, webhook: WebhookServer, smtp_starttls: Mailbox
) -> None:
    webhook.script = [(404, {}), (404, {})]  # the webhook was revoked: not retried
    result = cli("notify", "run")
    assert result.returncode == 1
    assert "error: ops-slack: [oncall] Payments primary: Alice Park is on call: Slack answered 404" in result.stderr
    assert "failed 2" in result.stderr
    assert len(smtp_starttls.mails) == 4  # email still went out
    retry = cli("notify", "run", "--format", "json")
    assert retry.returncode == 0, retry.stderr
    assert [m["channel"] for m in json.loads(retry.stdout)["messages"]] == ["ops-slack", "ops-slack"]
    cli.assert_no_secrets(webhook)


def test_missing_secret_is_reported_with_how_to_store_it(
    cli: Cli, webhook: WebhookServer, smtp_starttls: Mailbox
) -> None:
    assert cli("secret", "delete", "smtp-pass").returncode == 0
    result = cli("notify", "test", "--channel", "mail")
    assert result.returncode == 1
    assert ("secret 'smtp-pass' (the SMTP password) is not in the keyring; "
            "store it with `oncall secret set smtp-pass`") in result.stderr


def test_bad_oncall_yaml_exits_2_with_file_and_line(tmp_path: Path, webhook: WebhookServer,
                                                    smtp_starttls: Mailbox) -> None:
    text = oncall_yaml(webhook, smtp_starttls).replace("security: starttls", "security: ssl")
    text = text.replace("      timeout: 5s\n", "      timeout: 5s\n      retries: 3\n")
    root = write_root(tmp_path / "root", text, schedule=daily_schedule())
    result = Cli(tmp_path, root)("notify", "run", "--dry-run")
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert ("error: oncall.yaml:13: security 'ssl' is not one of starttls, tls, none; "
            "write starttls (port 587), tls (port 465) or none (local relays only)") in lines
    assert any(line.startswith("warning: oncall.yaml:20: unknown key 'retries'") for line in lines)
    assert "Traceback" not in result.stderr


def test_commands_start_without_heavy_imports(tmp_path: Path) -> None:
    code = ("import sys, oncall.cli.app; heavy = {'keyring', 'icalendar', 'smtplib', 'urllib.request'} "
            "& set(sys.modules); print(sorted(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert out.stdout.strip() == "[]", out.stderr
