"""The site's pages as HTML text: Now, the timelines, the people, readiness.

Every page reads well with JavaScript off. The Now page carries the window's shifts
(``assets/data.js``) so that its script can answer "who is on call now" in the reader's browser
and time zone; without the script it shows the answer of the moment the site was built.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from oncall.engine import OnCall
from oncall.model import Checklist
from oncall.site import svg
from oncall.site.html import esc, frame, href, length, long_day, page_file, table, when, why
from oncall.site.readiness import STATUS, Board, Status, fixes, upcoming
from oncall.site.views import ScheduleView, Segment


@dataclass
class Site:
    """What every page may refer to."""

    views: list[ScheduleView]
    names: dict[str, str]  # person id -> display name
    zones: dict[str, str]  # person id -> time zone
    built: int
    window: tuple[int, int]
    feeds: Mapping[str, tuple[str, str | None]]  # "person-<id>"/"schedule-<id>" -> (link, webcal link)

    def person_link(self, person: str, up: str) -> str:
        name = self.names.get(person, person)
        return f'<a class="person" href="{href(up, page_file("people", person))}">{esc(name)}</a>'

    def feed_links(self, key: str, up: str, what: str, *, compact: bool = False) -> str:
        """The one-click ``webcal://`` link (with a base URL) and the feed's own link."""
        link, webcal = self.feeds[key]
        url = link if "://" in link else up + link
        parts = []
        if webcal:
            text = "Subscribe" if compact else f"Subscribe to {esc(what)} in your calendar app"
            parts.append(f'<a class="subscribe" href="{esc(webcal)}">{text}</a>')
        feed = f'<a class="feed" href="{esc(url)}" type="text/calendar">{esc(link.rsplit("/", 1)[-1])}</a>'
        parts.append(feed if compact else f"Calendar feed: {feed}")
        return " · ".join(parts)


# --- Now -------------------------------------------------------------------------------------

def now_page(site: Site, answers: Mapping[str, OnCall]) -> str:
    lo, hi = site.window
    cards = "\n".join(_card(site, view, answers[view.id]) for view in site.views)
    body = f"""<h1>Who is on call</h1>
<p id="asof" class="asof">As of {when(site.built, "UTC")}, when this page was built.<noscript>
JavaScript is off, so this page shows the answer of that moment.</noscript></p>
<p id="horizon" class="horizon" data-from="{lo}" data-to="{hi}">This page knows shifts until {when(hi, "UTC")};
rebuild it to see further.</p>
<div class="cards">
{cards or "<p>No schedules.</p>"}
</div>"""
    return frame(title="Now", up="", current="index.html", body=body, built=site.built, window=site.window,
                 scripts=("data.js", "site.js"))


def _card(site: Site, view: ScheduleView, answer: OnCall) -> str:
    """A schedule's answer at build time. The page's script fills the same slots for "now"."""
    tz = view.timezone
    on = answer.person is not None
    since = answer.start if on else answer.gap_start
    until = answer.end if on else answer.gap_end
    hide_on, hide_gap = ("", " hidden") if on else (" hidden", "")
    person = site.person_link(answer.person, "") if answer.person else ""
    if answer.next_person and answer.next_start is not None:
        following = f'{site.person_link(answer.next_person, "")} from {when(answer.next_start, tz)}'
    else:
        following = "nobody scheduled"
    gap = _next_gap(view.segments, site.built)
    gap_text = (f"{when(gap.start, tz)} – {when(gap.end, tz)} ({length(gap.end - gap.start)})" if gap
                else f"none until {when(site.window[1], tz)}")
    return f"""<article class="card" data-schedule="{esc(view.id)}" aria-labelledby="s-{esc(view.id)}">
<h2 id="s-{esc(view.id)}"><a href="{href("", page_file("schedules", view.id))}">{esc(view.name)}</a></h2>
<p class="who"><span data-show="on"{hide_on}>On call: <span data-slot="person">{person}</span></span>\
<strong class="nobody" data-show="gap"{hide_gap}>Nobody is on call</strong>\
<span class="unknown" data-show="unknown" hidden>Not known: this page holds no shifts for this moment</span></p>
<dl>
<div data-show="on gap"><dt>Since</dt><dd data-slot="since">{_at(since, tz)}</dd></div>
<div data-show="on gap"><dt>Until</dt><dd data-slot="until">{_at(until, tz)}</dd></div>
<div data-show="on gap"><dt>Next</dt><dd data-slot="next">{following}</dd></div>
<div data-show="on gap"><dt>Next gap</dt><dd data-slot="gap" class="{"gap" if gap else ""}">{gap_text}</dd></div>
</dl>
</article>"""


