"""Reading a person's saved ``oncall ready`` result as the status a message shows."""

from __future__ import annotations

from oncall.model import Person
from oncall.notify.messages import FailingItem, Readiness


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
