"""Delivery through real servers: a local HTTP server for the Slack webhook, aiosmtpd for email."""

from __future__ import annotations

import pytest

from oncall.notify.deliver import ChannelSender, DeliveryFailed
from oncall.notify.messages import Message
from oncall.notify.settings import EmailChannel, SlackChannel
from tests.notify.servers import SMTP_PASSWORD, SMTP_USER, Mailbox, WebhookServer

NOW = 1_773_061_200  # 2026-03-09T13:00:00Z


def message(channel: str, to: tuple[str, ...] = ()) -> Message:
    return Message(
        key=f"handoff|payments|{NOW}|bob|{channel}:team",
        kind="handoff",
        channel=channel,
        to=to,
        subject="[oncall] Payments primary: handoff Alice Park → Bob Okafor",
        lines=("Handoff now: Alice Park → Bob Okafor on Payments primary.", "Checklist primary: all 1 passed"),
        due=NOW,
        keep_until=NOW,
        schedule="payments",
        person="bob",
        created=NOW,
        mention="U0BOB",
    )


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def slack_sender(server: WebhookServer, sleeps: Sleeps, **kwargs: object) -> ChannelSender:
    channels = {"ops": SlackChannel("ops", "slack-ops", timeout=5.0)}
    secrets = {"slack-ops": server.url}
    return ChannelSender(channels, secret=secrets.get, sleep=sleeps, **kwargs)  # type: ignore[arg-type]


def test_slack_webhook_receives_the_json_payload(webhook: WebhookServer) -> None:
    sleeps = Sleeps()
    slack_sender(webhook, sleeps).send(message("ops"))
    assert webhook.paths == ["/services/T000/B000/SECRETxWEBHOOKxTOKEN"]
    assert webhook.delivered == [{
        "text": "*[oncall] Payments primary: handoff Alice Park → Bob Okafor* <@U0BOB>\n"
                "Handoff now: Alice Park → Bob Okafor on Payments primary.\n"
                "Checklist primary: all 1 passed"
    }]
    assert sleeps == []


def test_slack_429_waits_for_retry_after_and_500_is_retried(webhook: WebhookServer) -> None:
    webhook.script = [(429, {"Retry-After": "7"}), (500, {}), (503, {})]
    sleeps = Sleeps()
    slack_sender(webhook, sleeps).send(message("ops"))
    assert len(webhook.received) == 4 and len(webhook.delivered) == 1
    assert sleeps == [7.0, 2.0, 4.0]  # Retry-After honoured, then exponential backoff


def test_slack_gives_up_after_bounded_attempts(webhook: WebhookServer) -> None:
    webhook.script = [(500, {})] * 10
    sleeps = Sleeps()
    with pytest.raises(DeliveryFailed, match=r"Slack answered 500 server_error; gave up after 3 attempts"):
        slack_sender(webhook, sleeps, attempts=3).send(message("ops"))
    assert len(webhook.received) == 3 and webhook.delivered == []


def test_slack_client_errors_and_long_retry_after_are_not_retried(webhook: WebhookServer) -> None:
    webhook.script = [(404, {}), (429, {"Retry-After": "3600"})]
    sleeps = Sleeps()
    sender = slack_sender(webhook, sleeps)
    with pytest.raises(DeliveryFailed, match="Slack answered 404"):
        sender.send(message("ops"))
    with pytest.raises(DeliveryFailed, match="rate-limited the webhook for 3600s"):
        sender.send(message("ops"))
    assert len(webhook.received) == 2 and sleeps == []


def test_missing_webhook_secret_says_how_to_store_it_without_any_url() -> None:
    nothing: dict[str, str] = {}
    sender = ChannelSender({"ops": SlackChannel("ops", "slack-ops")}, secret=nothing.get)
    with pytest.raises(DeliveryFailed, match=r"secret .slack-ops. .* `oncall secret set slack-ops`"):
        sender.send(message("ops"))