def _at(t: int | None, tz: str) -> str:
    return when(t, tz) if t is not None else "not known"


def _next_gap(segments: Sequence[Segment], after: int) -> Segment | None:
    """The first gap that starts after ``after``."""
    return next((s for s in segments if s.is_gap and s.start > after), None)


def now_data(site: Site) -> str:
    """``assets/data.js``: the window's shifts, compactly, for the Now page's script.

    Per schedule: ``t`` the segment boundaries (the first absolute, then differences, in seconds),
    ``p`` each segment's person as an index into ``people`` (-1: nobody), ``lo``/``hi`` when the
    first and last segments really start and end, ``after`` who follows the last one, and when.
    """
    people = sorted({s.person for v in site.views for s in v.segments if s.person}
                    | {v.after[0] for v in site.views if v.after})
    index = {p: i for i, p in enumerate(people)}
    schedules = []
    for view in site.views:
        bounds = [view.segments[0].start] if view.segments else [site.window[0]]
        bounds += [s.end for s in view.segments]
        schedules.append({
            "id": view.id, "tz": view.timezone,
            "t": [bounds[0]] + [b - a for a, b in zip(bounds, bounds[1:], strict=False)],
            "p": [index[s.person] if s.person else -1 for s in view.segments],
            "lo": view.lead, "hi": view.tail,
            "after": [index[view.after[0]], view.after[1]] if view.after else None,
        })
    data = {
        "built": site.built, "from": site.window[0], "to": site.window[1],
        "people": [[p, site.names.get(p, p), page_file("people", p)] for p in people],
        "schedules": schedules,
    }
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=True)
    return f"window.ONCALL_DATA={text};\n"


# --- Timelines -------------------------------------------------------------------------------

def schedules_page(site: Site, answers: Mapping[str, OnCall]) -> str:
    rows = []
    for view in site.views:
        answer = answers[view.id]
        who = site.person_link(answer.person, "../") if answer.person else '<span class="nobody">nobody</span>'
        rows.append(
            f'<tr><th scope="row"><a href="{href("../", page_file("schedules", view.id))}">{esc(view.name)}</a>'
            f"<br><code>{esc(view.id)}</code></th><td>{esc(view.timezone)}</td><td>{who}</td>"
            f'<td>{site.feed_links("schedule-" + view.id, "../", "this schedule", compact=True)}</td></tr>'
        )
    caption = f"Every schedule; on call as of {when(site.built, 'UTC')}, when this site was built"
    body = "<h1>Timelines</h1>\n" + table(caption, ["Schedule", "Time zone", "On call", "Calendar feed"], rows,
                                          empty="No schedules.")
    return frame(title="Timelines", up="../", current="schedules/index.html", body=body, built=site.built,
                 window=site.window)


LEGEND = """<ul class="legend">
<li><svg width="28" height="14" aria-hidden="true"><rect class="sw p0" width="28" height="14"/></svg> a layer's own turn</li>
<li><svg width="28" height="14" aria-hidden="true"><rect class="sw p0" width="28" height="14"/>\
<rect width="28" height="14" fill="url(#hatch)"/></svg> override</li>
<li><svg width="28" height="14" aria-hidden="true"><rect class="sw p0 cov" width="28" height="14"/></svg> \
covering someone (time off, or on call in an avoided schedule)</li>
<li><svg width="28" height="14" aria-hidden="true"><rect class="sw p0 hol" width="28" height="14"/></svg> \
covering someone's public holiday</li>
<li><svg width="28" height="14" aria-hidden="true"><rect width="28" height="14" fill="url(#gaps)"/></svg> \
nobody on call (a gap)</li>
<li><svg width="28" height="14" aria-hidden="true"><rect width="28" height="14" fill="url(#outside)"/></svg> \
outside the shifts this site holds</li>
<li><svg width="28" height="14" aria-hidden="true"><line class="now" x1="14" x2="14" y1="0" y2="14"/></svg> now</li>
</ul>"""


