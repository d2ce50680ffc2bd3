"""oncall: on-call rotations and readiness checklists as code."""

__version__ = "0.1.0"
