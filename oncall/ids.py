"""Ids from names, as people.yaml and schedule files spell them: lower-case ``[a-z0-9._-]``,
accents folded (``José Núñez`` → ``jose-nunez``), clashes resolved with a number
(``alex-kim-2``). The importers make person, schedule and layer ids with these, the edits name
the layers they add, and the loader suggests an id for one written wrong."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_NOT_ID = re.compile(r"[^a-z0-9._-]+")


def slug(text: str, fallback: str = "id") -> str:
    """``text`` as an id: ASCII, lower-case, runs of other characters as one ``-``; ``fallback``
    when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    cleaned = _NOT_ID.sub("-", ascii_text.lower()).strip("-._")
    return cleaned or fallback


def unique(base: str, taken: Iterable[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... the first not in ``taken``."""
    used = set(taken)
    if base not in used:
        return base
    n = 2
    while f"{base}-{n}" in used:
        n += 1
    return f"{base}-{n}"
