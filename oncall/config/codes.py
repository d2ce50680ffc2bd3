"""The stable codes of every problem ``oncall schedule validate`` reports (``Problem.code``).

Scripts and CI match on these instead of on message texts, which may be reworded; a CI job can
allow a known warning by its code (``--allow CODE``, or ``validate: {allow: [CODE]}`` in
oncall.yaml). The codes of the files are listed in docs/formats.md, every code with what it
finds in docs/guides/ci.md.
"""

from __future__ import annotations

# -- the files themselves ----------------------------------------------------------------------
FILE = "file"  # the file cannot be read as a config file: missing, unreadable, not a regular file, too large
SYNTAX = "syntax"  # not valid YAML, or YAML this reader refuses (tags, duplicate keys, alias loops or bombs)
UNKNOWN_KEY = "unknown-key"  # a key no file format declares (a warning; it is ignored)
MISSING_KEY = "missing-key"  # a required key is absent
BAD_VALUE = "bad-value"  # a value of the wrong type, form or range
UNKNOWN_REFERENCE = "unknown-reference"  # a person, schedule, checklist, item, channel or playbook that does not exist
DUPLICATE = "duplicate"  # two things with one id or name
CYCLE = "cycle"  # references that lead back to where they started (avoid:, needs:)
STALE_CHECKLIST = "stale-checklist"  # a checklist past its review date (a warning)
LEGACY_ZONE = "legacy-zone"  # a fixed-offset zone or an old alias where a place's zone is meant (a warning)

# -- schedules that are legal but wrong in practice (warnings, found by running the engine) -----
GAP = "gap"  # coverage gaps ahead
NEVER_ON_CALL = "never-on-call"  # a member who never gets a turn inside the layer's windows
LAYER_COVERS_NOTHING = "layer-covers-nothing"  # every turn of a layer is lost to its windows
NO_TIME_ON_CALL = "no-time-on-call"  # a member whose every turn other layers or overrides take
DOUBLE_BOOKED = "double-booked"  # one person on call in two linked schedules at once (avoid:, primary/secondary)
OVERRIDE_ON_TIME_OFF = "override-on-time-off"  # an override gives a shift to someone who is off then
REPLACES_NOT_ON_CALL = "replaces-not-on-call"  # an override's replaces: names someone not on call then
NONEXISTENT_HANDOFF = "nonexistent-handoff"  # a handoff or window edge in a spring-forward gap
AMBIGUOUS_HANDOFF = "ambiguous-handoff"  # a handoff or window edge in a fall-back fold
ELAPSED_TURNS = "elapsed-turns-with-windows"  # every: 24h where 1d is meant (windows, or a zone with DST)

ERRORS = (FILE, SYNTAX, MISSING_KEY, BAD_VALUE, UNKNOWN_REFERENCE, DUPLICATE, CYCLE)
"""Codes of errors (a file name that is awkward on the command line is a ``bad-value`` warning)."""

WARNINGS = (UNKNOWN_KEY, STALE_CHECKLIST, LEGACY_ZONE, GAP, NEVER_ON_CALL, LAYER_COVERS_NOTHING, NO_TIME_ON_CALL,
            DOUBLE_BOOKED, OVERRIDE_ON_TIME_OFF, REPLACES_NOT_ON_CALL, NONEXISTENT_HANDOFF, AMBIGUOUS_HANDOFF,
            ELAPSED_TURNS)
"""Codes of warnings: legal files that are probably wrong. Only warnings can be allowed."""

ALL = ERRORS + WARNINGS