def timeline_page(site: Site, view: ScheduleView, week: tuple[int, int]) -> str:
    tz = view.timezone
    lo, hi = site.window
    days = svg.local_days(tz, lo, hi)
    week_days = svg.local_days(tz, week[0], week[1])
    lanes = ", ".join(esc(name) for name, _ in view.lanes)
    checklist = f" Before a shift: checklist <code>{esc(view.checklist)}</code>." if view.checklist else ""
    body = f"""{svg.DEFS}
<h1>{esc(view.name)}</h1>
<p>Times are in {esc(tz)}.{checklist} {site.feed_links("schedule-" + view.id, "../", "this schedule")}</p>
{LEGEND}
<section aria-labelledby="week-h">
<h2 id="week-h">Seven days from {esc(long_day(week_days[0].midnight))}</h2>
<p>Each day shows who is on call (the result), and below it what each layer gives on its own
({lanes}): a later layer wins over an earlier one, overrides win over every layer.</p>
{svg.week_view(view, site.names, site.window, week, site.built, "week-h")}
</section>
<section aria-labelledby="month-h">
<h2 id="month-h">{esc(long_day(days[0].midnight))} – {esc(long_day(days[-1].midnight))}</h2>
<p>Every day this site holds shifts for. The same shifts are listed in the table below.</p>
{svg.month_view(view, site.names, site.window, site.built, "month-h")}
</section>
<section aria-labelledby="shifts-h">
<h2 id="shifts-h">Shifts and gaps</h2>
{_shift_table(site, view)}
</section>"""
    return frame(title=view.name, up="../", current="schedules/index.html", body=body, built=site.built,
                 window=site.window)


def _shift_table(site: Site, view: ScheduleView) -> str:
    """The window's shifts and gaps as ``oncall schedule generate`` lists them (cut at the window's
    edges), with the real handoff beside a cut."""
    tz = view.timezone
    rows = []
    for s in view.segments:
        start, end = when(s.start, tz), when(s.end, tz)
        if s.whole_start is not None and s.whole_start < s.start:
            start += f'<br><small class="whole">since {when(s.whole_start, tz)}</small>'
        if s.whole_end is not None and s.whole_end > s.end:
            end += f'<br><small class="whole">until {when(s.whole_end, tz)}</small>'
        if s.person is None:
            rows.append(f'<tr class="gap" data-p=""><td>{start}</td><td>{end}</td>'
                        f'<td><strong class="nobody">Nobody</strong></td><td>{length(s.end - s.start)}</td>'
                        "<td>gap</td></tr>")
        else:
            rows.append(f'<tr data-p="{esc(s.person)}"><td>{start}</td><td>{end}</td>'
                        f'<td>{site.person_link(s.person, "../")}</td><td>{length(s.end - s.start)}</td>'
                        f"<td>{esc(why(s.reasons, site.names))}</td></tr>")
    caption = f"Every shift and gap from {when(site.window[0], tz)} to {when(site.window[1], tz)}, cut at those edges"
    return table(caption, ["From", "To", "On call", "Length", "Why"], rows, cls="shifts")


# --- People ----------------------------------------------------------------------------------

def people_page(site: Site, shifts: Mapping[str, list[tuple[str, Segment]]]) -> str:
    rows = []
    for person in sorted(site.names, key=lambda p: (site.names[p].lower(), p)):
        tz = site.zones[person]
        coming = [(sid, s) for sid, s in shifts.get(person, []) if s.end > site.built]
        if coming:
            sid, first = coming[0]
            nxt = f"{esc(_schedule_name(site, sid))}, {when(first.start, tz)}"
        else:
            nxt = "none in this site's window"
        rows.append(f"<tr><th scope=\"row\">{site.person_link(person, '../')}<br><code>{esc(person)}</code></th>"
                    f"<td>{esc(tz)}</td><td>{nxt}</td></tr>")
    caption = "Everyone in the team's schedules, with their next shift (in their own time zone)"
    body = "<h1>People</h1>\n" + table(caption, ["Name", "Time zone", "Next shift"], rows, empty="Nobody.")
    return frame(title="People", up="../", current="people/index.html", body=body, built=site.built,
                 window=site.window)


