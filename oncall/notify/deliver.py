"""Delivering a message through its channel, with retries.

Transient failures (network errors, HTTP 5xx, HTTP 429, SMTP 4xx replies) are retried with
exponential backoff; a 429 waits as long as its ``Retry-After`` says. Attempts are bounded, and a
message that still fails raises ``DeliveryFailed`` with a reason fit to show: secret values (a
webhook URL, a password) are never part of it.
"""

from __future__ import annotations

import hashlib
import smtplib
import ssl
import time
from collections.abc import Callable, Mapping
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any, Protocol

from oncall.notify import http, smtp
from oncall.notify.messages import Message
from oncall.notify.settings import Channel, EmailChannel, SlackChannel, is_loopback
from oncall.times import from_epoch

MAX_ATTEMPTS = 4
MAX_WAIT = 60.0  # seconds; a longer Retry-After is reported instead of waited for


class DeliveryFailed(Exception):
    """A message could not be delivered; ``str()`` says why, without secrets."""


class Sender(Protocol):
    def send(self, message: Message) -> None:
        """Deliver ``message`` or raise ``DeliveryFailed``."""


class _Transient(Exception):
    def __init__(self, reason: str, wait: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait = wait


def keyring_secret(name: str) -> str | None:
    """A secret from the OS keyring, through the readiness package's keyring seam."""
    from oncall.readiness.secrets import get_secret

    return get_secret(name)


class ChannelSender:
    """Sends messages through the configured channels. Every side effect is an argument."""

    def __init__(
        self,
        channels: Mapping[str, Channel],
        *,
        secret: Callable[[str], str | None] = keyring_secret,
        post: Callable[[str, Any, float], http.HttpResponse] = http.post_json,
        mail: Callable[[EmailChannel, EmailMessage, str | None], None] = smtp.send_mail,
        sleep: Callable[[float], None] = time.sleep,
        attempts: int = MAX_ATTEMPTS,
        backoff: float = 1.0,
    ) -> None:
        self.channels = channels
        self.secret = secret
        self.post = post
        self.mail = mail
        self.sleep = sleep
        self.attempts = attempts
        self.backoff = backoff

    def send(self, message: Message) -> None:
        channel = self.channels.get(message.channel)
        if channel is None:
            raise DeliveryFailed(f"no channel {message.channel!r} in oncall.yaml")
        attempt = 0
        while True:
            attempt += 1
            try:
                if isinstance(channel, SlackChannel):
                    self._slack(channel, message)
                else:
                    self._email(channel, message)
                return
            except _Transient as exc:
                if attempt >= self.attempts:
                    raise DeliveryFailed(f"{exc.reason}; gave up after {attempt} attempts") from None
                wait = exc.wait if exc.wait is not None else min(self.backoff * 2 ** (attempt - 1), 30.0)
                self.sleep(wait)

    def _read_secret(self, name: str, what: str) -> str:
        try:
            value = self.secret(name)
        except Exception as exc:  # the keyring backend's own errors; never carry a value
            raise DeliveryFailed(f"cannot read secret {name!r} ({what}) from the keyring: {type(exc).__name__}") from None
        if not value:
            raise DeliveryFailed(
                f"secret {name!r} ({what}) is not in the keyring; store it with `oncall secret set {name}`"
            )
        return value

    def _slack(self, channel: SlackChannel, message: Message) -> None:
        url = self._read_secret(channel.webhook_secret, "the Slack webhook URL").strip()
        if not (url.startswith("https://") or (url.startswith("http://") and is_loopback(url))):
            raise DeliveryFailed(f"secret {channel.webhook_secret!r} does not hold an https:// webhook URL")
        try:
            response = self.post(url, {"text": message.slack_text()}, channel.timeout)
        except OSError as exc:
            raise _Transient(f"cannot reach Slack: {_scrub(exc, url)}") from None
        if 200 <= response.status < 300:
            return
        body = _scrub(response.body, url)
        if response.status == 429:
            wait = _retry_after(response.retry_after)
            if wait is not None and wait > MAX_WAIT:
                raise DeliveryFailed(f"Slack rate-limited the webhook for {wait:.0f}s (429)")
            raise _Transient("Slack answered 429 (rate limited)", wait)
        if response.status >= 500:
            raise _Transient(f"Slack answered {response.status} {body}".strip())
        raise DeliveryFailed(f"Slack answered {response.status} {body}".strip())

    def _email(self, channel: EmailChannel, message: Message) -> None:
        password = None
        if channel.password_secret:
            password = self._read_secret(channel.password_secret, "the SMTP password")
        server = f"{channel.host}:{channel.port}"
        try:
            self.mail(channel, compose(channel, message), password)
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryFailed(f"{server} refused the login for {channel.username!r} ({exc.smtp_code})") from None
        except smtplib.SMTPNotSupportedError:
            raise DeliveryFailed(f"{server} does not offer {channel.security.upper()}; check security: in oncall.yaml") from None
        except smtplib.SMTPRecipientsRefused as exc:
            refused = ", ".join(sorted(exc.recipients))
            raise DeliveryFailed(f"{server} refused the recipients {refused}") from None
        except smtplib.SMTPResponseException as exc:
            reason = f"{server} answered {exc.smtp_code} {_scrub(exc.smtp_error, password)}"
            if 400 <= exc.smtp_code < 500:
                raise _Transient(reason) from None
            raise DeliveryFailed(reason) from None
        except ssl.SSLCertVerificationError as exc:
            raise DeliveryFailed(
                f"{server}: the certificate is not trusted ({exc.verify_message}); set ca_file: in oncall.yaml"
            ) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise _Transient(f"{server}: {_scrub(exc, password)}") from None


def compose(channel: EmailChannel, message: Message) -> EmailMessage:
    """The email for ``message``: plain text, marked as automatic, with a stable Message-ID."""
    email = EmailMessage()
    email["From"] = channel.sender
    email["To"] = ", ".join(message.to)
    email["Subject"] = message.subject
    email["Date"] = format_datetime(from_epoch(message.created))
    domain = channel.sender.rpartition("@")[2] or "oncall.invalid"
    digest = hashlib.sha256(message.key.encode()).hexdigest()[:32]
    email["Message-ID"] = f"<{digest}@{domain}>"  # the same message twice is one message to mail clients
    email["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation auto-replies
    email["X-Oncall-Kind"] = message.kind
    email.set_content(message.body)
    return email


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(0.0, float(value.strip()))
    except ValueError:
        return None  # an HTTP-date: fall back to our own backoff rather than read the clock


def _scrub(value: object, secret: str | None) -> str:
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    if secret:
        text = text.replace(secret, "<secret>")
    return text.strip()[:200]
