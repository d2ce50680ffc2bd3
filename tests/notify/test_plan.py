"""Which messages fall due in a window, from Shift lists built directly (no engine)."""

from __future__ import annotations

from pathlib import Path

from oncall.model import Layer, Org, Person, Schedule, Shift
from oncall.notify.messages import Readiness, span
from oncall.notify.plan import plan
from oncall.notify.settings import NotifySettings, SlackChannel
from oncall.times import parse_duration

H = 3600
S = 1_800_000_000  # a shift start


def org() -> Org:
    layer = Layer("l", ("ann", "ben"), __import__("datetime").datetime(2027, 1, 1), parse_duration("1d"))
    people = {
        "ann": Person("ann", "Ann", timezone="Pacific/Chatham", slack="UANN"),
        "ben": Person("ben", "Ben", timezone="UTC"),
    }
    return Org(Path("."), people, {"ops": Schedule("ops", "Asia/Kolkata", (layer,), name="Ops")}, {})


SETTINGS = NotifySettings(channels={"chat": SlackChannel("chat", "hook")}, team=("chat",), direct=("chat",))


def none(person: Person, checklist: str | None) -> Readiness | None:
    return None


def kinds(start: int, end: int, shifts: list[Shift], settings: NotifySettings = SETTINGS) -> list[tuple[str, str]]:
    due = plan(org(), settings, shifts, start, end, S + 30 * 86400, none)
    return [(m.kind, m.key.split("|")[-1]) for m in due.messages]


SHIFTS = [Shift("ops", "ben", S - 3 * 86400, S), Shift("ops", "ann", S, S + 86400)]


def test_reminders_fall_due_at_each_lead_and_handoff_at_the_start() -> None:
    assert kinds(S - 25 * H, S - 23 * H, SHIFTS) == [("reminder", "chat:team")]  # 24 h lead
    assert kinds(S - 2 * H, S - H, SHIFTS) == [("reminder", "chat:team")]  # 1 h lead, window end inclusive
    assert kinds(S - H, S, SHIFTS) == [("handoff", "chat:team")]
    assert kinds(S, S + H, SHIFTS) == []  # window start exclusive


def test_after_a_pause_only_the_nearest_reminder_is_sent_and_none_once_the_shift_began() -> None:
    due = plan(org(), SETTINGS, SHIFTS, S - 30 * H, S - 30 * 60, S + 30 * 86400, none)
    [reminder] = due.messages
    assert reminder.subject == "[oncall] Ops: Ann is on call in 1h"
    assert kinds(S - 30 * H, S + 60, SHIFTS) == [("handoff", "chat:team")]


def test_direct_slack_reminder_is_the_team_post_mentioning_them() -> None:
    due = plan(org(), SETTINGS, SHIFTS, S - 2 * H, S - H, S + 30 * 86400, none)
    [message] = due.messages
    assert message.mention == "UANN" and message.slack_text().startswith("*[oncall] Ops: Ann is on call in 1h* <@UANN>")
    # Ben has no slack id: the note says so when a message for him would go direct.
    due = plan(org(), SETTINGS, [Shift("ops", "ben", S, S + H)], S - 2 * H, S - H, S + 30 * 86400, none)
    assert due.notes == ["ben has no slack id in people.yaml; direct messages through 'chat' skip them"]


def test_handoff_after_a_gap_and_times_in_the_team_zone() -> None:
    due = plan(org(), SETTINGS, [Shift("ops", "ann", S, S + 86400)], S - H, S, S + 30 * 86400, none)
    [handoff] = due.messages
    assert handoff.lines[0] == "Ann is now on call for Ops (nobody was on call before)."
    assert handoff.lines[1] == "Ann is on call until Sat 16 Jan 2027 13:30 IST."  # Kolkata, the schedule's zone


def test_a_shift_running_past_the_generated_horizon_says_at_least() -> None:
    due = plan(org(), SETTINGS, [Shift("ops", "ann", S, S + 86400)], S - H, S, S + 86400, none)
    assert due.messages[0].lines[1] == "Ann is on call until at least Sat 16 Jan 2027 13:30 IST."


def test_span_rounds_for_people() -> None:
    assert [span(s) for s in (0, 59, 45 * 60, 6 * H, 6 * H - 60, 50 * H, 48 * H)] == [
        "0m", "1m", "45m", "6h", "6h", "2d 2h", "2d"]
