"""Notifications against hostile peers and a failing disk: secrets masked in every error, every
send and every run within a deadline, a bad channel failing alone, no message sent twice because
its record could not be written."""

from __future__ import annotations

import base64
import json
import os
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from oncall.config import load_org
from oncall.errors import StateError
from oncall.model import Org
from oncall.notify import ChannelSender, DeliveryFailed, Message, run
from oncall.notify.settings import EmailChannel, SlackChannel
from oncall.notify.state import locked, state_file
from tests import peers
from tests.disks import fill, tmpfs
from tests.notify.servers import Mailbox, WebhookServer, write_root
from tests.notify.slackweb import SlackApi
from tests.notify.test_cli import Cli, daily_schedule, oncall_yaml
from tests.notify.test_delivery import message
from tests.notify.test_run import T0, Sleeps, no_readiness, notify_yaml, prime, sender_for

TOKEN = "SECRETxWEBHOOKxTOKEN"


def leaked(text: str, secret: str) -> list[str]:
    """The forms of ``secret`` found in ``text``."""
    forms = [secret, quote(secret, safe=""), base64.b64encode(secret.encode()).decode()[4:-4]]
    return [form for form in forms if form in text]


# --- secrets in errors -------------------------------------------------------------------------


def test_a_webhook_token_echoed_by_the_server_is_masked_in_the_error() -> None:
    with peers.serving(peers.echo(404)) as peer:
        url = f"{peer.url}/services/T000/B000/{TOKEN}"
        sender = ChannelSender({"ops": SlackChannel("ops", "slack-ops", timeout=5.0)}, secret={"slack-ops": url}.get)
        with pytest.raises(DeliveryFailed) as caught:
            sender.send(message("ops"))
    reason = str(caught.value)
    assert reason.startswith("Slack answered 404 no webhook at /services/T000/B000/********")
    assert leaked(reason, TOKEN) == [] and leaked(reason, url) == []


def test_an_smtp_server_echoing_auth_plain_shows_no_password() -> None:
    password = "s3cret-SMTP-pa55word"
    with peers.serving(peers.smtp_echo_auth) as peer:
        channel = EmailChannel("mail", "127.0.0.1", "oncall@example.com", peer.port, "none",
                               username="oncall@example.com", password_secret="smtp", timeout=5.0)
        sender = ChannelSender({"mail": channel}, secret={"smtp": password}.get)
        with pytest.raises(DeliveryFailed) as caught:
            sender.send(message("mail", ("bob@example.com",)))
    reason = str(caught.value)
    assert reason.startswith(f"127.0.0.1:{peer.port} answered 554 5.7.1 session ")
    sent = base64.b64encode(f"\0oncall@example.com\0{password}".encode()).decode()
    assert any(sent.encode() in line for line in peer.received)  # the server did echo this
    assert password not in reason and sent not in reason and "pa55word" not in reason


def test_cli_errors_and_json_carry_no_form_of_the_token(tmp_path: Path, smtp_starttls: Mailbox) -> None:
    with peers.serving(peers.echo(404)) as peer:
        hook = WebhookServer(port=peer.port)
        root = write_root(tmp_path / "root", oncall_yaml(hook, smtp_starttls), schedule=daily_schedule())
        cli = Cli(tmp_path, root)
        cli.store_secrets(hook)
        tested = cli("notify", "test", "--format", "json")
        ran = cli("notify", "run")
        ran_json = cli("notify", "run", "--format", "json")
    assert tested.returncode == 1 and ran.returncode == 1 and ran_json.returncode == 1
    errors = [m["error"] for m in json.loads(tested.stdout) if m["error"]]
    assert errors and errors[0].startswith("Slack answered 404 no webhook at /services/T000/B000/********")
    assert "error: ops-slack: [oncall] Payments primary: Alice Park is on call: Slack answered 404" in ran.stderr
    assert json.loads(ran_json.stdout)["messages"][0]["error"].startswith("Slack answered 404")
    for text in cli.outputs + [p.read_text() for p in (tmp_path / "state").rglob("*.json")]:
        assert leaked(text, TOKEN) == [] and leaked(text, hook.url) == []


# --- deadlines ---------------------------------------------------------------------------------


