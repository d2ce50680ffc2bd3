"""Invariants of the engine over random schedules (hypothesis), with every rotation option: a
layer's own timezone, offset, advance on covered turns, public holidays per country or per
person, and a second schedule that the first may avoid."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from oncall.engine import schedule_timeline, who_at
from oncall.engine.turns import LayerClock
from oncall.holidays import FixedHolidays
from oncall.model import Interval, Layer, Org, Override, Person, Schedule, Window
from oncall.times import Duration, epoch_to_wall, wall_to_epoch, zone

ZONES = ["America/New_York", "Europe/London", "Australia/Sydney", "Australia/Lord_Howe",
         "Asia/Kolkata", "Pacific/Chatham", "UTC"]
POOL = ["a", "b", "c", "d", "e"]
BASE = wall_to_epoch(datetime(2026, 1, 1), zone("UTC"))
SPAN = 2 * 365 * 86400

# Each property test's own bound; no deadline and no too-slow check come from tests/conftest.py.
EXAMPLES = settings(max_examples=60)

walls = st.builds(
    lambda day, minute: datetime(2026, 1, 1) + timedelta(days=day, minutes=minute),
    st.integers(0, 500), st.sampled_from([0, 30, 90, 105, 120, 150, 165, 180, 540, 1020, 1350]),
)
durations = st.one_of(
    st.builds(Duration, st.sampled_from([1, 6, 8, 12, 36]), st.just("h")),
    st.builds(Duration, st.sampled_from([1, 2, 3]), st.just("d")),
    st.builds(Duration, st.sampled_from([1, 2]), st.just("w")),
)
windows = st.builds(
    Window,
    st.frozensets(st.integers(0, 6), min_size=1),
    st.integers(0, 47).map(lambda x: x * 30),
    st.integers(1, 48).map(lambda x: x * 30),
)


@st.composite
def layers(draw, index):
    start = draw(walls)
    end = draw(st.none() | st.integers(1, 400).map(lambda d: start + timedelta(days=d, hours=3)))
    return Layer(
        name=f"layer-{index}",
        people=tuple(draw(st.lists(st.sampled_from(POOL), min_size=1, max_size=4))),
        start=start,
        every=draw(durations),
        end=end,
        only=tuple(draw(st.lists(windows, max_size=2))),
        timezone=draw(st.none() | st.sampled_from(ZONES)),
        offset=draw(st.integers(0, 4)),
        advance=draw(st.sampled_from(["always", "covered"])),
        skip_holidays=draw(st.sampled_from([None, None, "US", "people"])),
    )


def _days(first: str, count: int, step: int) -> list[str]:
    day = datetime.fromisoformat(first)
    return [(day + timedelta(days=i * step)).date().isoformat() for i in range(count)]


# Holidays every 23 (US) and 31 (GB) days over the years the cases cover.
HOLIDAYS = FixedHolidays({"US": _days("2026-01-03", 40, 23), "GB": _days("2026-01-11", 30, 31)})


@st.composite
def spans(draw):
    start = BASE + draw(st.integers(0, SPAN // 3600)) * 3600
    return start, start + draw(st.integers(1, 24 * 20)) * 3600


@st.composite
def cases(draw):
    tz = draw(st.sampled_from(ZONES))
    count = draw(st.integers(1, 3))
    lays = tuple(draw(layers(i + 1)) for i in range(count))
    overrides = tuple(
        Override(draw(st.sampled_from(POOL)), s, e) for s, e in draw(st.lists(spans(), max_size=3))
    )
    people = {
        p: Person(p, p, None, draw(st.sampled_from(ZONES)),
                  tuple(sorted((Interval(s, e) for s, e in draw(st.lists(spans(), max_size=2))), key=lambda i: i.start)),
                  country=draw(st.sampled_from([None, "US", "GB"])))
        for p in POOL
    }
    other = Schedule("t", draw(st.sampled_from(ZONES)), (draw(layers(1)),),
                     overrides=tuple(Override(draw(st.sampled_from(POOL)), s, e) for s, e in draw(st.lists(spans(), max_size=2))))
    sched = Schedule("s", tz, lays, overrides=overrides, avoid=draw(st.sampled_from([(), ("t",)])))
    start = BASE + draw(st.integers(0, SPAN // 900)) * 900
    length = draw(st.integers(1, 60 * 24)) * 3600
    return sched, Org(Path("."), people, {"s": sched, "t": other}, {}, holidays=HOLIDAYS), start, start + length


def pieces(timeline):
    return sorted([(s.start, s.end, s.person) for s in timeline.shifts] + [(g.start, g.end, None) for g in timeline.gaps])


@EXAMPLES
@given(cases())
def test_shifts_and_gaps_tile_the_window(case):
    sched, people, start, end = case
    tiles = pieces(schedule_timeline(people, sched, start, end))
    assert tiles[0][0] == start and tiles[-1][1] == end
    for (s1, e1, p1), (s2, _e2, p2) in zip(tiles, tiles[1:], strict=False):
        assert s1 < e1 and e1 == s2, "tiles overlap or leave a hole"
        assert p1 != p2, "touching pieces with the same person (or two gaps) were not merged"


@EXAMPLES
@given(cases(), st.floats(0, 1, exclude_max=True))
def test_whois_agrees_with_generate(case, fraction):
    sched, people, start, end = case
    at = start + int((end - start) * fraction)
    timeline = schedule_timeline(people, sched, start, end)
    tiles = pieces(timeline)
    s, e, person = next(t for t in tiles if t[0] <= at < t[1])
    answer = who_at(people, sched, at)
    assert answer.person == person
    lo, hi = (answer.start, answer.end) if person else (answer.gap_start, answer.gap_end)
    # whois sees the whole shift; generate clips it to the window, and says its whole bounds.
    if s > start:
        assert lo == s
    else:
        assert lo is None or lo <= s
    if e < end:
        assert hi == e
    else:
        assert hi is None or hi >= e
    item = next(x for x in [*timeline.shifts, *timeline.gaps] if x.start <= at < x.end)
    whole = answer.shift if person else answer.gap
    assert whole is not None and (whole.whole_start, whole.whole_end) == (item.whole_start, item.whole_end)
    following = answer.next_person
    if person is not None and item.after is not None:
        assert following == item.after and answer.next_start == item.whole_end
    if person is None:
        assert following == item.after


@EXAMPLES
@given(cases(), st.floats(0, 1))
def test_whole_bounds_and_neighbours_are_those_of_a_wider_window(case, fraction):
    sched, people, start, end = case
    timeline = schedule_timeline(people, sched, start, end)
    wide = schedule_timeline(people, sched, start - 40 * 86400, end + 40 * 86400)
    wide_items = sorted([*wide.shifts, *wide.gaps], key=lambda x: x.start)
    for item in [*timeline.shifts, *timeline.gaps]:
        outer = next(x for x in wide_items if x.start <= item.start < x.end)
        assert getattr(outer, "person", None) == getattr(item, "person", None)
        if outer.start > wide_items[0].start:  # the wider window sees where it starts
            assert item.whole_start == outer.start and item.before == outer.before
        if outer.end < wide_items[-1].end:
            assert item.whole_end == outer.end and item.after == outer.after
        if isinstance(item, type(outer)) and hasattr(item, "reasons") and outer.start > wide_items[0].start \
                and outer.end < wide_items[-1].end:
            assert item.reasons == outer.reasons  # the whole shift's reasons, whatever the window


@EXAMPLES
@given(cases(), st.floats(0, 1))
def test_generating_in_two_parts_and_merging_equals_one_part(case, fraction):
    sched, people, start, end = case
    middle = start + int((end - start) * fraction)
    whole = pieces(schedule_timeline(people, sched, start, end))
    joined: list[tuple] = []
    for part in (schedule_timeline(people, sched, start, middle), schedule_timeline(people, sched, middle, end)):
        for s, e, p in pieces(part):
            if joined and joined[-1][1] == s and joined[-1][2] == p:
                joined[-1] = (joined[-1][0], e, p)
            else:
                joined.append((s, e, p))
    assert joined == whole


@EXAMPLES
@given(st.sampled_from(ZONES), walls, st.builds(Duration, st.integers(1, 3), st.sampled_from(["d", "w"])),
       st.integers(0, 400))
def test_day_and_week_handoffs_stay_on_the_wall_clock(tz_name, start, every, turn):
    tz = zone(tz_name)
    clock = LayerClock(Layer("l", ("a",), start, every), tz)
    instant = clock.turn_start(turn)
    intended = start + timedelta(days=turn * every.days)
    seen = epoch_to_wall(instant, tz)
    if wall_to_epoch(intended, tz) == wall_to_epoch(seen, tz) and seen == intended:
        assert seen.time() == start.time()
    else:
        # Only a reading that does not exist that day may move, and only forward by the gap.
        assert epoch_to_wall(wall_to_epoch(intended, tz), tz) != intended
        assert timedelta(0) < seen - intended <= timedelta(hours=1)
    # and turn_at inverts turn_start
    assert clock.turn_at(instant) == turn


@EXAMPLES
@given(cases(), st.floats(0, 1, exclude_max=True))
def test_nobody_is_picked_while_on_call_in_an_avoided_schedule_except_by_an_override(case, fraction):
    sched, org, start, end = case
    at = start + int((end - start) * fraction)
    mine = who_at(org, sched, at)
    if not sched.avoid or mine.person is None or any(o.start <= at < o.end for o in sched.overrides):
        return
    theirs = who_at(org, org.schedules["t"], at)
    assert mine.person != theirs.person


@EXAMPLES
@given(st.sampled_from(ZONES), st.sampled_from(ZONES), walls, st.builds(Duration, st.integers(1, 3), st.sampled_from(["d", "w"])),
       st.integers(0, 300))
def test_handoffs_stay_on_the_layers_own_wall_clock(schedule_zone, layer_zone, start, every, turn):
    lay = Layer("l", ("a", "b"), start, every, timezone=layer_zone)
    sched = Schedule("s", schedule_zone, (lay,))
    org = Org(Path("."), {}, {"s": sched}, {}, holidays=HOLIDAYS)
    intended = start + timedelta(days=turn * every.days)
    tz = zone(layer_zone)
    at = wall_to_epoch(intended, tz)
    answer = who_at(org, sched, at)
    assert answer.start == at  # a handoff: the turn starting at that wall-clock reading
    assert answer.person == ("a", "b")[turn % 2]
    seen = epoch_to_wall(at, tz)
    assert seen == intended or epoch_to_wall(wall_to_epoch(intended, tz), tz) != intended