def test_unreachable_webhook_is_retried_then_reported_without_the_url() -> None:
    from tests.notify.servers import free_port

    url = f"http://127.0.0.1:{free_port()}/services/SECRET-PATH"
    sleeps = Sleeps()
    sender = ChannelSender({"ops": SlackChannel("ops", "slack-ops", timeout=2.0)}, secret={"slack-ops": url}.get,
                           sleep=sleeps, attempts=2)
    with pytest.raises(DeliveryFailed) as caught:
        sender.send(message("ops"))
    assert "cannot reach Slack" in str(caught.value) and "SECRET-PATH" not in str(caught.value)
    assert sleeps == [1.0]


def test_email_over_plain_smtp_reaches_the_recipients(smtp_plain: Mailbox) -> None:
    channel = EmailChannel("mail", "127.0.0.1", "oncall@example.com", smtp_plain.port, "none", timeout=5.0)
    ChannelSender({"mail": channel}).send(message("mail", ("payments@example.com", "lead@example.com")))
    [mail] = smtp_plain.mails
    assert mail["from"] == "oncall@example.com"
    assert mail["to"] == ["payments@example.com", "lead@example.com"]
    [parsed] = smtp_plain.messages()
    assert parsed["Subject"] == "[oncall] Payments primary: handoff Alice Park → Bob Okafor"
    assert parsed["Auto-Submitted"] == "auto-generated"
    assert parsed["Message-ID"].endswith("@example.com>")
    assert parsed.get_content().replace("\r\n", "\n") == (
        "Handoff now: Alice Park → Bob Okafor on Payments primary.\nChecklist primary: all 1 passed\n"
    )


def test_email_over_starttls_with_login_and_a_ca_file(smtp_starttls: Mailbox) -> None:
    channel = EmailChannel("mail", "127.0.0.1", "oncall@example.com", smtp_starttls.port, "starttls",
                           username=SMTP_USER, password_secret="smtp-pass", ca_file=smtp_starttls.ca_file,
                           timeout=5.0)
    sender = ChannelSender({"mail": channel}, secret={"smtp-pass": SMTP_PASSWORD}.get)
    sender.send(message("mail", ("bob@example.com",)))
    assert smtp_starttls.logins == [(SMTP_USER, SMTP_PASSWORD)]
    [mail] = smtp_starttls.mails
    assert mail["to"] == ["bob@example.com"]
    assert smtp_starttls.messages()[0]["Subject"].startswith("[oncall] Payments primary: handoff")


def test_starttls_refuses_an_untrusted_certificate(smtp_starttls: Mailbox) -> None:
    channel = EmailChannel("mail", "127.0.0.1", "oncall@example.com", smtp_starttls.port, "starttls",
                           username=SMTP_USER, password_secret="smtp-pass", timeout=5.0)
    sender = ChannelSender({"mail": channel}, secret={"smtp-pass": SMTP_PASSWORD}.get)
    with pytest.raises(DeliveryFailed, match="certificate is not trusted.*ca_file"):
        sender.send(message("mail", ("bob@example.com",)))
    assert smtp_starttls.mails == [] and smtp_starttls.logins == []


def test_wrong_smtp_password_is_reported_and_never_shown(smtp_starttls: Mailbox) -> None:
    channel = EmailChannel("mail", "127.0.0.1", "oncall@example.com", smtp_starttls.port, "starttls",
                           username=SMTP_USER, password_secret="smtp-pass", ca_file=smtp_starttls.ca_file,
                           timeout=5.0)
    sleeps = Sleeps()
    sender = ChannelSender({"mail": channel}, secret={"smtp-pass": "wrong-Pa55"}.get, sleep=sleeps)
    with pytest.raises(DeliveryFailed) as caught:
        sender.send(message("mail", ("bob@example.com",)))
    assert "refused the login for 'oncall@example.com' (535)" in str(caught.value)
    assert "wrong-Pa55" not in str(caught.value) and sleeps == []


def test_starttls_required_but_server_offers_none(smtp_plain: Mailbox) -> None:
    channel = EmailChannel("mail", "127.0.0.1", "oncall@example.com", smtp_plain.port, "starttls", timeout=5.0)
    with pytest.raises(DeliveryFailed, match="does not offer STARTTLS"):
        ChannelSender({"mail": channel}).send(message("mail", ("bob@example.com",)))
    assert smtp_plain.mails == []
