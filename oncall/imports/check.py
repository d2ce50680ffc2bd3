"""Proof that nothing moved: who the service rendered as on call against who the written files put
on call, instant by instant over the rendered range.

Both sides are reduced to "who is on call" between consecutive boundaries of either side, so a
service that splits one person's time into several entries (or the engine merging them) is no
difference; a different person, somebody against nobody, or several people at once is one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

Span = tuple[int, int, str]  # start, end, who


@dataclass(frozen=True)
class Difference:
    start: int
    end: int
    service: str  # who the service has on call ("" for nobody; several joined by " + ")
    written: str  # who the written schedule has on call


@dataclass
class CheckResult:
    schedule: str  # the written schedule's id
    service: str
    timezone: str
    start: int
    end: int
    entries: int  # rendered entries compared
    differences: list[Difference] = field(default_factory=list)


def compare(rendered: Sequence[Span], written: Sequence[Span], start: int, end: int) -> list[Difference]:
    """Every maximal interval of ``[start, end)`` where the two sides disagree."""
    bounds = {start, end}
    for s, e, _ in (*rendered, *written):
        bounds.update(t for t in (s, e) if start < t < end)
    ordered = sorted(bounds)
    theirs, ours = _who(rendered, ordered), _who(written, ordered)
    out: list[Difference] = []
    for a, b, them, us in zip(ordered, ordered[1:], theirs, ours, strict=False):
        if them == us:
            continue
        if out and out[-1].end == a and (out[-1].service, out[-1].written) == (them, us):
            out[-1] = Difference(out[-1].start, b, them, us)
        else:
            out.append(Difference(a, b, them, us))
    return out


def _who(spans: Sequence[Span], bounds: list[int]) -> list[str]:
    """Who is on call from each boundary to the next (sorted, joined with " + ")."""
    ordered = sorted(spans)
    active: list[Span] = []
    i = 0
    out = []
    for at in bounds[:-1]:
        while i < len(ordered) and ordered[i][0] <= at:
            active.append(ordered[i])
            i += 1
        active = [span for span in active if span[1] > at]
        out.append(" + ".join(sorted(who for _, _, who in active)))
    return out
