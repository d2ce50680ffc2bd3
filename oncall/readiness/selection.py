"""What a readiness check covers: the checklists of a person's coming shifts, a checklist named
outright, and the confirm item a name such as ``playbook`` or ``primary/playbook`` means."""

from __future__ import annotations

from collections.abc import Sequence

from oncall.errors import NotFound
from oncall.model import Checklist, ChecklistItem, Org
from oncall.readiness.report import ShiftNote


def coming_shifts(org: Org, person_id: str, at: int, horizon: int) -> list[ShiftNote]:
    """The person's first shift on each schedule in ``[at, at + horizon)``, by schedule id: the
    shift to be ready for, with its whole bounds (one under way at ``at`` starts before it) and
    the checklist its schedule names (None when it names none)."""
    from oncall.engine import generate

    notes: list[ShiftNote] = []
    seen: set[str] = set()
    for shift in generate(org, at, at + horizon, person=person_id).shifts:
        if shift.schedule not in seen:
            seen.add(shift.schedule)
            notes.append(ShiftNote(shift.schedule, org.schedules[shift.schedule].checklist,
                                   shift.whole_start or shift.start, shift.whole_end or shift.end))
    return notes


def checklists_for(org: Org, shifts: Sequence[ShiftNote]) -> list[Checklist]:
    """The checklists those shifts need, each once, in the order of the shifts."""
    selected: list[Checklist] = []
    for note in shifts:
        checklist = org.checklists.get(note.checklist) if note.checklist else None
        if checklist is not None and checklist not in selected:
            selected.append(checklist)
    return selected


def checklist(org: Org, checklist_id: str) -> Checklist:
    """The checklist with this id; ``NotFound`` (argument ``checklist``) lists the known ones."""
    if checklist_id not in org.checklists:
        known = ", ".join(sorted(org.checklists)) or "none"
        raise NotFound(f"no checklist {checklist_id!r}; write one of: {known}", argument="checklist")
    return org.checklists[checklist_id]


def confirm_item(org: Org, name: str, selected: Sequence[Checklist] = ()) -> tuple[Checklist, ChecklistItem]:
    """The confirm item ``name`` means: ``CHECKLIST/ITEM``, or an ``ITEM`` id looked up in the
    ``selected`` checklists first, then in the others. ``NotFound`` (argument ``confirm``) lists
    every confirm item there is."""
    checklist_id, _, item_id = name.rpartition("/")
    if checklist_id in org.checklists:
        pool = [org.checklists[checklist_id]]
    else:
        pool = list(selected) + [c for c in org.checklists.values() if c not in selected]
    for candidate in pool:
        for item in candidate.items:
            if item.id == item_id and item.kind == "confirm":
                return candidate, item
    confirmable = sorted(f"{c.id}/{i.id}" for c in org.checklists.values() for i in c.items if i.kind == "confirm")
    raise NotFound(f"no confirm item {name!r}; write one of: {', '.join(confirmable) or 'none'}",
                   argument="confirm")
