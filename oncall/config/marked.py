"""Reading YAML with a line number for every value and without YAML 1.1's surprises.

PyYAML follows YAML 1.1: unquoted ``17:00`` is the integer 1020 (base 60), ``no``/``on`` are
booleans and ``2026-01-05 09:00:00`` is a datetime. Config files are written by people who expect
what they see, so the loader here resolves only what YAML 1.2's core schema resolves: ``true`` and
``false`` are booleans, plain decimal numbers are numbers, ``null``/``~``/empty is None and
everything else is a string. Times and dates stay strings for ``oncall.times`` to parse.

libyaml (``yaml.CSafeLoader``) composes the node tree when it is installed, the pure-Python
loader otherwise; both use the resolvers below, so behaviour is the same. Values are then built
in one pass: mappings become ``MarkedMap`` (a dict that also remembers each key's line) and
sequences ``MarkedSeq`` (a list that remembers each item's line). Scalars are plain Python values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from oncall.config.codes import FILE, SYNTAX
from oncall.config.marks import MarkedMap, MarkedSeq, line_of
from oncall.config.readfile import NotRegular, TooLarge, read_limited
from oncall.errors import ConfigErrors, Location, Problem

if TYPE_CHECKING:
    _BaseLoader = yaml.SafeLoader
else:  # libyaml parses many times faster; the pure-Python loader behaves the same, only slower
    _BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


_RESOLVERS = (
    (_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")),
    # A leading zero keeps the text (phone numbers, zip codes); YAML 1.1 would read it as octal.
    (_INT, re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")),
    (
        _FLOAT,
        re.compile(r"^[-+]?(?:(?:0|[1-9][0-9]*)\.[0-9]*(?:[eE][-+]?[0-9]+)?|\.[0-9]+|(?:0|[1-9][0-9]*)[eE][-+]?[0-9]+)$"),
        list("-+0123456789."),
    ),
    (_NULL, re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]),
)


class MarkedLoader(_BaseLoader):
    """A safe loader whose implicit types are YAML 1.2 core's, minus the surprises.

    Only ``true``/``false`` are booleans (``yes``, ``no``, ``on``, ``off`` stay strings), only
    plain decimal numbers are numbers (``17:00`` and ``0123`` stay strings), and dates and times
    stay strings.
    """

    yaml_implicit_resolvers: dict[Any, Any] = {}


class PureMarkedLoader(yaml.SafeLoader):
    """The same resolvers on PyYAML's pure-Python loader (used where libyaml is missing)."""

    yaml_implicit_resolvers: dict[Any, Any] = {}


for _tag, _pattern, _first in _RESOLVERS:
    MarkedLoader.add_implicit_resolver(_tag, _pattern, _first)
    PureMarkedLoader.add_implicit_resolver(_tag, _pattern, _first)

_BOOLS = {"true": True, "false": False}


@dataclass(frozen=True)
class Lines:
    """Turns a container (and a key in it) into a ``Location`` in one file."""

    file: str

    def at(self, container: object, key: object = None) -> Location:
        return Location(self.file, line_of(container, key))


# How many values aliases may add to a file beyond those written in it. Building stays linear
# (an alias shares its value), but whatever walks the values later walks every expansion:
# nine nested aliases of ten make a billion ("billion laughs").
ALIAS_LIMIT = 100_000


