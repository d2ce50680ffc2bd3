"""A cache of ``oncall whois`` answers, already rendered, for a span of time.

Who is on call in a schedule, since and until when, and who is next, stay the same between the
edges of its shifts and gaps (``engine.answers_during``). So the answers for the day from the
instant asked are a few pieces per schedule, and each piece can be stored as the command prints
it, in one file per output format: its JSON row (all but ``at``), or its table cells in the
viewer's zone. A later ``whois`` at an instant of that day reads the piece of each schedule that
holds it and prints, with neither the org nor the engine.

A file (``cache_file(kind, root)``: ``whois-json``, ``whois-table``) is the key line, a header
line, then the pieces' texts one after another. The key describes the config files, every module
of oncall, the versions of oncall and Python, the public holidays' data, the viewer's zone and
the schedules asked for (``oncall.config.inputs``); the header holds the span, the state of every timezone the answers
read (checked on each read, as the zones are known only once the org is), and per schedule its
timezone, where each piece starts (seconds into the span) and where its text lies. Anything
else (another instant, another selection, a changed file, an unreadable or corrupt cache file)
is a miss: the command computes the answers as without the cache and writes the files anew.
``ONCALL_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import json
import time
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from oncall.config import inputs
from oncall.config.cache import cache_file, read_keyed, write_keyed

SPAN = 86400  # how far from the instant asked the answers are stored


class Key(NamedTuple):
    text: bytes  # the key line
    newest: int  # when the newest config file changed (ns): a cache is written only once it settled


class Piece(NamedTuple):
    start: int  # the piece holds [start, the next piece's start) (the last: to the span's end)
    text: bytes  # what the command prints for it, as the caller encodes it (one line, no newline)


class Schedule(NamedTuple):
    timezone: str
    pieces: list[Piece]


def key(root: Path, viewer: str, selection: Sequence[str] | None) -> Key:
    """The key of the answers for the config root ``root``, read in the zone named ``viewer``,
    for the schedules ``selection`` (None: all)."""
    config, newest = inputs.config_state(root)
    text = repr((config, inputs.package_state(), inputs.holidays_state(), viewer,
                 sorted(set(selection)) if selection else None))
    return Key(text.encode("utf-8", "backslashreplace"), newest)


def lookup(root: Path, found: Key, kind: str, at: int) -> list[tuple[str, bytes]] | None:
    """Each schedule's timezone and the text of its piece holding ``at``, in the order stored in
    the file of ``kind``; None on a miss."""
    body = read_keyed(cache_file(kind, root), found.text)
    if body is None:
        return None
    try:
        base = body.index(b"\n") + 1
        header = json.loads(body[:base])
        start, end = header["span"]
        if not start <= at < end or len(body) - base != header["size"]:
            return None
        if header["zones"] != inputs.zone_state(header["zone_names"]):
            return None
        zones, since = header["timezones"], at - start
        answers = []
        for zone, starts, offsets in header["schedules"]:
            index = bisect_right(starts, since) - 1
            answers.append((zones[zone], body[base + offsets[index]:base + offsets[index + 1]]))
        return answers
    except Exception:  # noqa: BLE001 - whatever is wrong with the file, the cache simply misses
        return None


def store(root: Path, found: Key, kind: str, start: int, zones: Iterable[str], schedules: list[Schedule]) -> None:
    """Write the file of ``kind``: the pieces of ``schedules`` for ``[start, start + SPAN)``,
    answers that read the timezones ``zones``, under ``found`` (only once the config has settled)."""
    if time.time_ns() - found.newest < inputs.SETTLED_NS:
        return
    names = sorted(set(zones))
    timezones = sorted({schedule.timezone for schedule in schedules})
    texts: list[bytes] = []
    offset = 0
    index = []
    for schedule in schedules:
        offsets = []
        for piece in schedule.pieces:
            offsets.append(offset)
            texts.append(piece.text)
            offset += len(piece.text)
        index.append([timezones.index(schedule.timezone), [piece.start - start for piece in schedule.pieces],
                      [*offsets, offset]])
    header = {"span": [start, start + SPAN], "zone_names": names, "zones": inputs.zone_state(names),
              "timezones": timezones, "schedules": index, "size": offset}
    head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
    write_keyed(cache_file(kind, root), found.text, head + b"\n" + b"".join(texts))
