"""Delivering a message through its channel, with retries, within a deadline.

Transient failures (network errors, timeouts, HTTP 5xx, HTTP 429, Slack's ``ratelimited``, SMTP
4xx replies) are retried with exponential backoff; a 429 waits as long as its ``Retry-After``
says. Each attempt has the channel's ``timeout`` as a wall-clock deadline, and a message gets at
most ``SEND_LIMIT`` seconds in all, retries and waits included. A message that still fails raises
``DeliveryFailed`` with a reason fit to show: every form of every secret (the webhook URL and each
part of it, the bot token, the SMTP password, also base64-encoded) is masked in what a server
said, and control characters escaped.

A channel that cannot work (its secret is missing or is not a valid URL, Slack refused its token)
or that stopped answering is remembered by the sender: its later messages fail at once, and the
other channels go on. A Web API method the token has no scope for is remembered alike, so its
error (naming the scope to add) is reported once, and the channel's other methods go on.
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

from oncall.notify import http, slackapi, smtp
from oncall.notify.messages import Message
from oncall.notify.settings import Channel, EmailChannel, SlackApiChannel, SlackChannel, is_loopback
from oncall.redact import peer_text
from oncall.times import from_epoch

MAX_ATTEMPTS = 4
MAX_WAIT = 60.0  # seconds; a longer Retry-After is reported instead of waited for
SEND_LIMIT = 60.0  # seconds for one message, every attempt and wait included


class DeliveryFailed(Exception):
    """A message could not be delivered; ``str()`` says why, without secrets.

    ``channel_down``: the channel itself is unusable for now (not just this message).
    """

    def __init__(self, reason: str, *, channel_down: bool = False) -> None:
        super().__init__(reason)
        self.channel_down = channel_down


class Sender(Protocol):
    def send(self, message: Message) -> None:
        """Deliver ``message`` or raise ``DeliveryFailed``."""


class _Refused(Exception):
    """Slack refused a method for want of a scope or permission: every later call of it in this run
    would be refused alike."""


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
        request: Callable[..., http.HttpResponse] = http.post,
        mail: Callable[[EmailChannel, EmailMessage, str | None, float], None] = smtp.send_mail,
        sleep: Callable[[float], None] = time.sleep,
        attempts: int = MAX_ATTEMPTS,
        backoff: float = 1.0,
        send_limit: float = SEND_LIMIT,
    ) -> None:
        self.channels = channels
        self.secret = secret
        self.post = post
        self.request = request
        self.mail = mail
        self.sleep = sleep
        self.attempts = attempts
        self.backoff = backoff
        self.send_limit = send_limit
        self.down: dict[str, str] = {}  # channel -> why it is not tried again in this run
        self.refused: dict[tuple[str, str], str] = {}  # (channel, Web API method) -> the same, for scopes

    def send(self, message: Message) -> None:
        channel = self.channels.get(message.channel)
        if channel is None:
            raise DeliveryFailed(f"no channel {message.channel!r} in oncall.yaml")
        if message.channel in self.down:
            raise DeliveryFailed(f"not tried: {self.down[message.channel]}", channel_down=True)
        method = slackapi.call_for(message).method if isinstance(channel, SlackApiChannel) else ""
        if (message.channel, method) in self.refused:
            raise DeliveryFailed(f"not tried: {self.refused[message.channel, method]}")
        known: list[str] = []  # secret values handed to this channel, masked in every reason
        try:
            self._attempts(channel, message, known)
        except _Refused as exc:
            self.refused[message.channel, method] = f"Slack refused {method} through {message.channel} earlier " \
                                                    "in this run (see the error above)"
            raise DeliveryFailed(str(exc)) from None
        except DeliveryFailed as exc:
            if exc.channel_down:
                self.down[message.channel] = f"channel {message.channel} failed earlier in this run ({exc})"
            raise
        except Exception as exc:  # a bug or an unforeseen library error: this message fails, the run goes on
            raise DeliveryFailed(f"could not be sent ({type(exc).__name__}: {peer_text(exc, known)})") from None

    def _attempts(self, channel: Channel, message: Message, known: list[str]) -> None:
        started = time.monotonic()
        attempt = 0
        while True:
            attempt += 1
            left = self.send_limit - (time.monotonic() - started)
            try:
                if isinstance(channel, SlackChannel):
                    self._slack(channel, message, min(channel.timeout, left), known)
                elif isinstance(channel, SlackApiChannel):
                    self._slack_api(channel, message, min(channel.timeout, left), known)
                else:
                    self._email(channel, message, min(channel.timeout, left), known)
                return
            except _Transient as exc:
                wait = exc.wait if exc.wait is not None else min(self.backoff * 2 ** (attempt - 1), 30.0)
                left = self.send_limit - (time.monotonic() - started)
                if attempt >= self.attempts or wait >= left:
                    raise DeliveryFailed(f"{exc.reason}; gave up after {attempt} attempt{'s' * (attempt > 1)}",
                                         channel_down=True) from None
                self.sleep(wait)

    def _read_secret(self, name: str, what: str) -> str:
        try:
            value = self.secret(name)
        except Exception as exc:  # the keyring backend's own errors; never carry a value
            raise DeliveryFailed(f"cannot read secret {name!r} ({what}) from the keyring: {type(exc).__name__}",
                                 channel_down=True) from None
        if not value:
            raise DeliveryFailed(
                f"secret {name!r} ({what}) is not in the keyring; store it with `oncall secret set {name}`",
                channel_down=True,
            )
        return value

    def _slack(self, channel: SlackChannel, message: Message, timeout: float, known: list[str]) -> None:
        url = self._read_secret(channel.webhook_secret, "the Slack webhook URL").strip()
        known.append(url)
        not_a_url = DeliveryFailed(
            f"secret {channel.webhook_secret!r} does not hold a valid https:// webhook URL; store the URL Slack "
            f"gave you with `oncall secret set {channel.webhook_secret}`", channel_down=True)
        try:
            http.check_url(url, "the Slack webhook", (url,))
        except http.BadUrl as exc:
            raise DeliveryFailed(f"{not_a_url} ({exc})", channel_down=True) from None
        if not (url.startswith("https://") or (url.startswith("http://") and _loopback(url))):
            raise not_a_url
        try:
            response = self.post(url, {"text": message.slack_text()}, timeout)
        except http.BadUrl as exc:
            raise DeliveryFailed(f"{not_a_url} ({exc})", channel_down=True) from None
        except http.NetTimeout:
            raise _Transient(f"Slack did not answer within {timeout:g}s") from None
        except (http.NetError, OSError) as exc:
            raise _Transient(f"cannot reach Slack: {peer_text(exc, known)}") from None
        if 200 <= response.status < 300:
            return
        body = peer_text(response.body, known)
        if response.status == 429:
            wait = _retry_after(response.retry_after)
            if wait is not None and wait > MAX_WAIT:
                raise DeliveryFailed(f"Slack rate-limited the webhook for {wait:.0f}s (429)", channel_down=True)
            raise _Transient("Slack answered 429 (rate limited)", wait)
        if response.status >= 500:
            raise _Transient(f"Slack answered {response.status} {body}".strip())
        raise DeliveryFailed(f"Slack answered {response.status} {body}".strip())

    def _slack_api(self, channel: SlackApiChannel, message: Message, timeout: float, known: list[str]) -> None:
        token = self._read_secret(channel.token_secret, "the Slack bot token").strip()
        known.append(token)
        if not message.to:
            raise DeliveryFailed(f"nowhere to post: give channel {channel.name} a `to:` channel id (C0...) in "
                                 "oncall.yaml", channel_down=True)
        call = slackapi.call_for(message)
        body = http.encode(call.payload, call.content_type)
        try:
            response = self.request(channel.api_url + call.method, body, call.content_type,
                                    {"Authorization": f"Bearer {token}"}, timeout, f"Slack {call.method}", (token,))
        except http.BadUrl as exc:
            raise DeliveryFailed(f"api_url of channel {channel.name} cannot be used ({peer_text(exc, known)})",
                                 channel_down=True) from None
        except http.NetTimeout:
            raise _Transient(f"Slack did not answer {call.method} within {timeout:g}s") from None
        except (http.NetError, OSError) as exc:
            raise _Transient(f"cannot reach Slack: {peer_text(exc, known)}") from None
        if response.status == 429:
            wait = _retry_after(response.retry_after)
            if wait is not None and wait > MAX_WAIT:
                raise DeliveryFailed(f"Slack rate-limited {call.method} for {wait:.0f}s (429); the next run tries again",
                                     channel_down=True)
            raise _Transient(f"Slack rate-limited {call.method} (429)", wait)
        if response.status >= 500:
            raise _Transient(f"Slack answered {response.status} to {call.method}")
        reply = slackapi.read_reply(response.body) if response.status == 200 else None
        if reply is None:
            shown = peer_text(response.body, known, limit=120)
            raise DeliveryFailed(f"Slack answered {response.status} to {call.method} without its JSON reply "
                                 f"({shown or 'an empty body'}); check api_url of channel {channel.name}")
        if reply.ok:
            return
        reply = slackapi.Reply(False, peer_text(reply.error, known, limit=80), peer_text(reply.needed, known, limit=120))
        if reply.error == "ratelimited":
            raise _Transient(f"Slack rate-limited {call.method}", _retry_after(response.retry_after))
        reason = slackapi.explain(call, reply, channel.token_secret)
        if reply.error in slackapi.BAD_TOKEN:
            raise DeliveryFailed(reason, channel_down=True)
        if reply.error in slackapi.SCOPE_ERRORS:
            raise _Refused(reason)
        raise DeliveryFailed(reason)

    def _email(self, channel: EmailChannel, message: Message, timeout: float, known: list[str]) -> None:
        password = None
        if channel.password_secret:
            password = self._read_secret(channel.password_secret, "the SMTP password")
            known.append(password)
        server = f"{channel.host}:{channel.port}"
        try:
            self.mail(channel, compose(channel, message), password, timeout)
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryFailed(f"{server} refused the login for {channel.username!r} ({exc.smtp_code})",
                                 channel_down=True) from None
        except smtplib.SMTPNotSupportedError:
            raise DeliveryFailed(f"{server} does not offer {channel.security.upper()}; check security: in oncall.yaml",
                                 channel_down=True) from None
        except smtplib.SMTPRecipientsRefused as exc:
            refused = ", ".join(sorted(exc.recipients))
            raise DeliveryFailed(f"{server} refused the recipients {peer_text(refused, known)}") from None
        except smtplib.SMTPResponseException as exc:
            reason = f"{server} answered {exc.smtp_code} {peer_text(exc.smtp_error, known)}"
            if 400 <= exc.smtp_code < 500:
                raise _Transient(reason) from None
            raise DeliveryFailed(reason) from None
        except ssl.SSLCertVerificationError as exc:
            raise DeliveryFailed(
                f"{server}: the certificate is not trusted ({peer_text(exc.verify_message, known)}); "
                "set ca_file: in oncall.yaml", channel_down=True,
            ) from None
        except TimeoutError:
            raise _Transient(f"{server} did not answer within {timeout:g}s") from None
        except (smtplib.SMTPException, OSError) as exc:
            raise _Transient(f"{server}: {peer_text(exc, known)}") from None


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


def _loopback(url: str) -> bool:
    try:
        return is_loopback(url)
    except ValueError:
        return False


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(0.0, float(value.strip()))
    except ValueError:
        return None  # an HTTP-date: fall back to our own backoff rather than read the clock
