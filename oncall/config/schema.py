"""JSON Schema for people.yaml, schedules and checklists, built from ``oncall.config.format``
(the same key lists the loader checks), for editors that autocomplete and flag YAML."""

from __future__ import annotations

from typing import Any

from oncall.config import format as fmt

SCHEMA_ID = "https://oncall-cli.example/schema/{kind}.json"
_TIME_OF_DAY = r"^([01]?[0-9]|2[0-3]):[0-5][0-9]$"
_DATETIME = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?\s*(Z|z|[+-][0-9]{2}:?[0-9]{2})?)?$"
_DAYS = [*fmt.DAY_NAMES, "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
         "weekdays", "weekday", "weekend", "weekends", "all", "daily"]
_ROOTS = {"people": "people_file", "schedule": "schedule", "checklist": "checklist"}


def _duration(units: str) -> dict[str, Any]:
    return {"type": "string", "pattern": rf"^\s*[0-9]*[1-9][0-9]*\s*[{units}]\s*$",
            "examples": [f"1{u}" for u in units]}


def _value(kind: str) -> dict[str, Any]:
    """JSON Schema for one value type named in ``format.Key.type``."""
    if kind.startswith("list:"):
        return {"type": "array", "items": _section(kind[5:])}
    if kind.startswith("map:"):
        return {"type": "object", "propertyNames": {"pattern": fmt.ID_PATTERN},
                "additionalProperties": {"anyOf": [_section(kind[4:]), {"type": "null"}]}}
    simple: dict[str, dict[str, Any]] = {
        "string": {"type": ["string", "number"]},
        "id": {"type": ["string", "integer"], "pattern": fmt.ID_PATTERN},
        "ids": {"type": "array", "items": {"type": ["string", "integer"], "pattern": fmt.ID_PATTERN}},
        "timezone": {"type": "string", "examples": ["UTC", "America/New_York", "Europe/Berlin"]},
        "datetime": {"type": "string", "pattern": _DATETIME, "examples": ["2026-01-05T09:00", "2026-12-24"]},
        "date": {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
        "time": {"type": "string", "pattern": _TIME_OF_DAY, "examples": ["09:00"]},
        "end-time": {"type": "string", "pattern": r"^(([01]?[0-9]|2[0-3]):[0-5][0-9]|24:00)$",
                     "examples": ["17:00", "24:00"]},
        "duration": _duration("smhdw"),
        "turn-length": _duration("hdw"),
        "integer": {"type": "integer", "minimum": 0},
        "mapping": {"type": "object"},
        "severity": {"type": "string", "enum": ["block", "warn"]},
        "days": {"anyOf": [{"type": "string", "enum": _DAYS},
                           {"type": "array", "items": {"type": "string", "enum": _DAYS}, "minItems": 1}]},
        "check": {"type": "object",
                  "anyOf": [{"required": [k]} for k in (*fmt.CHECK_KINDS, "confirm")],
                  "properties": {**{k: {} for k in fmt.CHECK_KINDS}, "confirm": {"type": "string"},
                                 "timeout": _duration("smhdw"),
                                 "severity": {"type": "string", "enum": ["block", "warn"]}}},
    }
    return dict(simple[kind])


def _section(name: str) -> dict[str, Any]:
    spec = fmt.SECTIONS[name]
    properties = {}
    for key, desc in spec.items():
        schema = _value(desc.type)
        schema["description"] = desc.help
        properties[key] = schema
    out: dict[str, Any] = {"type": "object", "properties": properties}
    required = [key for key, desc in spec.items() if desc.required]
    if required:
        out["required"] = required
    if name == "item":  # an item has a check or a confirmation
        out["anyOf"] = [{"required": ["check"]}, {"required": ["confirm"]}]
    # Unknown keys are warnings in the loader, so editors flag them too; people may carry extras.
    out["additionalProperties"] = name == "person"
    return out


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``kind``: people, schedule or checklist."""
    if kind not in _ROOTS:
        raise ValueError(f"unknown file kind {kind!r}; one of {', '.join(_ROOTS)}")
    body = _section(_ROOTS[kind])
    titles = {"people": "oncall people (schedules/people.yaml)", "schedule": "oncall schedule (schedules/<id>.yaml)",
              "checklist": "oncall readiness checklist (checklists/<id>.yaml)"}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID.format(kind=kind),
            "title": titles[kind], **body}