def test_a_trickling_webhook_cannot_stretch_the_channel_timeout() -> None:
    response = peers.http_response(200, b"ok")
    with peers.serving(peers.trickle(response, every=0.1)) as peer:  # 60 bytes: 6 s to answer
        url = f"{peer.url}/services/T000/B000/{TOKEN}"
        sleeps = Sleeps()
        sender = ChannelSender({"ops": SlackChannel("ops", "slack-ops", timeout=1.0)}, secret={"slack-ops": url}.get,
                               sleep=sleeps, attempts=2)
        with pytest.raises(DeliveryFailed) as caught:
            sender.send(message("ops"))
    assert str(caught.value) == "Slack did not answer within 1s; gave up after 2 attempts"
    assert sleeps == [1.0]


def test_a_trickling_smtp_server_cannot_stretch_the_channel_timeout() -> None:
    with peers.serving(peers.smtp_trickle(every=0.05)) as peer:
        channel = EmailChannel("mail", "127.0.0.1", "oncall@example.com", peer.port, "none", timeout=1.0)
        with pytest.raises(DeliveryFailed) as caught:
            ChannelSender({"mail": channel}, attempts=1).send(message("mail", ("bob@example.com",)))
    assert str(caught.value) == f"127.0.0.1:{peer.port} did not answer within 1s; gave up after 1 attempt"


def test_a_run_stuck_in_a_call_is_stopped_and_frees_its_lock(
    tmp_path: Path, webhook: WebhookServer, smtp_plain: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = load_org(write_root(tmp_path / "root", notify_yaml(webhook, smtp_plain)))
    state = tmp_path / "state"
    prime(org, state, webhook)

    class Stuck:
        def send(self, message: Message) -> None:
            time.sleep(30)  # a call that no timeout of ours reaches

    run_module = sys.modules["oncall.notify.run"]  # the package exports the function under the same name
    monkeypatch.setattr(run_module, "SEND_LIMIT", 0.0)
    monkeypatch.setattr(run_module, "STOP_GRACE", 0.0)
    with pytest.raises(run_module.RunDeadline, match=r"notify run did not finish within 1s and was stopped"):
        run(org, T0, state, Stuck(), readiness=no_readiness, limit=1.0)
    with locked(state_file(state, org.root)):  # the lock went with the run
        pass
    after = run(org, T0 + 60, state, sender_for(org, webhook), readiness=no_readiness)
    assert [o.status for o in after.outcomes] == ["sent"] * 3


# --- one bad channel ---------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [
    "https://hooks.slack.com/services/T000/B000/SECRET xWEBHOOKxTOKEN",
    "http://[::1/services/T000/B000/SECRETxWEBHOOKxTOKEN",
    "https://hooks.slack.com:99999/services/T000/B000/SECRETxWEBHOOKxTOKEN",
])
def test_a_broken_webhook_url_fails_alone(
    tmp_path: Path, webhook: WebhookServer, smtp_starttls: Mailbox, bad: str
) -> None:
    root = write_root(tmp_path / "root", oncall_yaml(webhook, smtp_starttls), schedule=daily_schedule())
    cli = Cli(tmp_path, root)
    cli.store_secrets(webhook)
    assert cli("secret", "set", "slack-ops", stdin=bad + "\n").returncode == 0
    result = cli("notify", "run", "--format", "json")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    outcomes = [(m["channel"], m["status"], m["error"]) for m in json.loads(result.stdout)["messages"]]
    assert [o[1] for o in outcomes if o[0] == "mail"] == ["sent"] * 4
    assert len(smtp_starttls.mails) == 4
    slack = [o[2] for o in outcomes if o[0] == "ops-slack"]
    assert slack[0].startswith("secret 'slack-ops' does not hold a valid https:// webhook URL")
    assert slack[1].startswith("not tried: channel ops-slack failed earlier in this run")
    for text in cli.outputs:
        assert "SECRET" not in text and "xWEBHOOKxTOKEN" not in text


# --- a state disk that fills up ----------------------------------------------------------------


@pytest.fixture
def org(tmp_path: Path, webhook: WebhookServer, smtp_plain: Mailbox) -> Org:
    return load_org(write_root(tmp_path / "root", notify_yaml(webhook, smtp_plain)))


def test_a_full_state_disk_sends_nothing_and_says_so(
    org: Org, tmp_path: Path, webhook: WebhookServer, smtp_plain: Mailbox
) -> None:
    with tmpfs(tmp_path / "disk", size="64k") as disk:
        state = disk / "notify"
        prime(org, state, webhook)
        filler = fill(disk)
        for minute in (0, 5):
            with pytest.raises(StateError, match=r"cannot write the notify state .* \(No space left on device\); "
                                                  r"free some space on that disk\. Nothing more was sent \(0 sent"):
                run(org, T0 + minute * 60, state, sender_for(org, webhook), readiness=no_readiness)
        assert smtp_plain.mails == [] and webhook.received == []
        filler.unlink()
        later = run(org, T0 + 600, state, sender_for(org, webhook), readiness=no_readiness)
    assert [o.status for o in later.outcomes] == ["sent"] * 3
    assert len(smtp_plain.mails) + len(webhook.delivered) == 3


