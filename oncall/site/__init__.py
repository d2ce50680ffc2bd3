"""A static web site of the team's on-call: who is on call now, timelines, people, readiness.

``build_site`` writes it into a folder that any static host serves (or that opens from disk);
``docs/guides/site.md`` describes the pages and how to publish them.
"""

from __future__ import annotations

from oncall.site.build import SiteReport, build_site, default_window
from oncall.site.readiness import Board, ReadinessEntry

__all__ = ["Board", "ReadinessEntry", "SiteReport", "build_site", "default_window"]
