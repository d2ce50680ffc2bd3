"""Changing schedules safely: edits to the YAML files, shift diffs and hours reports.

Nothing here imports typer or rich; heavy libraries (ruamel.yaml, holidays) are imported inside
the functions that need them so the CLI starts fast.
"""
