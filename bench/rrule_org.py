"""The same rotations written as RRULE events, expanded with ``recurring-ical-events``.

This is how RRULE-based schedulers store a rotation: one recurring event per person per layer
(turn i of n repeats every n turns), restricted layers as one recurring event per window day,
overrides as single events. Expanding a year of them is the work those tools do to answer
"who is on call"; ``bench/run.py`` times it beside ``oncall``'s engine on the same org.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from oncall.engine.turns import LayerClock
from oncall.model import Org
from oncall.times import from_epoch

_BYDAY = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def build_calendar(org: Org):  # -> icalendar.Calendar
    """One VCALENDAR holding every layer of every schedule as recurring events."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//oncall bench//rrule//EN")
    cal.add("version", "2.0")
    for schedule in org.schedules.values():
        tz = schedule.tz
        for layer in schedule.layers:
            clock = LayerClock(layer, tz)
            n = len(layer.people)
            unit = {"h": "HOURLY", "d": "DAILY", "w": "WEEKLY"}[layer.every.unit]
            for i, person in enumerate(layer.people):
                first = from_epoch(clock.turn_start(i), tz)
                if layer.only:
                    for w_index, window in enumerate(layer.only):
                        event = Event()
                        event.add("uid", f"{schedule.id}-{layer.name}-{i}-{w_index}@bench")
                        event.add("summary", person)
                        day = first.replace(hour=0, minute=0, second=0) + timedelta(minutes=window.start)
                        event.add("dtstart", day)
                        event.add("duration", timedelta(minutes=window.length))
                        rule = {"freq": unit, "interval": n * layer.every.count}
                        if len(window.days) < 7:
                            rule["byday"] = [_BYDAY[d] for d in sorted(window.days)]
                        event.add("rrule", rule)
                        cal.add_component(event)
                else:
                    event = Event()
                    event.add("uid", f"{schedule.id}-{layer.name}-{i}@bench")
                    event.add("summary", person)
                    event.add("dtstart", first)
                    event.add("duration", layer.every.timedelta())
                    event.add("rrule", {"freq": unit, "interval": n * layer.every.count})
                    cal.add_component(event)
        for j, override in enumerate(schedule.overrides):
            event = Event()
            event.add("uid", f"{schedule.id}-override-{j}@bench")
            event.add("summary", override.person)
            event.add("dtstart", datetime.fromtimestamp(override.start, UTC))
            event.add("dtend", datetime.fromtimestamp(override.end, UTC))
            cal.add_component(event)
    return cal


def expand(cal, start: int, end: int) -> int:
    """Expand every occurrence in ``[start, end)``; returns how many there are."""
    import recurring_ical_events

    return len(recurring_ical_events.of(cal).between(from_epoch(start), from_epoch(end)))
