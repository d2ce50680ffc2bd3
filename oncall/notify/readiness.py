"""Reading a person's readiness as the status a message shows: from the results the team shares
(``readiness.share`` in oncall.yaml), else from the results saved on this machine."""

from __future__ import annotations

from collections.abc import Callable

from oncall.model import Checklist, ChecklistItem, Org, Person
from oncall.notify.messages import FailingItem, Readiness

Lookup = Callable[[Person, str | None], Readiness | None]


def last_result(person: Person, checklist: str | None) -> Readiness | None:
    """The person's last saved result for ``checklist`` (every checklist when None); None when
    they have no saved run that covered it."""
    from oncall.readiness.results import NOT_READY, load_results

    saved = load_results(person.id)
    if saved is None:
        return None
    results = [r for r in saved.results if checklist is None or r.checklist == checklist]
    if not results:
        return None
    failing = tuple(
        FailingItem(r.item, r.title, r.message, r.fix, r.playbook) for r in results if r.status in NOT_READY
    )
    return Readiness(checklist or ", ".join(saved.checklists), len(results), failing, saved.finished)


def lookup_for(org: Org) -> tuple[Lookup, list[str]]:
    """How ``notify run`` reads readiness: the results the team shares when ``oncall.yaml`` says so
    (fetched once, now), else the results saved on this machine; and the warnings on the way."""
    settings = org.settings.readiness
    errors = [p for p in settings.problems if p.severity == "error"]
    if errors:
        return last_result, [f"{p} (not-ready alerts read the results saved on this machine)" for p in errors]
    found = shared_results(org)
    return found if found is not None else (last_result, [])


def shared_results(org: Org) -> tuple[Lookup, list[str]] | None:
    """A lookup over the results the team shares, fetched once now, and the warnings of fetching;
    None when ``oncall.yaml`` does not share results (then ``last_result`` applies)."""
    from oncall.readiness.share import store_for

    store = store_for(org.settings.readiness, org.root)
    if store is None:
        return None
    warning = store.fetch()
    pairs = {(pid, schedule.checklist) for schedule in org.schedules.values() if schedule.checklist
             for pid in _people(org, schedule.id)}
    results = store.read(pairs)

    def lookup(person: Person, checklist: str | None) -> Readiness | None:
        result = results.get((person.id, checklist)) if checklist else None
        if result is None or checklist is None:
            return None
        # Titles, fixes and playbooks as the checklist says them now, the findings as shared.
        current = _items(org.checklists.get(checklist))
        failing = []
        for found in result.items:
            if found.id in result.failing:
                item = current.get(found.id)
                failing.append(FailingItem(found.id, item.title if item else found.title, found.message,
                                           item.fix if item else None, item.playbook if item else None))
        return Readiness(checklist, len(result.items), tuple(failing), result.checked_at)

    return lookup, [warning] if warning else []


def _people(org: Org, schedule_id: str) -> set[str]:
    schedule = org.schedules[schedule_id]
    return {p for layer in schedule.layers for p in layer.people} | {o.person for o in schedule.overrides}


def _items(checklist: Checklist | None) -> dict[str, ChecklistItem]:
    return {i.id: i for i in checklist.items} if checklist else {}