def test_a_disk_that_fills_during_a_send_never_causes_a_second_send(
    org: Org, tmp_path: Path, webhook: WebhookServer, smtp_plain: Mailbox
) -> None:
    with tmpfs(tmp_path / "disk", size="64k") as disk:
        state = disk / "notify"
        prime(org, state, webhook)
        real = sender_for(org, webhook)
        fillers: list[Path] = []

        class FillsTheDisk:
            def send(self, message: Message) -> None:
                real.send(message)
                if not fillers:
                    fillers.append(fill(disk))  # something else fills the disk meanwhile

        # Each record is written (pending) before its send and marked done after, in place, which
        # needs no space: whatever went out is recorded. Where the next record, or the end of the
        # run, no longer fits, the run stops and says so.
        with pytest.raises(StateError, match=r"No space left on device"):
            run(org, T0, state, FillsTheDisk(), readiness=no_readiness)
        went_out = len(smtp_plain.mails) + len(webhook.delivered)
        assert went_out >= 1
        fillers[0].unlink()
        later = run(org, T0 + 300, state, real, readiness=no_readiness)
    assert later.already_sent == went_out and [o.status for o in later.outcomes] == ["sent"] * (3 - went_out)
    delivered = [m["data"] for m in smtp_plain.mails] + [json.dumps(b).encode() for b in webhook.delivered]
    assert len(delivered) == 3 and len(set(delivered)) == 3


def test_a_read_only_state_folder_is_one_clear_error(
    org: Org, tmp_path: Path, webhook: WebhookServer, smtp_plain: Mailbox
) -> None:
    with tmpfs(tmp_path / "ro", readonly=True) as folder:
        with pytest.raises(StateError, match=r"cannot lock the notify state .*\(Read-only file system\); "
                                              "make the folder writable"):
            run(org, T0, folder / "notify", sender_for(org, webhook), readiness=no_readiness)
    assert smtp_plain.mails == [] and webhook.received == []


def test_state_folder_and_lock_are_private(
    org: Org, tmp_path: Path, webhook: WebhookServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    os.umask(0o022)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    from oncall.notify.state import default_state_dir

    state = default_state_dir()
    prime(org, state, webhook)
    for folder in (tmp_path / "xdg" / "oncall", state):
        assert folder.stat().st_mode & 0o777 == 0o700, folder
    for file in state.iterdir():
        assert file.stat().st_mode & 0o777 == 0o600, file


def test_the_bot_token_echoed_in_every_form_appears_nowhere(
    tmp_path: Path, slack_api: SlackApi, smtp_plain: Mailbox
) -> None:
    from tests.notify.scenario import PEOPLE, settings_yaml
    from tests.notify.slackweb import TOKEN as BOT

    root = write_root(tmp_path / "root", settings_yaml(slack_api, smtp_plain, route=(
        "      slack_usergroup: S0ONCALL\n      slack_topic: {channel: C0TOPIC}\n")), schedule=daily_schedule())
    (root / "schedules" / "people.yaml").write_text(PEOPLE)
    cli = Cli(tmp_path, root)
    assert cli("secret", "set", "slack-bot", stdin=BOT + "\n").returncode == 0
    encoded = base64.b64encode(f"Bearer {BOT}".encode()).decode()
    slack_api.script = [  # what a misbehaving proxy or server might say
        (200, {}, {"ok": False, "error": f"invalid_auth: Bearer {BOT}"}),
        (403, {}, {"message": f"refused {quote(BOT, safe='')}"}),
        (200, {}, {"ok": False, "error": "missing_scope", "needed": f"chat:write {encoded}"}),
    ]
    results = [cli("notify", "test", "--channel", "bot"), cli("notify", "test", "--channel", "bot", "--format", "json"),
               cli("notify", "run", "--dry-run"), cli("notify", "run", "--format", "json"), cli("notify", "run")]
    assert [r.returncode for r in results] == [1, 1, 0, 1, 0]
    assert len(slack_api.calls) > 3 and all(c.authorization == f"Bearer {BOT}" for c in slack_api.calls)
    texts = cli.outputs + [p.read_text() for p in (tmp_path / "state").rglob("*") if p.is_file()]
    for text in texts:
        assert leaked(text, BOT) == [] and "SECRETxBOT" not in text, text
