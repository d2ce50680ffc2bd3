"""Append items to a list inside a YAML file without touching any other byte.

ruamel.yaml's round-trip parser tells us where every node starts and ends; the new item is then
inserted as text at that spot, in the style of its siblings. A full ruamel dump would keep
comments too, but it re-indents sequences to one global setting and re-wraps long lines, so
unrelated lines could change. After the insertion the text is parsed again and must equal the
old data with exactly the new item appended; anything else is refused.

The pieces other text edits build on (a layer's splices in ``oncall.edit.layertext``, imported
people in ``oncall.imports.writer``) are public here, so that every edit finds its way through a
file the same way:

* ``refuse_unreadable(text, file)`` — refuse text the config reader refuses, before anything
  else walks it;
* ``compose(text, file)`` — the document's nodes, each knowing where it starts and ends;
* ``find_key(mapping, key)`` — the key and value nodes of one key of a mapping;
* ``content_end(node)`` and ``line_after(text, index)`` — where a node's own text ends, and where
  a line inserted after it starts;
* ``scalar(value)`` — a string written as a YAML scalar that reads back as that string.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from oncall.errors import ConfigError, Location, Problem

if TYPE_CHECKING:
    from ruamel.yaml.nodes import MappingNode, Node

Item = Sequence[tuple[str, str]]  # ordered (key, value) pairs; values are plain strings
_SAFE_PLAIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._:+'/ -]*[A-Za-z0-9._'/-])?$")


@dataclass(frozen=True)
class _Insertion:
    start: int  # replace text[start:end] with ``text``
    end: int
    text: str


def scalar(value: str) -> str:
    """``value`` as a YAML scalar: plain when every YAML reader takes it as this string (or as
    a date, which the config loader reads as one), else double-quoted."""
    import yaml

    if _SAFE_PLAIN.match(value) and ": " not in value and " #" not in value:
        try:
            loaded = yaml.safe_load(value)
        except yaml.YAMLError:
            loaded = None
        if loaded == value or (isinstance(loaded, date) and not isinstance(loaded, datetime)):
            return value
    return json.dumps(value, ensure_ascii=False)


def append_items(text: str, path: Sequence[str], items: Sequence[Item], file: str = "") -> str:
    """Return ``text`` with ``items`` appended to the list at ``path`` (mapping keys from the
    document root; the last key names the list, created when missing or empty).

    Every other line stays byte-for-byte. Raises ``ConfigError`` when the document does not have
    the expected shape or the result would not read back as intended.
    """
    from ruamel.yaml.nodes import MappingNode

    if not items:
        return text
    refuse_unreadable(text, file)
    root = compose(text, file)
    if not isinstance(root, MappingNode):
        raise ConfigError("the file must be a mapping of keys to edit it", Location(file))
    parent = root
    for key in path[:-1]:
        found = find_key(parent, key)
        if found is None or not isinstance(found[1], MappingNode):
            where = found[0].start_mark.line + 1 if found else 0
            raise ConfigError(f"expected a mapping at {'.'.join(path[:-1])}", Location(file, where))
        parent = found[1]
    insertion = _plan(text, root, parent, path[-1], items, file)
    if insertion.start == len(text) and text and not text.endswith("\n"):
        insertion = _Insertion(insertion.start, insertion.end, "\n" + insertion.text)
    result = text[: insertion.start] + insertion.text + text[insertion.end :]
    _check(text, result, path, items, file)
    return result


def refuse_unreadable(text: str, file: str) -> None:
    """Raise ``ConfigError`` (at the line) when the config reader refuses ``text``. Call it before
    ``compose`` and before reading the text back: ruamel and those checks walk every alias
    expansion, so an alias bomb the reader refuses in an instant would take them minutes."""
    from oncall.config.marked import parse_text

    problems: list[Problem] = []
    parse_text(text, file, problems)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ConfigError(f"cannot parse the file to edit it: {errors[0].message}", errors[0].location)


def compose(text: str, file: str, doing: str = "edit it") -> Node | None:
    """``text``'s node tree from ruamel.yaml's round-trip composer (None for an empty document):
    every node knows where it starts and ends in the text. A text that does not parse is a
    ``ConfigError`` saying it cannot be parsed to do ``doing``."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        node: Node | None = YAML(typ="rt").compose(text)
    except YAMLError as exc:
        raise ConfigError(f"cannot parse the file to {doing}: {_first_line(exc)}", Location(file)) from None
    return node


def find_key(mapping: MappingNode, key: str) -> tuple[Node, Node] | None:
    """The key and value nodes of ``key`` in ``mapping``; None when it has no such key."""
    for knode, vnode in mapping.value:
        if getattr(knode, "value", None) == key:
            return knode, vnode
    return None


def content_end(node: Node) -> int:
    """Index just after the last character of ``node``'s own text. A block collection's end mark
    sits at the next token, past any trailing comments and blank lines, so look inside."""
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    if isinstance(node, MappingNode) and not node.flow_style:
        return max((max(content_end(k), content_end(v)) for k, v in node.value), default=node.start_mark.index)
    if isinstance(node, SequenceNode) and not node.flow_style:
        return max((content_end(v) for v in node.value), default=node.start_mark.index)
    return int(node.end_mark.index)