def person_page(site: Site, person: str, shifts: list[tuple[str, Segment]]) -> str:
    tz = site.zones[person]
    name = site.names[person]
    coming = [(sid, s) for sid, s in shifts if s.end > site.built]
    rows = []
    for sid, s in coming:  # whole shifts: the real handoffs, also where the window cuts one
        link = f'<a href="{href("../", page_file("schedules", sid))}">{esc(_schedule_name(site, sid))}</a>'
        start = s.whole_start if s.whole_start is not None else s.start
        end = s.whole_end if s.whole_end is not None else s.end
        rows.append(f"<tr><td>{link}</td><td>{when(start, tz)}</td><td>{when(end, tz)}</td>"
                    f"<td>{length(end - start)}</td><td>{esc(why(s.reasons, site.names))}</td></tr>")
    caption = f"{esc(name)}'s shifts from {when(site.built, tz)} until {when(site.window[1], tz)}"
    shifts_table = (table(caption, ["Schedule", "From", "To", "Length", "Why"], rows, cls="shifts") if rows
                    else f"<p>No shifts from {when(site.built, tz)} until {when(site.window[1], tz)}.</p>")
    link, webcal = site.feeds["person-" + person]
    how = ("<em>Subscribe</em> opens your calendar app; it then refreshes the feed by itself." if webcal
           else "Copy the feed's link into your calendar app's &ldquo;subscribe from URL&rdquo; dialog "
                "once the site is served.")
    body = f"""<h1>{esc(name)}</h1>
<p>Id <code>{esc(person)}</code>. Times are in {esc(tz)}.</p>
<section aria-labelledby="cal-h">
<h2 id="cal-h">Your shifts in your calendar</h2>
<p>{site.feed_links("person-" + person, "../", "these shifts")}</p>
<p>{how}</p>
</section>
<section aria-labelledby="next-h">
<h2 id="next-h">Next shifts</h2>
{shifts_table}
</section>"""
    return frame(title=name, up="../", current="people/index.html", body=body, built=site.built, window=site.window)


def _schedule_name(site: Site, sid: str) -> str:
    return next((v.name for v in site.views if v.id == sid), sid)


# --- Readiness -------------------------------------------------------------------------------

def readiness_page(site: Site, board: Board | None, checklists: Mapping[str, Checklist]) -> str:
    if board is None:
        content = """<p class="empty">No shared readiness results. When the team shares the results of
<code>oncall ready</code> (<code>readiness: {share: git}</code> in <code>oncall.yaml</code>), this page shows
every upcoming shift, whether its person is ready, and how to fix what fails.</p>"""
    else:
        content = _board_intro(site, board) + _board_table(site, board, checklists)
    body = f"<h1>Readiness</h1>\n{content}"
    return frame(title="Readiness", up="", current="readiness.html", body=body, built=site.built, window=site.window)


def _board_intro(site: Site, board: Board) -> str:
    """Where the board came from, what went wrong getting it, and its tally."""
    if board.within is not None:
        source = (f"Shifts under way or starting within {length(board.within)} of {when(site.built, 'UTC')}, "
                  f"when this page was built, with each person's readiness from {esc(board.origin)}.")
    else:
        source = f"The readiness board from {esc(board.origin)}, as <code>oncall ready status</code> made it."
    parts = [f'<p class="asof">{source}</p>']
    parts += [f'<p class="problem"><strong>Warning:</strong> {esc(w)}</p>' for w in board.warnings]
    counts = {status: sum(1 for e in board.entries if e.status == status) for status in STATUS}
    tally = [f"{STATUS[status].label}: {n}" for status, n in counts.items() if n]
    if tally:
        parts.append("<p>" + esc(", ".join(tally)) + ".</p>")
    return "\n".join(parts) + "\n"


def _board_table(site: Site, board: Board, checklists: Mapping[str, Checklist]) -> str:
    rows = upcoming(board.entries)
    if not rows:
        return '<p class="empty">No shifts under way or coming up.</p>'
    lines = []
    for r in rows:
        tz = site.zones.get(r.person, "UTC")
        status = STATUS.get(r.status, Status("unknown", r.status))
        checked = when(r.checked_at, tz) if r.checked_at is not None else "never"
        items = "".join(f"<li><strong>{esc(f.title)}</strong>{': ' + esc(f.fix) if f.fix else ''}</li>"
                        for f in fixes(r, checklists))
        schedule = f'<a href="{href("", page_file("schedules", r.schedule))}">{esc(_schedule_name(site, r.schedule))}</a>'
        checklist = f"<br>checklist <code>{esc(r.checklist)}</code>, checked {checked}" if r.checklist else ""
        lines.append(
            f'<tr class="{status.css}"><td>{site.person_link(r.person, "")}<br>{schedule}<br>'
            f"{when(r.start, tz)} – {when(r.end, tz)}</td>"
            f'<td><strong class="status {status.css}">{esc(status.label)}</strong>'
            f'{"<br>" + esc(r.why) if r.why else ""}{checklist}</td>'
            f"<td>{'<ul>' + items + '</ul>' if items else ''}</td></tr>"
        )
    caption = "Upcoming shifts and whether each person is ready (times in the person's time zone)"
    return table(caption, ["Shift", "Status", "What to fix"], lines, cls="readiness")
