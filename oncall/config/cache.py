"""A cache of the loaded org, so repeated commands skip parsing YAML.

Parsing a large config root (300 schedules, 2,000 people) costs far more than answering
``oncall whois now`` from it. The loaded ``Org`` is kept in ``$XDG_CACHE_HOME/oncall/``,
keyed by the exact state of every input file, of the code that builds the org (the loader and
the model), and the versions of oncall and Python (``oncall.config.inputs``), and stored with the
state of the timezone data of the zones it names (its overrides and time off are instants read
in them): change, add or remove any of them and the next command parses afresh. Only a config that loaded without errors
is cached, and only once its newest file is a few seconds old. Other answers computed from the
config root are cached the same way (``cache_file``, ``read_keyed``, ``write_keyed``).
``ONCALL_NO_CACHE=1`` turns the cache off.

The cache file is JSON: the key line, then the zones' state and the org with each model object
written as its class name and field values. Reading it can build only the model's own classes, never run code, and
takes memory in proportion to the file; a file that is unreadable, corrupt or from another
version of the code is a miss, never an error.
"""

from __future__ import annotations

import dataclasses
import json
import os
import time
import zlib
from datetime import date, datetime
from pathlib import Path
from typing import Any

from oncall import model
from oncall.config import inputs
from oncall.config.readfile import read_limited
from oncall.xdg import cache_dir

_MAX_BYTES = 256 * 1024 * 1024  # a cache file larger than this is not read (a large org's is ~1 MB)
_SETTLED_NS = inputs.SETTLED_NS

# The classes a cache file may hold, by name: the model's dataclasses (and those it is built
# from, such as Location and Duration), with their fields in order.
_CLASSES: dict[str, type] = {
    name: value for name, value in vars(model).items() if isinstance(value, type) and dataclasses.is_dataclass(value)
}
_FIELDS: dict[str, tuple[str, ...]] = {
    name: tuple(f.name for f in dataclasses.fields(cls)) for name, cls in _CLASSES.items()
}


def enabled() -> bool:
    """Whether the caches of what is computed from a config root are on (``ONCALL_NO_CACHE``)."""
    return not os.environ.get("ONCALL_NO_CACHE")


def load_org_cached(root: Path) -> model.Org:
    """``load_org(root)``, from the cache when no input file has changed since it was written."""
    if not enabled():
        return _parse(root)
    root = Path(root).resolve()
    description, newest = inputs.config_state(root)
    key = description.encode("utf-8", "backslashreplace")
    path = cache_file("org", root)
    org = _read(path, key)
    if org is not None:
        return org
    org = _parse(root)
    if time.time_ns() - newest < _SETTLED_NS:
        return org
    try:
        body = json.dumps({"zones": _zones(org), "org": _encode(org)}, ensure_ascii=False,
                          separators=(",", ":")).encode("utf-8", "surrogatepass")
    except (TypeError, ValueError):
        return org  # a value JSON cannot hold only costs speed
    write_keyed(path, key, body)
    return org


def cache_file(kind: str, root: Path) -> Path:
    """The cache file of ``kind`` (``org``, ``whois``...) for the config root ``root``."""
    return cache_dir() / f"{kind}-{zlib.crc32(str(root).encode('utf-8')):08x}.json"


def read_keyed(path: Path, key: bytes) -> bytes | None:
    """The body of the cache file ``path`` when its first line is ``key``; None for any other
    file, an unreadable one or none (a cache miss is never an error)."""
    try:
        data = read_limited(path, _MAX_BYTES)
    except OSError:
        return None
    head, _, body = data.partition(b"\n")
    return body if head == key else None


def write_keyed(path: Path, key: bytes, body: bytes) -> None:
    """Write the cache file ``path``: the line ``key``, then ``body`` (``key`` holds no newline).
    An unwritable cache folder only costs speed."""
    from oncall.fsutil import write_atomic

    try:
        write_atomic(path, key + b"\n" + body, mode=0o600)
    except OSError:
        pass


def _read(path: Path, key: bytes) -> model.Org | None:
    """The org in the cache file ``path`` when its key line is ``key``; None for any other file."""
    body = read_keyed(path, key)
    if body is None:
        return None
    try:
        stored = json.loads(body)
        org = _decode(stored["org"])
    except Exception:  # noqa: BLE001 - whatever is wrong with the file, the cache simply misses
        return None
    return org if isinstance(org, model.Org) and stored["zones"] == _zones(org) else None


def _zones(org: model.Org) -> str:
    return inputs.zone_state(inputs.org_zones(org))


def _parse(root: Path) -> model.Org:
    # Imported here: a cache hit never loads the YAML parser or the loader.
    from oncall.config.loader import load_org

    return load_org(root)


# Values are JSON's own (None, bool, int, float, str, and dicts with text keys), or a list whose
# first element says what it holds: "@Class" and the fields in order, "t" a tuple, "l" a list,
# "f" a frozenset, "T" a datetime, "D" a date, "P" a path.


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        if _CLASSES.get(name) is not type(value):
            raise TypeError(f"{name} is not a model class")
        return ["@" + name, *(_encode(getattr(value, f)) for f in _FIELDS[name])]
    if isinstance(value, tuple):
        return ["t", *map(_encode, value)]
    if isinstance(value, list):
        return ["l", *map(_encode, value)]
    if isinstance(value, frozenset):
        return ["f", *sorted(map(_encode, value))]
    if isinstance(value, dict):
        return {_text_key(k): _encode(v) for k, v in value.items()}
    if isinstance(value, datetime):
        return ["T", value.isoformat()]
    if isinstance(value, date):
        return ["D", value.isoformat()]
    if isinstance(value, Path):
        return ["P", str(value)]
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _text_key(key: object) -> str:
    if not isinstance(key, str):
        raise TypeError("only text keys can be cached")
    return key


_SHAPES: dict[str, Any] = {"t": tuple, "l": list, "f": frozenset}
_FROM_TEXT: dict[str, Any] = {"T": datetime.fromisoformat, "D": date.fromisoformat, "P": Path}
_NESTED = (list, dict)


def _decode(value: Any) -> Any:
    """The value ``_encode`` wrote. (Scalars, most of a file, are taken as they are without a call.)"""
    if type(value) is dict:
        return {k: _decode(v) if type(v) in _NESTED else v for k, v in value.items()}
    tag = value[0]
    items = [_decode(v) if type(v) in _NESTED else v for v in value[1:]]
    if tag[0] == "@":
        cls, names = _CLASSES[tag[1:]], _FIELDS[tag[1:]]
        # As pickle does: the fields are set as they were written, without running __init__.
        obj: Any = object.__new__(cls)
        obj.__dict__.update(zip(names, items, strict=True))
        return obj
    if tag in _SHAPES:
        return _SHAPES[tag](items)
    return _FROM_TEXT[tag](*items)
