"""Notifications: shift reminders, handoffs and readiness failures to Slack and email.

``run`` sends what is due since the last run, each message once; ``drill`` sends a test message
through each channel. Channels and routing come from the ``notify:`` section of ``oncall.yaml``
(``settings``); secrets come from the keyring; delivery goes through ``deliver`` and its two
transport seams, ``http`` (Slack webhooks) and ``smtp`` (email).
"""

from oncall.notify.deliver import ChannelSender, DeliveryFailed, Sender
from oncall.notify.messages import Message, Readiness
from oncall.notify.run import Outcome, RunReport, drill, run
from oncall.notify.settings import NotifySettings, load_settings
from oncall.notify.state import default_state_dir

__all__ = [
    "ChannelSender", "DeliveryFailed", "Message", "NotifySettings", "Outcome", "Readiness", "RunReport",
    "Sender", "default_state_dir", "drill", "load_settings", "run",
]
