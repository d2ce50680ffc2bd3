"""The input state caches are keyed on: config files, code, and the timezone data read."""

from __future__ import annotations

import os
import shutil
import time
import zoneinfo
from collections.abc import Iterator
from pathlib import Path

import pytest

from oncall.config import inputs
from tests.zones import compile_zone


@pytest.fixture
def tz_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder searched for zones ahead of the system's, for the length of one test."""
    folder = tmp_path / "zones"
    folder.mkdir()
    zoneinfo.reset_tzpath(to=[str(folder), *zoneinfo.TZPATH])
    try:
        yield folder
    finally:
        zoneinfo.reset_tzpath()


@pytest.mark.skipif(shutil.which("zic") is None, reason="zic (the time zone compiler) is not installed")
def test_zone_state_follows_the_file_zoneinfo_reads(tz_folder: Path) -> None:
    compile_zone(tz_folder, "1:00")
    first = inputs.zone_state(["Oncall/Test", "Europe/Berlin"])
    assert str(tz_folder / "Oncall" / "Test") in first
    assert inputs.zone_state(["Europe/Berlin", "Oncall/Test", "Oncall/Test"]) == first  # order, repeats
    time.sleep(0.01)
    compile_zone(tz_folder, "2:00")  # a new release of the zone's rules
    assert inputs.zone_state(["Oncall/Test", "Europe/Berlin"]) != first
    # A zone that appears ahead of the system's copy: the state names the new file.
    shutil.copy("/usr/share/zoneinfo/Asia/Tokyo", tz_folder / "Europe-Berlin")
    (tz_folder / "Europe").mkdir()
    os.replace(tz_folder / "Europe-Berlin", tz_folder / "Europe" / "Berlin")
    assert str(tz_folder / "Europe" / "Berlin") in inputs.zone_state(["Europe/Berlin"])


def test_zone_state_of_a_missing_zone() -> None:
    assert "None" in inputs.zone_state(["Nowhere/Atlantis"])
    assert inputs.zone_state(["Nowhere/Atlantis"]) != inputs.zone_state(["Europe/Berlin"])


def test_config_state_moves_with_any_input(tmp_path: Path) -> None:
    (tmp_path / "schedules").mkdir()
    (tmp_path / "schedules" / "a.yaml").write_text("name: A\n")
    first, newest = inputs.config_state(tmp_path)
    assert newest == max(os.stat(tmp_path / "schedules" / "a.yaml").st_mtime_ns,
                         os.stat(tmp_path / "schedules" / "a.yaml").st_ctime_ns)
    assert inputs.config_state(tmp_path)[0] == first
    (tmp_path / "oncall.yaml").write_text("{}\n")
    second = inputs.config_state(tmp_path)[0]
    assert second != first
    (tmp_path / "schedules" / "a.yaml").write_text("name: B\n")
    assert inputs.config_state(tmp_path)[0] != second


def test_package_state_lists_every_module() -> None:
    names = {name for name, _, _ in inputs.package_state()}
    assert {"model.py", os.path.join("config", "inputs.py"), os.path.join("engine", "timeline.py")} <= names
