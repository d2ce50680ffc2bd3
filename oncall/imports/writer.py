"""The YAML text of imported schedules and people, with comments saying where each piece came from.

Schedule files are new, so they are written whole. ``people.yaml`` may already hold people and
comments: new entries are inserted as text after the last entry of ``people:`` (as the edit
commands insert overrides), every other byte is kept, and the result must read back as the old
data plus exactly the new people.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from oncall.edit.yamltext import compose, content_end, find_key, line_after, scalar
from oncall.errors import ConfigError, Location
from oncall.imports.layers import LayerSpec
from oncall.model import WEEKDAYS, Window
from oncall.times import epoch_to_wall, instant_text, wall_text, zone


@dataclass(frozen=True)
class OverrideSpec:
    person: str  # person id
    start: int
    end: int
    comment: str


@dataclass(frozen=True)
class PersonEntry:
    id: str
    name: str
    comment: str
    email: str | None = None
    timezone: str | None = None


def schedule_text(*, header: Sequence[str], name: str, timezone: str, layers: Sequence[LayerSpec],
                  ids: dict[str, str], overrides: Sequence[OverrideSpec]) -> str:
    """A schedule file: ``ids`` maps the layers' person keys to person ids."""
    tz = zone(timezone)
    lines = [line for text in header for line in _comment_lines(text, "")]
    lines += [f"name: {scalar(name)}", f"timezone: {timezone}", "layers:"]
    for layer in layers:
        layer_tz = zone(layer.timezone) if layer.timezone else tz
        lines += [line for text in layer.comments for line in _comment_lines(text, "  ")]
        lines.append(f"  - name: {scalar(layer.name)}")
        if layer.timezone:
            lines.append(f"    timezone: {layer.timezone}")
        lines.append(f"    people: [{', '.join(scalar(ids[key]) for key in layer.people)}]")
        lines.append(f"    start: {wall_text(epoch_to_wall(layer.start, layer_tz))}")
        lines.append(f"    every: {layer.every}")
        if layer.end is not None:
            lines.append(f"    end: {wall_text(epoch_to_wall(layer.end, layer_tz))}")
        if layer.offset:
            lines.append(f"    offset: {layer.offset}")
        if layer.advance != "always":
            lines.append(f"    advance: {layer.advance}")
        if layer.windows:
            lines.append("    only:")
            lines += [f"      - {window_text(window)}" for window in layer.windows]
    if overrides:
        lines.append("overrides:")
        for override in overrides:
            lines += _comment_lines(override.comment, "  ")
            lines.append(f"  - person: {scalar(override.person)}")
            lines.append(f"    from: {instant_text(override.start, tz)}")
            lines.append(f"    to: {instant_text(override.end, tz)}")
    return "\n".join(lines) + "\n"


def window_text(window: Window) -> str:
    """``{days: [mon, tue], from: "09:00", to: "17:00"}`` (days left out when all seven)."""
    parts = []
    if len(window.days) < 7:
        parts.append(f"days: [{', '.join(WEEKDAYS[d] for d in sorted(window.days))}]")
    parts.append(f'from: "{_clock(window.start)}"')
    parts.append(f'to: "{_clock(window.end)}"')
    return "{" + ", ".join(parts) + "}"


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _comment(text: str) -> str:
    return " ".join(text.split())


def _comment_lines(text: str, indent: str) -> list[str]:
    """``text`` as comment lines of at most 100 columns (longer words are kept whole)."""
    import textwrap

    return textwrap.wrap(_comment(text), width=100, initial_indent=f"{indent}# ", subsequent_indent=f"{indent}#   ",
                         break_long_words=False, break_on_hyphens=False)


# -- people.yaml ---------------------------------------------------------------------------------

def people_block(entries: Sequence[PersonEntry], indent: int, step: int = 2) -> str:
    lines = []
    pad, inner = " " * indent, " " * (indent + step)
    for entry in entries:
        lines += _comment_lines(entry.comment, pad)
        lines.append(f"{pad}{entry.id}:")
        lines.append(f"{inner}name: {scalar(entry.name)}")
        if entry.email:
            lines.append(f"{inner}email: {scalar(entry.email)}")
        if entry.timezone:
            lines.append(f"{inner}timezone: {entry.timezone}")
    return "\n".join(lines) + "\n"


def new_people_file(entries: Sequence[PersonEntry], header: Sequence[str]) -> str:
    lines = [line for text in header for line in _comment_lines(text, "")]
    return "\n".join(lines + ["people:"]) + "\n" + people_block(entries, 2)


def add_people(text: str, entries: Sequence[PersonEntry], file: str) -> str:
    """``text`` (a people.yaml) with ``entries`` added at the end of its ``people:`` mapping."""
    from ruamel.yaml.nodes import MappingNode, ScalarNode

    if not entries:
        return text
    root = compose(text, file, "add people to it")
    if root is None:
        result = text + ("" if not text or text.endswith("\n") else "\n") + new_people_file(entries, [])
        return _checked(text, result, entries, file)
    if not isinstance(root, MappingNode) or root.flow_style:
        raise ConfigError("the file must be a block mapping with `people:` to add people to it", Location(file))
    found = find_key(root, "people")
    if found is None:
        at = line_after(text, content_end(root))
        prefix = "" if at == 0 or text[at - 1] == "\n" else "\n"
        result = text[:at] + prefix + "people:\n" + people_block(entries, 2) + text[at:]
    else:
        key, value = found
        if isinstance(value, MappingNode) and not value.flow_style and value.value:
            first_key, first_value = value.value[0]
            indent = first_key.start_mark.column
            step = 2
            if isinstance(first_value, MappingNode) and not first_value.flow_style and first_value.value:
                step = max(1, first_value.value[0][0].start_mark.column - indent)
            at = line_after(text, content_end(value))
            block = people_block(entries, indent, step)
            if at == len(text) and text and not text.endswith("\n"):
                block = "\n" + block
            result = text[:at] + block + text[at:]
        elif (isinstance(value, MappingNode) and not value.value) or (
                isinstance(value, ScalarNode) and str(value.tag).endswith(":null")):
            # `people:`, `people: ~` or `people: {}`: write the entries as a block below the key.
            line_start = text.rfind("\n", 0, key.start_mark.index) + 1
            value_end = value.end_mark.index if value.end_mark.index > key.end_mark.index else key.end_mark.index
            line_end = text.find("\n", value_end)
            line_end = len(text) if line_end < 0 else line_end
            rest = text[value_end:line_end].rstrip()
            indent = key.start_mark.column
            result = (text[:line_start] + " " * indent + "people:" + rest + "\n"
                      + people_block(entries, indent + 2) + text[min(line_end + 1, len(text)):])
        else:
            raise ConfigError("people: must be a block mapping (one `id:` per line) to add people to it; "
                              "rewrite it so, or add them by hand", Location(file, key.start_mark.line + 1))
    return _checked(text, result, entries, file)


def _checked(old: str, new: str, entries: Sequence[PersonEntry], file: str) -> str:
    """The new text must read as the old data plus exactly the new people."""
    import yaml

    before = yaml.safe_load(old) if old.strip() else None
    after = yaml.safe_load(new)
    expected = dict(before) if isinstance(before, dict) else {}
    people = dict(expected.get("people") or {})
    people.update(yaml.safe_load(people_block(entries, 0)))
    expected["people"] = people
    if after != expected:
        raise ConfigError("could not add the imported people without changing other values; "
                          "add them by hand or import --into an empty folder", Location(file))
    return new