def line_after(text: str, index: int) -> int:
    """The start of the line after the one holding the character before ``index``."""
    if index > 0 and text[index - 1] == "\n":  # block scalars end at the next line's start
        return index
    newline = text.find("\n", index)
    return len(text) if newline < 0 else newline + 1


def _plan(text: str, root: MappingNode, parent: MappingNode, key: str, items: Sequence[Item],
          file: str) -> _Insertion:
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    found = find_key(parent, key)
    if parent.flow_style:
        return _into_flow_mapping(parent, found, key, items, file)
    indent = parent.value[0][0].start_mark.column if parent.value else 0
    offset = _sequence_offset(root)
    if found is None:
        at = line_after(text, content_end(parent))
        body = _block_items(items, indent + offset, indent + offset + 2)
        return _Insertion(at, at, f"{' ' * indent}{key}:\n{body}")
    knode, value = found
    if isinstance(value, SequenceNode) and value.flow_style and value.value:
        close = value.end_mark.index - 1
        return _Insertion(close, close, ", " + ", ".join(_flow_item(i) for i in items))
    if isinstance(value, SequenceNode) and not value.flow_style:
        last = value.value[-1]
        dash = value.start_mark.column
        key_col = last.start_mark.column if isinstance(last, MappingNode) and not last.flow_style else dash + 2
        at = line_after(text, content_end(value))
        if isinstance(last, MappingNode) and last.flow_style:
            body = "".join(f"{' ' * dash}- {_flow_item(i)}\n" for i in items)
        else:
            body = _block_items(items, dash, key_col)
        return _Insertion(at, at, body)
    empty = isinstance(value, SequenceNode) or (isinstance(value, ScalarNode) and str(value.tag).endswith(":null"))
    if not empty:
        raise ConfigError(f"{key} must be a list to add to it", Location(file, knode.start_mark.line + 1))
    # `key:`, `key: ~` or `key: []`: drop the empty value, keep any comment on the key's line,
    # then write the items as a block below it.
    dash = knode.start_mark.column + offset
    line_start = text.rfind("\n", 0, knode.start_mark.index) + 1
    value_start = value_end = knode.end_mark.index
    if not (isinstance(value, ScalarNode) and value.value == ""):
        value_start, value_end = value.start_mark.index, value.end_mark.index
    line_end = text.find("\n", value_end)
    line_end = len(text) if line_end < 0 else line_end
    key_line = text[line_start:value_start].rstrip() + text[value_end:line_end].rstrip()
    return _Insertion(line_start, min(line_end + 1, len(text)),
                      key_line + "\n" + _block_items(items, dash, dash + 2))


def _into_flow_mapping(parent: MappingNode, found: tuple[Node, Node] | None, key: str,
                       items: Sequence[Item], file: str) -> _Insertion:
    from ruamel.yaml.nodes import SequenceNode

    flow = ", ".join(_flow_item(i) for i in items)
    if found is None:
        close = parent.end_mark.index - 1
        return _Insertion(close, close, f"{', ' if parent.value else ''}{key}: [{flow}]")
    knode, value = found
    if isinstance(value, SequenceNode) and value.flow_style:
        close = value.end_mark.index - 1
        return _Insertion(close, close, (", " if value.value else "") + flow)
    raise ConfigError(f"{key} must be a [list] to add to it", Location(file, knode.start_mark.line + 1))


def _sequence_offset(root: MappingNode) -> int:
    """How far this file indents a block list's dashes past its key (0 or 2, usually)."""
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    stack: list[Node] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, MappingNode):
            for knode, vnode in node.value:
                if isinstance(vnode, SequenceNode) and not vnode.flow_style and vnode.value:
                    return max(0, int(vnode.start_mark.column) - int(knode.start_mark.column))
                stack.append(vnode)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return 2


def _block_items(items: Sequence[Item], dash: int, key_col: int) -> str:
    lines = []
    for item in items:
        for n, (key, value) in enumerate(item):
            lead = " " * dash + "- " + " " * (key_col - dash - 2) if n == 0 else " " * key_col
            lines.append(f"{lead}{key}: {scalar(value)}\n")
    return "".join(lines)


def _flow_item(item: Item) -> str:
    return "{" + ", ".join(f"{key}: {scalar(value)}" for key, value in item) + "}"


def _check(old: str, new: str, path: Sequence[str], items: Sequence[Item], file: str) -> None:
    """The edited text must read as the old data plus exactly the new items."""
    import yaml

    try:
        before, after = yaml.safe_load(old), yaml.safe_load(new)
    except yaml.YAMLError as exc:
        raise ConfigError(f"the edit would not parse: {_first_line(exc)}", Location(file)) from None
    expected: Any = copy.deepcopy(before)
    parent = expected
    for key in path[:-1]:
        parent = parent[key]
    if parent.get(path[-1]) is None:
        parent[path[-1]] = []
    parent[path[-1]].extend({k: yaml.safe_load(scalar(v)) for k, v in item} for item in items)
    if after != expected:
        raise ConfigError(f"could not add to {'.'.join(path)} without changing other values; "
                          "edit the file by hand", Location(file))


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
