"""The stable codes of config problems (``Problem.code``), listed in docs/formats.md.

Scripts and CI can match on these instead of on message texts, which may be reworded.
"""

from __future__ import annotations

FILE = "file"  # the file cannot be read as a config file: missing, unreadable, not a regular file, too large
SYNTAX = "syntax"  # not valid YAML, or YAML this reader refuses (tags, duplicate keys, alias loops or bombs)
UNKNOWN_KEY = "unknown-key"  # a key no file format declares (a warning; it is ignored)
MISSING_KEY = "missing-key"  # a required key is absent
BAD_VALUE = "bad-value"  # a value of the wrong type, form or range
UNKNOWN_REFERENCE = "unknown-reference"  # a person, schedule, checklist, item, channel or playbook that does not exist
DUPLICATE = "duplicate"  # two things with one id or name
CYCLE = "cycle"  # references that lead back to where they started (avoid:, needs:)
STALE_CHECKLIST = "stale-checklist"  # a checklist past its review date (a warning)

ALL = (FILE, SYNTAX, UNKNOWN_KEY, MISSING_KEY, BAD_VALUE, UNKNOWN_REFERENCE, DUPLICATE, CYCLE, STALE_CHECKLIST)
