"""JSON Schema of every config file, built from ``oncall.config.format`` (the same key lists the
loader checks), for editors that autocomplete and flag YAML."""

from __future__ import annotations

from typing import Any

from oncall.config import format as fmt

SCHEMA_ID = "https://oncall-cli.example/schema/{kind}.json"
KINDS = tuple(fmt.FILES)
_TIME_OF_DAY = r"^([01]?[0-9]|2[0-3]):[0-5][0-9]$"
_DATETIME = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?\s*(Z|z|[+-][0-9]{2}:?[0-9]{2})?)?$"
_DAYS = [*fmt.DAY_NAMES, "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
         "weekdays", "weekday", "weekend", "weekends", "all", "daily"]
_MAP_KEYS = {"person": fmt.ID_PATTERN, "slack_channel|slack_api_channel|email_channel": fmt.CHANNEL_NAME_PATTERN}
_COUNTRY = r"^[A-Za-z]{2,3}$"


def _duration(units: str) -> dict[str, Any]:
    return {"type": "string", "pattern": rf"^\s*[0-9]*[1-9][0-9]*\s*[{units}]\s*$",
            "examples": [f"1{u}" for u in units]}


def _one_or_list(item: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [item, {"type": "array", "items": item}]}


def _value(key: fmt.Key) -> dict[str, Any]:
    """JSON Schema for the value of ``key``."""
    kind = key.type
    section, _, name = kind.partition(":")
    if section == "list":
        return {"type": "array", "items": _sections(name)}
    if section == "map":
        out: dict[str, Any] = {"type": "object",
                               "additionalProperties": {"anyOf": [_sections(name), {"type": "null"}]}}
        if name in _MAP_KEYS:
            out["propertyNames"] = {"pattern": _MAP_KEYS[name]}
        return out
    if section == "section":
        return _sections(name)
    simple: dict[str, dict[str, Any]] = {
        "string": {"type": ["string", "number"]},
        "boolean": {"type": "boolean"},
        "id": {"type": ["string", "integer"], "pattern": fmt.ID_PATTERN},
        "ids": {"type": "array", "items": {"type": ["string", "integer"]}},
        "argv": {"type": "array", "items": {"type": ["string", "number"]}, "minItems": 1},
        "names": _one_or_list({"type": "string", "minLength": 1}),
        "emails": _one_or_list({"type": "string", "pattern": r"^[^@\s<>]+@[^@\s<>]+$"}),
        "timezone": {"type": "string", "examples": ["UTC", "America/New_York", "Europe/Berlin"]},
        "datetime": {"type": "string", "pattern": _DATETIME, "examples": ["2026-01-05T09:00", "2026-12-24"]},
        "date": {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
        "time": {"type": "string", "pattern": _TIME_OF_DAY, "examples": ["09:00"]},
        "end-time": {"type": "string", "pattern": r"^(([01]?[0-9]|2[0-3]):[0-5][0-9]|24:00)$",
                     "examples": ["17:00", "24:00"]},
        "duration": _duration("smhdw"),
        "durations": _one_or_list(_duration("mhdw")),
        "turn-length": _duration("hdw"),
        "integer": {"type": "integer", "minimum": 0},
        "port": {"type": "integer", "minimum": 1, "maximum": 65535},
        "mapping": {"type": "object"},
        "country": {"type": "string", "pattern": _COUNTRY, "examples": ["US", "GB", "DE"]},
        "holidays": {"anyOf": [{"type": "string", "pattern": _COUNTRY}, {"const": fmt.HOLIDAYS_OF_PEOPLE}],
                     "examples": ["US", fmt.HOLIDAYS_OF_PEOPLE]},
        "playbook": {"type": "string", "examples": ["incident-response", "https://wiki.example.com/playbook"]},
        "days": {"anyOf": [{"type": "string", "enum": _DAYS},
                           {"type": "array", "items": {"type": "string", "enum": _DAYS}, "minItems": 1}]},
        "share": {"anyOf": [{"const": "git"}, {"type": "object", "properties": {"dir": {"type": "string"}},
                                                "required": ["dir"], "additionalProperties": False}]},
    }
    if kind == "choice":
        return {"type": "string", "enum": list(key.choices)}
    if kind == "check":
        out = _section("check")
        out["anyOf"] = [{"required": [k]} for k in (*fmt.CHECK_KINDS, "confirm")]
        return out
    return dict(simple[kind])


def _sections(names: str) -> dict[str, Any]:
    """One section, or either of ``a|b`` (told apart by their ``type:``)."""
    parts = names.split("|")
    return _section(parts[0]) if len(parts) == 1 else {"oneOf": [_section(p) for p in parts]}


def _section(name: str) -> dict[str, Any]:
    spec = fmt.SECTIONS[name]
    properties = {}
    for key, desc in spec.items():
        schema = _value(desc)
        schema["description"] = desc.help
        properties[key] = schema
    out: dict[str, Any] = {"type": "object", "properties": properties}
    required = [key for key, desc in spec.items() if desc.required]
    if required:
        out["required"] = required
    if name == "item":  # an item has a check or a confirmation
        out["anyOf"] = [{"required": ["check"]}, {"required": ["confirm"]}]
    # Unknown keys are warnings in the loader, so editors flag them too, except where a section
    # keeps keys of the user's own.
    out["additionalProperties"] = name in fmt.EXTRAS_ALLOWED
    return out


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``kind``: people, schedule, checklist or settings."""
    if kind not in fmt.FILES:
        raise ValueError(f"unknown file kind {kind!r}; one of {', '.join(fmt.FILES)}")
    file = fmt.FILES[kind]
    body = _section(file.section)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID.format(kind=kind),
            "title": file.title, **body}

