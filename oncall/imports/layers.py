"""A rotation as schedule layers.

A layer's ``start`` is both its first handoff and the moment its coverage begins; a service may
begin coverage in the middle of a turn (PagerDuty's layer ``start`` after its
``rotation_virtual_start``). Then the turn in progress becomes a layer of its own, from the
coverage start to the next handoff, and the rotation's layer starts at that handoff with the
``offset`` that keeps everyone's turns where the service has them. Turn arithmetic is the
engine's own (``LayerClock``), so the written handoffs are the ones the engine will generate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import tzinfo

from oncall.engine.turns import LayerClock
from oncall.imports.model import Inexact, Rotation
from oncall.model import Layer, Window
from oncall.times import Duration, epoch_to_wall, iso, wall_to_epoch, zone


@dataclass
class LayerSpec:
    """One layer to write; ``people`` are person keys, times are instants."""

    name: str
    people: list[str]
    start: int
    every: Duration
    end: int | None = None
    windows: tuple[Window, ...] = ()
    timezone: str | None = None  # None: the schedule's
    offset: int = 0
    advance: str = "always"
    comments: list[str] = field(default_factory=list)
    rotation: int = 0  # index of the rotation it came from


def rotation_layers(rotation: Rotation, index: int, schedule_tz: str, name: str) -> tuple[list[LayerSpec], list[Inexact]]:
    """The layers that cover exactly what ``rotation`` covers (see the module docstring)."""
    inexact: list[Inexact] = []
    tz = zone(rotation.timezone)
    size = len(rotation.members)
    layer_zone = rotation.timezone if rotation.timezone != schedule_tz else None
    clock = LayerClock(Layer(name=name, people=("-",), start=epoch_to_wall(rotation.anchor, tz), every=rotation.every), tz)
    if clock.first != rotation.anchor:
        inexact.append(_repeated_hour(rotation, "handoff", rotation.anchor, clock.first, tz))

    def layer(layer_name: str, people: list[str], start: int, end: int | None, offset: int,
              comments: list[str]) -> LayerSpec:
        return LayerSpec(name=layer_name, people=people, start=start, every=rotation.every, end=end,
                         windows=rotation.windows, timezone=layer_zone, offset=offset % size,
                         advance=rotation.advance, comments=comments, rotation=index)

    k = clock.turn_at(rotation.begin)
    handoff = clock.turn_start(k)
    if handoff == rotation.begin:
        layers = [layer(name, list(rotation.members), handoff, rotation.end, rotation.offset + k, list(rotation.notes))]
    else:
        following = clock.turn_start(k + 1)
        if rotation.advance != "always":
            inexact.append(Inexact(rotation.origin, "coverage begins in the middle of a turn of a rotation that "
                                                    "counts only covered turns", f"turns counted from {iso(handoff, tz)}"))
        person = rotation.members[(rotation.offset + k) % size]
        note = (f"{rotation.origin}: the turn in progress when its coverage begins, until the handoff at "
                f"{iso(following, tz)}")
        layers = [layer(f"{name}-first-turn", [person], rotation.begin,
                        following if rotation.end is None else min(following, rotation.end), 0, [note])]
        if rotation.end is None or following < rotation.end:
            layers.append(layer(name, list(rotation.members), following, rotation.end, rotation.offset + k + 1,
                                list(rotation.notes)))
    for spec in layers:
        for label, instant in (("start", spec.start), ("end", spec.end)):
            if instant is not None and wall_to_epoch(epoch_to_wall(instant, tz), tz) != instant:
                inexact.append(_repeated_hour(rotation, f"layer {label}", instant,
                                              wall_to_epoch(epoch_to_wall(instant, tz), tz), tz))
    return layers, inexact


def _repeated_hour(rotation: Rotation, what: str, instant: int, written: int, tz: tzinfo) -> Inexact:
    """Layer times are written as local times; the second pass through a repeated hour has none."""
    return Inexact(rotation.origin, f"the {what} {iso(instant, tz)} is a local time that occurs twice (the hour "
                                    "repeated when clocks go back)", f"its first occurrence, {iso(written, tz)}")
