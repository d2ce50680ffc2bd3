"""Fixtures: the real servers of ``servers.py``."""

from tests.notify.servers import smtp_plain, smtp_starttls, webhook

__all__ = ["smtp_plain", "smtp_starttls", "webhook"]
