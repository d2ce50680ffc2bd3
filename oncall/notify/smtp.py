"""The one way notify talks SMTP: smtplib over STARTTLS, implicit TLS, or plain (local relays).

The whole conversation (connect, greeting, TLS handshake, login, the message) has one wall-clock
deadline, ``channel.timeout``: a server that answers one byte at a time is cut off when it passes
(``oncall.deadline``), and the send raises ``TimeoutError``.
"""

from __future__ import annotations

import functools
import os
import smtplib
import ssl
from email.message import EmailMessage
from typing import Any, TypeVar

from oncall.deadline import Deadline, Guard, guard
from oncall.notify.settings import EmailChannel

Client = TypeVar("Client", bound=smtplib.SMTP)


def tls_context(channel: EmailChannel) -> ssl.SSLContext:
    """Verify the server's certificate against the system store, or ``ca_file`` when set.

    Made once for each way of trusting servers: making one reads the whole CA store (tens of
    milliseconds), which a run sending thousands of emails would otherwise do for each. A run
    sends one message at a time, so the one context serves them in turn."""
    return _context(str(channel.ca_file) if channel.ca_file else None,
                    os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))


@functools.lru_cache(maxsize=8)
def _context(cafile: str | None, cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    """``cert_file`` and ``cert_dir`` are ``$SSL_CERT_FILE`` and ``$SSL_CERT_DIR``, where OpenSSL
    finds the CA store: a context made before either changed would not trust what they name."""
    return ssl.create_default_context(cafile=cafile)


def send_mail(channel: EmailChannel, message: EmailMessage, password: str | None,
              timeout: float | None = None) -> None:
    """Deliver ``message`` through ``channel``'s server within ``timeout`` seconds (default: the
    channel's); smtplib and socket errors propagate, and running out of time is ``TimeoutError``."""
    deadline = Deadline(channel.timeout if timeout is None else timeout)
    server = f"{channel.host}:{channel.port}"
    with guard(deadline) as g:
        context = g.tls_context(tls_context(channel)) if channel.security != "none" else None
        per_call = max(deadline.remaining(), 0.001)
        client: smtplib.SMTP | None = None
        try:
            # The constructor connects and reads the greeting: the guard must know the client first.
            if channel.security == "tls":
                client = _watched(smtplib.SMTP_SSL, g)(channel.host, channel.port, timeout=per_call, context=context)
            else:
                client = _watched(smtplib.SMTP, g)(channel.host, channel.port, timeout=per_call)
            _converse(client, channel, context, message, password)
        except Exception:
            if client is not None:
                client.close()
            if g.fired:
                raise TimeoutError(f"{server} did not finish within {deadline.seconds:g}s") from None
            raise
        try:
            client.quit()
        except (smtplib.SMTPException, OSError):
            pass  # the message is delivered; a server that hangs up on QUIT changes nothing
        finally:
            client.close()


def _watched(cls: type[Client], g: Guard) -> type[Client]:
    """``cls`` whose socket ``g`` shuts down at its deadline, from the moment the client exists."""

    class Watched(cls):  # type: ignore[valid-type,misc]  # a subclass of the class given
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            g.watch_attribute(lambda: getattr(self, "sock", None))
            super().__init__(*args, **kwargs)

    return Watched


def _converse(client: smtplib.SMTP, channel: EmailChannel, context: ssl.SSLContext | None, message: EmailMessage,
              password: str | None) -> None:
    client.ehlo()
    if channel.security == "starttls":
        # smtplib raises SMTPNotSupportedError when the server offers no STARTTLS: never fall back
        # to plain text.
        client.starttls(context=context)
        client.ehlo()
    if channel.username:
        client.login(channel.username, password or "")
    client.send_message(message)  # returns once the server accepted the message
