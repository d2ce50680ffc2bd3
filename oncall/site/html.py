"""The HTML every page shares: escaping, how times and lengths read, links, the page frame.

Times are written in a named zone (the schedule's or the person's) and wrapped in
``<time datetime=...>`` so the exact instant is always in the markup.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from functools import lru_cache
from urllib.parse import quote

from oncall import __version__
from oncall.model import Reason, describe_reasons
from oncall.times import day_text, zone

NAV = (("index.html", "Now"), ("schedules/index.html", "Timelines"), ("people/index.html", "People"),
       ("readiness.html", "Readiness"), ("feeds/index.html", "Calendars"))

# No request may leave the site: scripts, styles and images come from the site itself.
_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "base-uri 'none'; form-action 'none'")


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def page_file(folder: str, ident: str) -> str:
    """The file name of a schedule's or person's page, relative to the site's root."""
    return f"{folder}/{ident}.html"


def href(up: str, path: str) -> str:
    """A link from a page ``up`` levels below the root ("" or "../") to ``path``."""
    return esc(up + quote(path))


def machine_time(t: int) -> str:
    """The instant in UTC for ``<time datetime>``: ``2026-12-07T14:00Z`` (seconds only when set)."""
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%SZ" if t % 60 else "%Y-%m-%dT%H:%MZ")


@lru_cache(maxsize=1 << 16)  # a handoff is shown as one shift's end and the next one's start, on several pages
def when(t: int, tz_name: str, *, zone_name: bool = True) -> str:
    """``Mon 7 Dec 09:00 EST`` in ``tz_name``, inside a ``<time>`` carrying the exact instant."""
    text = day_text(t, zone(tz_name), year=False, zone_name=zone_name)
    return f'<time datetime="{machine_time(t)}">{esc(text)}</time>'


def long_day(local: datetime) -> str:
    """``Mon 7 Dec 2026``."""
    return f"{local:%a} {local.day} {local:%b} {local.year}"


def length(seconds: int) -> str:
    """``3d 4h``, ``8h 30m``, ``45m``: whole minutes, the two largest units."""
    minutes = max(seconds, 0) // 60
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    parts = [f"{n}{u}" for n, u in ((days, "d"), (hours, "h"), (mins, "m")) if n]
    return " ".join(parts[:2]) or "0m"


def frame(*, title: str, up: str, current: str, body: str, built: int, window: tuple[int, int],
          scripts: tuple[str, ...] = ("site.js",)) -> str:
    """A whole page: head (no external assets), the navigation, ``body`` as the main content and a
    footer saying when the page was built and which shifts it knows."""
    links = []
    for path, label in NAV:
        here = ' aria-current="page"' if path == current else ""
        links.append(f'<li><a href="{href(up, path)}"{here}>{label}</a></li>')
    script_tags = "".join(f'<script src="{href(up, "assets/" + name)}" defer></script>' for name in scripts)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="oncall {esc(__version__)}">
<title>{esc(title)} · On call</title>
<link rel="stylesheet" href="{href(up, "assets/site.css")}">
{script_tags}
</head>
<body>
<a class="skip" href="#main">Skip to the content</a>
<header>
<p class="brand"><a href="{href(up, "index.html")}">On call</a></p>
<nav aria-label="Site"><ul>{"".join(links)}</ul></nav>
</header>
<main id="main">
{body}
</main>
<footer>
<p>Built {when(built, "UTC")} by oncall {esc(__version__)} from the team's schedules.
This site knows shifts from {when(window[0], "UTC")} until {when(window[1], "UTC")}.</p>
</footer>
</body>
</html>
"""



def why(reasons: Iterable[Reason], names: Mapping[str, str]) -> str:
    """A shift's reasons in the words the whole product uses (``layer weekly; covering Bob Okafor's
    time off``), with people's display names."""
    return describe_reasons(reasons, lambda person: names.get(person, person))


def table(caption: str, columns: list[str], rows: list[str], *, cls: str = "", empty: str = "None.") -> str:
    """A data table with a caption and column headers, inside a region that scrolls sideways on
    its own when the table is wider than the screen (the page itself never does).

    ``caption`` is HTML; ``rows`` are whole ``<tr>`` elements.
    """
    head = "".join(f'<th scope="col">{c}</th>' for c in columns)
    body = "\n".join(rows) or f'<tr><td colspan="{len(columns)}">{empty}</td></tr>'
    klass = f' class="{cls}"' if cls else ""
    return (f'<div class="scroll" role="region" tabindex="0" aria-label="{esc(_strip_tags(caption))}">\n'
            f"<table{klass}>\n<caption>{caption}</caption>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n"
            "</tbody>\n</table>\n</div>")


def _strip_tags(markup: str) -> str:
    import re

    return html.unescape(re.sub(r"<[^>]+>", "", markup))
