"""A person's readiness as a message shows it, from the results ``team_results`` fetches (the one
way readiness results are read: the results the team shares, ``readiness.share`` in oncall.yaml,
else those saved on this machine)."""

from __future__ import annotations

from oncall.model import Org, Person, Schedule
from oncall.notify.messages import FailingItem, Readiness, ReadinessLookup


def lookup_for(org: Org) -> tuple[ReadinessLookup, list[str]]:
    """How ``notify run`` reads readiness: the latest result of everyone who can be on call in a
    schedule with a checklist, fetched once, now; and the warnings on the way. A mistake in
    oncall.yaml's ``readiness:`` section is one of them (the results saved on this machine are
    read), so that the other messages still go out.

    The lookup answers for a person and their schedule's checklist (None when the schedule names
    none, or nothing is known): the item titles, fixes and playbooks as the checklist says them
    now, the findings as checked."""
    from oncall.readiness.board import team_results

    pairs = {(pid, schedule.checklist) for schedule in org.schedules.values() if schedule.checklist
             for pid in _people(schedule)}
    found = team_results(org, pairs, lenient=True)

    def lookup(person: Person, checklist: str | None) -> Readiness | None:
        result = found.results.get((person.id, checklist)) if checklist else None
        if result is None or checklist is None:
            return None
        current = {i.id: i for i in org.checklists[checklist].items} if checklist in org.checklists else {}
        failing = []
        for item in result.items:
            if item.id in result.failing:
                now = current.get(item.id)
                failing.append(FailingItem(item.id, now.title if now else item.title, item.message,
                                           now.fix if now else None, now.playbook if now else None))
        return Readiness(checklist, len(result.items), tuple(failing), result.checked_at)

    return lookup, list(found.warnings)


def _people(schedule: Schedule) -> set[str]:
    """Everyone who can be on call in ``schedule``: its layers' people and its overrides'."""
    return {p for layer in schedule.layers for p in layer.people} | {o.person for o in schedule.overrides}
