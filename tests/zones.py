"""Time zone rules made for a test, as a tz release would install them."""

from __future__ import annotations

import subprocess
from pathlib import Path


def compile_zone(folder: Path, offset: str) -> None:
    """Compile the zone ``Oncall/Test`` at ``offset`` from UTC into ``folder`` with zic (the time
    zone compiler), as a tz release installs a zone's new rules."""
    source = folder.parent / "zone.txt"
    source.write_text(f"Zone Oncall/Test {offset} - OT\n")
    subprocess.run(["zic", "-d", str(folder), str(source)], check=True, capture_output=True)
