"""``answers_during`` against ``who_at``: over random schedules (rotations with gaps, windows,
overrides, time off, layers in their own zones across clock changes), each piece's answer is
``who_at``'s at random instants within it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from oncall.engine import answers_during, schedule_timeline, who_at
from oncall.engine.timeline import REACH
from tests.engine.test_properties import cases


def _shown(answer):
    """An answer without the instant it was asked for (and so without its gap's clipping)."""
    gap = answer.gap._replace(start=0, end=0) if answer.gap is not None else None
    return answer._replace(at=0, gap=gap)


@settings(max_examples=150)
@given(cases(), st.lists(st.floats(0, 1, exclude_max=True), min_size=1, max_size=6))
def test_each_piece_is_who_at_at_instants_within_it(case, fractions):
    sched, org, start, end = case
    answers = answers_during(org, sched, start, end)
    if answers is None:  # only where a shift's bounds are unknown or near the engine's reach
        far = [s for s in schedule_timeline(org, sched, start, end).shifts
               if s.whole_start is None or s.whole_end is None
               or start - s.whole_start > REACH - 100 * 86400 or s.whole_end - end > REACH - 100 * 86400]
        assert far
        return
    assert answers[0].start == start and answers[-1].end == end
    for before, after in zip(answers, answers[1:], strict=False):
        assert before.end == after.start
    for piece in answers:
        assert who_at(org, sched, piece.start) == piece.on_call._replace(
            gap=piece.on_call.gap._replace(start=piece.start, end=piece.start + 1) if piece.on_call.gap else None)
    for fraction in fractions:
        at = start + int((end - start) * fraction)
        piece = next(p for p in answers if p.start <= at < p.end)
        assert _shown(who_at(org, sched, at)) == _shown(piece.on_call)
        assert who_at(org, sched, piece.end - 1).person == piece.on_call.person
