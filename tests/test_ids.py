"""Ids from names (oncall/ids.py): the one rule the importers, the rotation edits and the
loader's suggestions share."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncall.config.loader import load_org
from oncall.errors import ConfigErrors
from oncall.ids import slug, unique


def test_slugs_fold_accents_and_punctuation() -> None:
    assert slug("José Núñez") == "jose-nunez"
    assert slug("  O'Brien, Pat (SRE) ") == "o-brien-pat-sre"
    assert slug("on.call_team") == "on.call_team"
    assert slug("李", "person") == "person"
    assert slug("---") == "id"


def test_unique_numbers_a_clash_from_2() -> None:
    assert unique("alex", set()) == "alex"
    assert unique("alex", {"alex"}) == "alex-2"
    assert unique("alex", {"alex", "alex-2"}) == "alex-3"
    assert unique("alex", ["alex-2"]) == "alex"


def test_the_loader_suggests_the_same_id_an_import_would_make(tmp_path: Path) -> None:
    (tmp_path / "schedules").mkdir()
    (tmp_path / "schedules" / "people.yaml").write_text("people:\n  José Núñez:\n    name: José Núñez\n",
                                                        encoding="utf-8")
    with pytest.raises(ConfigErrors) as caught:
        load_org(tmp_path)
    [problem] = caught.value.problems
    assert str(problem).endswith("write e.g. 'jose-nunez'")
