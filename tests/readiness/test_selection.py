"""What a readiness check covers: the first shift per schedule, the checklists those shifts name,
and which confirm item a name means."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncall.config import load_org
from oncall.errors import NotFound
from oncall.readiness.selection import checklist, checklists_for, coming_shifts, confirm_item
from oncall.times import parse_time, zone

REPO = Path(__file__).resolve().parents[2]
AT = parse_time("2026-12-01T15:00:00Z").instant(zone("UTC"))


@pytest.fixture(scope="module")
def org():
    return load_org(REPO)


def test_the_first_shift_on_each_schedule_and_its_checklist(org) -> None:
    from oncall.engine import generate

    notes = coming_shifts(org, "alice", AT, 28 * 86400)
    shifts = generate(org, AT, AT + 28 * 86400, person="alice").shifts
    assert [n.schedule for n in notes] == sorted({s.schedule for s in shifts})
    for note in notes:
        first = min((s for s in shifts if s.schedule == note.schedule), key=lambda s: s.start)
        assert (note.start, note.end) == (first.whole_start, first.whole_end)  # whole, not cut at the window
        assert note.checklist == org.schedules[note.schedule].checklist
    assert [c.id for c in checklists_for(org, notes)] == [n.checklist for n in notes if n.checklist]
    assert coming_shifts(org, "alice", AT, 60) in ([], notes[:1])  # a minute ahead: at most the one under way


def test_confirm_items_by_id_or_checklist_slash_id(org) -> None:
    primary, platform = org.checklists["primary"], org.checklists["platform"]
    assert confirm_item(org, "read-playbook")[1].id == "read-playbook"
    assert confirm_item(org, "platform/escalation-policy")[0] is platform
    assert confirm_item(org, "escalation-policy", [platform, primary])[0] is platform
    with pytest.raises(NotFound) as caught:
        confirm_item(org, "primary/escalation-policy")  # an item of another checklist, named under this one
    assert caught.value.argument == "confirm"
    assert "platform/escalation-policy" in str(caught.value) and "primary/read-playbook" in str(caught.value)


def test_unknown_checklist_names_the_known_ones(org) -> None:
    assert checklist(org, "primary") is org.checklists["primary"]
    with pytest.raises(NotFound) as caught:
        checklist(org, "nope")
    assert caught.value.argument == "checklist" and "platform, primary" in str(caught.value)
