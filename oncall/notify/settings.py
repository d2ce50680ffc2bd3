"""The ``notify:`` section of ``oncall.yaml``, as the notify code uses it.

The file is read and checked with the other config files (``oncall.config.settings``); the
settings are model data (``oncall.model.NotifySettings`` and its channels), re-exported here.
Every problem is located by ``file:line``; unknown keys are warnings, bad values are errors.
"""

from __future__ import annotations

from oncall.config.format import SECURITY_MODES
from oncall.config.settings import DEFAULT_PORTS, FILE_NAME, is_loopback
from oncall.errors import ConfigErrors, Problem
from oncall.model import (
    DEFAULT_CATCH_UP,
    DEFAULT_LOOKBACK,
    DEFAULT_REMIND_BEFORE,
    Channel,
    Digest,
    EmailChannel,
    NotifySettings,
    Org,
    ScheduleRoute,
    SlackApiChannel,
    SlackChannel,
    SlackTopic,
)

SETTINGS_FILE = FILE_NAME

__all__ = [
    "DEFAULT_CATCH_UP", "DEFAULT_LOOKBACK", "DEFAULT_PORTS", "DEFAULT_REMIND_BEFORE", "SECURITY_MODES",
    "SETTINGS_FILE", "Channel", "Digest", "EmailChannel", "NotifySettings", "ScheduleRoute", "SlackApiChannel",
    "SlackChannel", "SlackTopic", "is_loopback",
    "load_settings", "settings_or_raise",
]


def load_settings(org: Org) -> tuple[NotifySettings, list[Problem]]:
    """The ``notify:`` settings of ``org`` and every problem oncall.yaml has (errors and warnings)."""
    return org.settings.notify, list(org.settings.problems)


def settings_or_raise(org: Org) -> tuple[NotifySettings, list[Problem]]:
    """Like ``load_settings`` but raises ``ConfigErrors`` on errors; returns warnings."""
    settings, problems = load_settings(org)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ConfigErrors(errors)
    return settings, [p for p in problems if p.severity != "error"]
