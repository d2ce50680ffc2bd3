"""Fixtures: the real servers of ``servers.py`` and the Slack Web API stand-in of ``slackweb.py``."""

from tests.notify.servers import smtp_plain, smtp_starttls, webhook
from tests.notify.slackweb import slack_api

__all__ = ["slack_api", "smtp_plain", "smtp_starttls", "webhook"]
