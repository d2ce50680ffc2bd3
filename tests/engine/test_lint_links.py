"""``double-booked``: one person on call in two linked schedules at once, with a case that
triggers each kind of link and near misses that must not."""

from __future__ import annotations

from dataclasses import replace

from oncall.engine.lint import lint_org
from oncall.model import Layer, Schedule
from tests.engine.build import layer, org, override, person, schedule, utc

NOW = "2026-02-01T00:00Z"


def booked(*schedules: Schedule, at: str = NOW, **options: object) -> list[tuple[str, int, str]]:
    """(file, line, message) of each double-booked warning."""
    return [(p.location.file, p.location.line, p.message) if p.location else ("", 0, p.message)
            for p in lint_org(org(*schedules, **options), utc(at)) if p.code == "double-booked"]  # type: ignore[arg-type]


def weekly(people: str = "a,b,c", **kw: object) -> Layer:
    return replace(layer(people, "2026-01-05T00:00", "1w", name="weekly"), **kw)  # type: ignore[arg-type]


def test_a_secondary_with_an_offset_double_booked_through_time_off() -> None:
    # Week of 2 Feb is turn 4: b is primary, c secondary. b is off on the 3rd: c covers the
    # primary while being the secondary.
    primary = schedule("UTC", weekly(), sid="primary")
    secondary = schedule("UTC", weekly(offset=1, lines={"people": 5, "offset": 7}), sid="secondary")
    away = person("b", off=(("2026-02-03", "2026-02-03"),))
    [(file, line, message)] = booked(primary, secondary, people=(away,))
    assert (file, line) == ("schedules/secondary.yaml", 7)  # the secondary's offset: line
    assert message.startswith("c is on call in both 'primary' and 'secondary' at once, 1 time in the next 90 days "
                              "(1d in all; layer 'weekly' of 'secondary' has the people of layer 'weekly' of "
                              "'primary'): c from 2026-02-03 00:00 UTC to 2026-02-04 00:00 UTC (1d); ")
    assert message.endswith("write `avoid: [primary]` in 'secondary', so that its turns pass over whoever is on call "
                            "in 'primary'")


def test_the_same_people_in_another_order_are_linked_too() -> None:
    primary = schedule("UTC", weekly(), sid="primary")
    secondary = schedule("UTC", weekly("b,c,a"), sid="secondary")  # a rotated list: offset 1 in all but name
    away = person("b", off=(("2026-02-03", "2026-02-03"),))
    assert len(booked(primary, secondary, people=(away,))) == 1


def test_many_double_bookings_list_the_first_few_and_count_them() -> None:
    primary = schedule("UTC", weekly(), sid="primary")
    secondary = schedule("UTC", weekly(offset=1), sid="secondary")
    # b is off every Tuesday of February and March. b is primary in weeks 4, 7 and 10 (2 Feb, 23 Feb,
    # 16 Mar), with c as the secondary: c covers those three Tuesdays in both schedules.
    days = [f"2026-02-{d:02d}" for d in (3, 10, 17, 24)] + [f"2026-03-{d:02d}" for d in (3, 10, 17, 24, 31)]
    away = person("b", off=tuple((d, d) for d in days))
    [(_, _, message)] = booked(primary, secondary, people=(away,))
    assert ", 3 times in the next 90 days (3d in all;" in message
    assert ("c from 2026-02-03 00:00 UTC to 2026-02-04 00:00 UTC (1d), c from 2026-02-24 00:00 UTC to 2026-02-25 "
            "00:00 UTC (1d), c from 2026-03-17 00:00 UTC to 2026-03-18 00:00 UTC (1d);") in message
    assert "more" not in message
    more = person("b", off=tuple((d, d) for d in (*days, "2026-04-07", "2026-04-28")))  # weeks 13 and 16
    [(_, _, message)] = booked(primary, secondary, people=(more,))
    assert ", 5 times in the next 90 days (5d in all;" in message and "(1d) and 2 more;" in message


def test_near_misses_are_quiet() -> None:
    primary = schedule("UTC", weekly(), sid="primary")
    # A secondary with an offset and nobody off: never the same person.
    assert booked(primary, schedule("UTC", weekly(offset=1), sid="secondary")) == []
    # One rotation shared on purpose by two schedules: the same person in both, by design.
    away = person("b", off=(("2026-02-03", "2026-02-03"),))
    assert booked(primary, schedule("UTC", weekly(), sid="twin"), people=(away,)) == []
    # Other people: no link, however the shifts fall.
    assert booked(primary, schedule("UTC", weekly("a,d,e"), sid="other"), people=(away,)) == []
    # The same double booking more than 90 days ahead: 19 May (turn 19, b primary, c secondary).
    late = person("b", off=(("2026-05-19", "2026-05-19"),))
    assert booked(primary, schedule("UTC", weekly(offset=1), sid="secondary"), people=(late,)) == []


def test_avoid_links_and_an_override_that_double_books_points_at_the_override() -> None:
    primary = schedule("UTC", weekly("a,b"), sid="primary")
    clash = replace(override("a", "2026-02-02T00:00", "2026-02-03T00:00", "UTC"), lines={"person": 12})
    secondary = schedule("UTC", weekly("a,b", offset=1), sid="secondary", avoid=("primary",), overrides=(clash,))
    [(file, line, message)] = booked(primary, secondary)
    assert (file, line) == ("schedules/secondary.yaml", 12)
    assert "a is on call in both 'primary' and 'secondary' at once, 1 time" in message
    assert "'secondary' avoids 'primary'" in message
    assert message.endswith("override 1 of 'secondary' wins over everything, so give it to someone who is not on call "
                            "in 'primary' then")


def test_avoid_without_overrides_never_double_books() -> None:
    primary = schedule("UTC", weekly(), sid="primary")
    secondary = schedule("UTC", weekly(offset=1), sid="secondary", avoid=("primary",))
    away = person("b", off=(("2026-02-03", "2026-02-03"),))
    assert booked(primary, secondary, people=(away,)) == []  # the engine passes over c while c covers b


def test_a_secondary_named_in_oncall_yaml_is_linked() -> None:
    from oncall.model import NotifySettings, ScheduleRoute, Settings

    primary = schedule("UTC", weekly(), sid="primary")
    backup = schedule("UTC", weekly("c,d,e"), sid="backup")  # other people: linked only by oncall.yaml
    both = org(primary, backup)
    named = Settings(notify=NotifySettings(schedules={"primary": ScheduleRoute(secondary=("backup",))}))
    # Week of 2 Feb is turn 4: b is primary, d the backup; an override puts b on the backup on the 3rd.
    clash = override("b", "2026-02-03T00:00", "2026-02-04T00:00", "UTC")
    linked = replace(both, schedules={"primary": primary, "backup": replace(backup, overrides=(clash,))},
                     settings=named)
    found = [p for p in lint_org(linked, utc(NOW)) if p.code == "double-booked"]
    assert len(found) == 1
    assert "b is on call in both 'primary' and 'backup' at once" in found[0].message
    assert "notify.schedules.primary.secondary names 'backup'" in found[0].message
    # Without the route, the two are not linked.
    unlinked = replace(linked, settings=Settings())
    assert [p for p in lint_org(unlinked, utc(NOW)) if p.code == "double-booked"] == []