class _AliasBomb(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


class _Builder:
    """Builds Python values from a composed node tree, collecting problems instead of raising."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems
        self.done: dict[int, Any] = {}  # aliases share one value, so repeated anchors stay linear
        self.active: set[int] = set()
        self.sizes: dict[int, int] = {}  # values in each built container once expanded, by id(value)
        self.added = 0  # values that aliases add beyond those written

    def child(self, node: yaml.Node, line: int) -> Any:
        """Build a value inside a container; an alias to a container counts what it expands to."""
        reused = id(node) in self.done
        value = self.build(node)
        if reused:
            self.added += self.size(value)
            if self.added > ALIAS_LIMIT:
                raise _AliasBomb(line)
        return value

    def size(self, value: Any) -> int:
        return self.sizes.get(id(value), 1)

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(message, Location(self.file, line), code=SYNTAX))

    def build(self, node: yaml.Node) -> Any:
        key = id(node)
        if key in self.done:
            return self.done[key]
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if key in self.active:
            self.error(node.start_mark.line + 1, "an alias refers to a value that contains it; remove the loop")
            return None
        self.active.add(key)
        try:
            value = self.mapping(node) if isinstance(node, yaml.MappingNode) else self.sequence(node)
        finally:
            self.active.discard(key)
        self.done[key] = value
        return value

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag, text = node.tag, node.value
        if tag == _STR:
            return text
        if tag == _INT:
            try:
                return int(text.replace("_", ""), 0) if not text.lstrip("+-").isdigit() else int(text)
            except ValueError:
                pass
        elif tag == _FLOAT:
            try:
                return float(text.replace("_", ""))
            except ValueError:
                pass
        elif tag == _NULL:
            if text in ("", "~", "null", "Null", "NULL"):
                return None
        elif tag == _BOOL:
            lowered = text.lower()
            if lowered in _BOOLS:
                return _BOOLS[lowered]
        elif tag == _TIMESTAMP:
            return text
        else:
            self.error(node.start_mark.line + 1, f"the YAML tag {tag!r} is not supported here; remove it")
            return text
        self.error(node.start_mark.line + 1, f"{text!r} is not a valid {tag.rsplit(':', 1)[-1]}; remove the tag")
        return text

    def sequence(self, node: yaml.Node) -> MarkedSeq:
        if not isinstance(node, yaml.SequenceNode) or node.tag != _SEQ:
            self.error(node.start_mark.line + 1, f"the YAML tag {node.tag!r} is not supported here; remove it")
        seq = MarkedSeq(node.start_mark.line + 1)
        append, lines = seq.append, seq.item_lines.append
        total = 1
        for item in node.value:
            value = self.child(item, seq.line)
            append(value)
            lines(item.start_mark.line + 1)
            total += self.size(value)
        self.sizes[id(seq)] = total
        return seq

    def mapping(self, node: yaml.MappingNode) -> MarkedMap:
        if node.tag != _MAP:
            self.error(node.start_mark.line + 1, f"the YAML tag {node.tag!r} is not supported here; remove it")
        out = MarkedMap(node.start_mark.line + 1)
        key_lines = out.key_lines
        merged: list[tuple[MarkedMap, int]] = []
        total = 1
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                self.error(line, "a key must be plain text, not a list or mapping; write `name: value`")
                continue
            # Keys are always names here, so take them as written: `on:` is the key "on", `123:` is "123".
            key = key_node.value
            if key == "<<" and key_node.style not in ("'", '"'):
                merged.extend(self.merge_sources(value_node, line))
                continue
            if key in key_lines:
                self.error(
                    line,
                    f"duplicate key {key!r} (first on line {key_lines[key]}); keep one and remove the other",
                )
                continue
            value = out[key] = self.child(value_node, line)
            key_lines[key] = line
            total += 1 + self.size(value)
        for source, line in merged:  # explicit keys win over merged ones, as in YAML's merge key
            for key, value in source.items():
                if key not in key_lines:
                    out[key] = value
                    key_lines[key] = line
                    total += 1 + self.size(value)
        self.sizes[id(out)] = total
        return out

    def merge_sources(self, node: yaml.Node, line: int) -> list[tuple[MarkedMap, int]]:
        value = self.child(node, line)
        sources = value if isinstance(value, list) else [value]
        if not all(isinstance(s, MarkedMap) for s in sources):
            self.error(line, "`<<:` merges a mapping or a list of mappings; write `<<: *anchor`")
            return []
        return [(s, line) for s in sources]


def parse_text(
    text: str, file: str, problems: list[Problem], loader_class: type[yaml.SafeLoader] = MarkedLoader
) -> Any:
    """Parse one YAML document from ``text``; problems are appended, never raised.

    Returns the value (None for an empty document or on a syntax error).
    """
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or "invalid YAML"
        context = f" ({exc.context})" if exc.context else ""
        problems.append(
            Problem(f"YAML syntax error: {what}{context}; check the indentation and quoting here",
                    Location(file, mark.line + 1 if mark else 0), code=SYNTAX)
        )
        return None
    except yaml.YAMLError as exc:
        problems.append(Problem(f"not readable as YAML: {_one_line(exc)}", Location(file), code=SYNTAX))
        return None
    except RecursionError:
        problems.append(Problem("the YAML is nested too deeply; flatten it", Location(file), code=SYNTAX))
        return None
    finally:
        loader.dispose()
    if node is None:
        return None
    try:
        return _Builder(file, problems).build(node)
    except _AliasBomb as exc:
        problems.append(Problem(f"aliases here expand to more than {ALIAS_LIMIT:,} values; write the values out "
                                "instead of nesting aliases", Location(file, exc.line), code=SYNTAX))
        return None
    except RecursionError:
        problems.append(Problem("the YAML is nested too deeply; flatten it", Location(file, node.start_mark.line + 1),
                                code=SYNTAX))
        return None


def read_text(path: Path, file: str, problems: list[Problem]) -> str | None:
    """The UTF-8 text of ``path``, or None with a problem saying why it cannot be read."""
    where = Location(file)
    try:
        raw = read_limited(path)
    except NotRegular as exc:
        problems.append(Problem(f"is {exc.kind}, not a regular file; replace it with a YAML file", where, code=FILE))
        return None
    except TooLarge as exc:
        problems.append(Problem(f"is too large ({exc}); a config file this big is a mistake: split it or "
                                "remove what is not configuration", where, code=FILE))
        return None
    except IsADirectoryError:
        problems.append(Problem("is a folder, not a file; move it away or rename it", where, code=FILE))
        return None
    except PermissionError:
        problems.append(Problem("cannot be read (permission denied); make it readable (chmod a+r)", where, code=FILE))
        return None
    except OSError as exc:
        problems.append(Problem(f"cannot be read ({exc.strerror or exc}); check the file", where, code=FILE))
        return None
    if b"\x00" in raw:
        problems.append(Problem("is a binary file, not YAML text; replace it with a YAML file", where, code=FILE))
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        problems.append(
            Problem(f"is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8", Location(file, line), code=FILE)
        )
        return None
    return text


def read_yaml(path: Path, file: str, problems: list[Problem]) -> Any:
    """Read and parse ``path``; problems are appended (shown as ``file``), never raised."""
    text = read_text(path, file, problems)
    return None if text is None else parse_text(text, file, problems)


def read_marked(path: Path, file: str | None = None) -> tuple[Any, Lines]:
    """Read one YAML file with line marks, for config files beyond schedules and checklists.

    Returns the value (``MarkedMap``/``MarkedSeq``/scalars; None for an empty file) and a
    ``Lines`` whose ``at(container, key)`` gives the ``Location`` to put in messages.
    ``file`` is how the path is shown in messages (default: the path as given).
    Raises ``ConfigErrors`` naming every problem (syntax, encoding, unreadable file).
    """
    shown = file if file is not None else str(path)
    problems: list[Problem] = []
    data = read_yaml(path, shown, problems)
    if problems:
        raise ConfigErrors(problems)
    return data, Lines(shown)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())
