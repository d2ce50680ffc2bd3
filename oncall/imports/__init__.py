"""Importing schedules from PagerDuty, Opsgenie and Grafana OnCall exports.

Each service module reads the JSON its API returns into the same intermediate form
(``oncall.imports.model``): rotations with a handoff anchor, a turn length, members, coverage
bounds and restriction windows. ``oncall.imports.plan`` turns that into schedule files and
people entries, loads the result with the real config loader, and (for ``--check``) compares
what the engine generates with what the service itself rendered.

Anything that cannot be written exactly is collected as an ``Inexact`` item saying what was
written instead; nothing is approximated silently.
"""
