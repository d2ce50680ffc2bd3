"""The one way notify talks SMTP: smtplib over STARTTLS, implicit TLS, or plain (local relays)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from oncall.notify.settings import EmailChannel


def tls_context(channel: EmailChannel) -> ssl.SSLContext:
    """Verify the server's certificate against the system store, or ``ca_file`` when set."""
    return ssl.create_default_context(cafile=str(channel.ca_file) if channel.ca_file else None)


def send_mail(channel: EmailChannel, message: EmailMessage, password: str | None) -> None:
    """Deliver ``message`` through ``channel``'s server; smtplib and socket errors propagate."""
    client: smtplib.SMTP
    if channel.security == "tls":
        client = smtplib.SMTP_SSL(channel.host, channel.port, timeout=channel.timeout, context=tls_context(channel))
    else:
        client = smtplib.SMTP(channel.host, channel.port, timeout=channel.timeout)
    with client:
        client.ehlo()
        if channel.security == "starttls":
            # smtplib raises SMTPNotSupportedError when the server offers no STARTTLS: never
            # fall back to plain text.
            client.starttls(context=tls_context(channel))
            client.ehlo()
        if channel.username:
            client.login(channel.username, password or "")
        client.send_message(message)
