"""A schedule file's layers as text: the splices that end a layer, insert the layer that continues
it, name a layer, set a key, or add and remove people, leaving every other byte as it is.

Positions come from ruamel.yaml's composer, as for appending items (oncall/edit/yamltext.py). A
new layer is written key by key in the order and style (block or flow) of the layer it continues,
each unchanged value copied as written; values whose text lives elsewhere (YAML anchors and
aliases) are refused rather than guessed. The caller checks that the result reads back as the
intended data.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from oncall.edit.yamltext import compose, content_end, find_key, line_after, scalar
from oncall.errors import ConfigError, Location

if TYPE_CHECKING:
    from ruamel.yaml.nodes import MappingNode, Node, SequenceNode


@dataclass(frozen=True)
class Splice:
    """Replace ``text[start:end]`` with ``text``; splices at one position apply in the order given."""

    start: int
    end: int
    text: str


def apply(text: str, splices: Sequence[Splice]) -> str:
    """``text`` with every splice made (they must not overlap)."""
    ordered = sorted(enumerate(splices), key=lambda pair: (pair[1].start, pair[0]))
    out: list[str] = []
    at = 0
    for _, splice in ordered:
        if splice.start < at:
            raise ValueError("overlapping splices")
        out.append(text[at:splice.start])
        out.append(splice.text)
        at = splice.end
    out.append(text[at:])
    return "".join(out)


class LayerText:
    """One schedule file's text and the nodes of its layers (``layers:`` must be a list)."""

    def __init__(self, text: str, file: str) -> None:
        from ruamel.yaml.nodes import MappingNode, SequenceNode

        self.text, self.file = text, file
        root = compose(text, file)
        found = find_key(root, "layers") if isinstance(root, MappingNode) else None
        if found is None or not isinstance(found[1], SequenceNode):
            raise ConfigError("layers: must be a list to change a rotation", Location(file))
        self.layers: SequenceNode = found[1]
        self.items: list[MappingNode] = []
        for item in self.layers.value:
            if not isinstance(item, MappingNode):
                raise ConfigError("each layer must be a mapping to change a rotation", self._at(item))
            self.items.append(item)

    # --- reading

    def has_key(self, index: int, key: str) -> bool:
        return find_key(self.items[index], key) is not None

    def check_written_out(self, index: int) -> None:
        """Refuse a layer whose text uses YAML anchors or aliases: copying or editing it as text
        could change other layers, or define an anchor twice."""
        item = self.items[index]
        lo, hi = item.start_mark.index, content_end(item)
        for node in _walk(item):
            if getattr(node, "anchor", None) or not lo <= node.start_mark.index < max(hi, lo + 1):
                raise ConfigError("this layer uses a YAML anchor or alias; write its values out in full to change "
                                  "its rotation", self._at(node if lo <= node.start_mark.index < hi else item))

    # --- splices

    def set_key(self, index: int, key: str, value: str) -> Splice:
        """Set ``key`` of layer ``index`` to ``value``, YAML text on one line (replaced where it
        is, else added as the mapping's last key). A trailing comment on the key's line stays."""
        item = self.items[index]
        found = find_key(item, key)
        if found is not None:
            _, node = found
            return Splice(node.start_mark.index, content_end(node), value)
        if item.flow_style:
            close = self._closing(item)
            return Splice(close, close, f", {key}: {value}")
        at = line_after(self.text, content_end(item))
        return Splice(at, at, f"{' ' * item.start_mark.column}{key}: {value}\n")

    def name_first(self, index: int, name: str) -> Splice:
        """Give layer ``index`` the ``name:`` it has by default, as its first key."""
        item = self.items[index]
        if item.flow_style:
            return Splice(item.start_mark.index + 1, item.start_mark.index + 1, f"name: {scalar(name)}, ")
        at = item.start_mark.index
        return Splice(at, at, f"name: {scalar(name)}\n{' ' * item.start_mark.column}")

    def people_splices(self, index: int, add: tuple[int, str] | None = None, remove: str | None = None
                       ) -> list[Splice]:
        """Change the ``people:`` list of layer ``index`` item by item, so that comments on the
        other entries stay: insert ``add = (position, person)`` (position >= 1: after the entry
        before it) or drop every entry ``remove``."""
        people = self._people(index)
        text = self.text
        entries = people.value
        out: list[Splice] = []
        if add is not None:
            position, person = add
            before = entries[position - 1]
            if people.flow_style:
                out.append(Splice(before.end_mark.index, before.end_mark.index, f", {scalar(person)}"))
            else:
                at = line_after(text, content_end(before))
                out.append(Splice(at, at, f"{' ' * people.start_mark.column}- {scalar(person)}\n"))
        if remove is not None:
            gone = [getattr(e, "value", None) == remove for e in entries]
            for first, last in _runs(gone):
                if not people.flow_style:
                    for entry in entries[first:last + 1]:
                        line = text.rfind("\n", 0, entry.start_mark.index) + 1
                        out.append(Splice(line, line_after(text, content_end(entry)), ""))
                elif first > 0:  # ", bob" after the entry before the run
                    out.append(Splice(entries[first - 1].end_mark.index, entries[last].end_mark.index, ""))
                elif last + 1 < len(entries):  # "alice, " up to the entry after the run
                    out.append(Splice(entries[first].start_mark.index, entries[last + 1].start_mark.index, ""))
        return out

    def continuation(self, index: int, values: dict[str, str], people: Sequence[Splice], offset: int | None) -> str:
        """The text of a new layer continuing layer ``index``, to go right after it: its keys in
        the same order and style, each copied as written except those in ``values`` (YAML text
        on one line; ``name`` first when the layer had none) and ``people`` (the layer's list with the
        ``people`` splices made). ``offset`` is written after the people when the layer has no
        ``offset:`` key (and is not 0)."""
        item = self.items[index]
        entries: list[tuple[str, str, bool]] = []  # (key, value text, block value on the lines below)
        if not self.has_key(index, "name") and "name" in values:
            entries.append(("name", values["name"], False))
        for knode, vnode in item.value:
            key = str(knode.value)
            key_text = self.text[knode.start_mark.index:knode.end_mark.index]
            if key in values:
                entries.append((key_text, values[key], False))
            elif key == "people":
                entries.append((key_text, *self._copied(vnode, people)))
            else:
                entries.append((key_text, *self._copied(vnode, ())))
            if key == "people" and offset and not self.has_key(index, "offset"):
                entries.append(("offset", str(offset), False))
        if item.flow_style:
            body = "{" + ", ".join(f"{k}: {v}" for k, v, _ in entries) + "}"
            if self.layers.flow_style:
                return body
            return f"{' ' * self.layers.start_mark.column}- {body}\n"
        dash, column = self.layers.start_mark.column, item.start_mark.column
        lines = []
        for n, (key, value, block) in enumerate(entries):
            lead = " " * dash + "-" + " " * (column - dash - 1) if n == 0 else " " * column
            lines.append(f"{lead}{key}:\n{value}" if block else f"{lead}{key}: {value}\n")
        return "".join(lines)

    def insert_after(self, index: int, layer: str) -> Splice:
        """Insert ``layer`` (from ``continuation``) right after layer ``index``. A key ``set_key``
        adds to that layer goes at the same place: give its splice first."""
        item = self.items[index]
        if self.layers.flow_style:
            at = item.end_mark.index
            return Splice(at, at, f", {layer}")
        at = line_after(self.text, content_end(item))
        return Splice(at, at, layer)

    # --- helpers

    def _people(self, index: int) -> SequenceNode:
        from ruamel.yaml.nodes import ScalarNode, SequenceNode

        found = find_key(self.items[index], "people")
        if found is None or not isinstance(found[1], SequenceNode) or not found[1].value:
            raise ConfigError("people: must be a list to change it", self._at(self.items[index]))
        if not all(isinstance(e, ScalarNode) for e in found[1].value):
            raise ConfigError("each entry of people: must be a person id", self._at(found[1]))
        return found[1]

    def _copied(self, node: Node, splices: Sequence[Splice]) -> tuple[str, bool]:
        """A value's text as written, with ``splices`` (inside it) made, and whether it is a
        block collection (written on the lines below its key)."""
        from ruamel.yaml.nodes import MappingNode, SequenceNode

        text = self.text
        block = isinstance(node, MappingNode | SequenceNode) and not node.flow_style
        start = text.rfind("\n", 0, node.start_mark.index) + 1 if block else node.start_mark.index
        end = line_after(text, content_end(node)) if block else content_end(node)
        inner = [Splice(s.start - start, s.end - start, s.text) for s in splices if start <= s.start <= end]
        return apply(text[start:end], inner), block

    def _closing(self, item: MappingNode) -> int:
        close = int(item.end_mark.index) - 1
        if self.text[close] != "}":
            raise ConfigError("cannot find the end of this layer's {...}; edit the file by hand", self._at(item))
        return close

    def _at(self, node: Node) -> Location:
        return Location(self.file, int(node.start_mark.line) + 1)


def _walk(node: Node) -> Iterator[Node]:
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    yield node
    if isinstance(node, MappingNode):
        for key, value in node.value:
            yield from _walk(key)
            yield from _walk(value)
    elif isinstance(node, SequenceNode):
        for value in node.value:
            yield from _walk(value)


def _runs(flags: list[bool]) -> Iterator[tuple[int, int]]:
    """``(first, last)`` of each run of true flags."""
    start = None
    for i, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            yield start, i - 1
            start = None
