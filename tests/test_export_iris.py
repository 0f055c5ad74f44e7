"""Stable IRIs: rebuilding never changes one, renaming a label never changes one, published record IRIs never
disappear (tests/data/iris.txt), and every IRI follows a pattern documented in docs/data-model.md."""

from __future__ import annotations

import re
from pathlib import Path

from culturegraph.api import CultureGraph
from culturegraph.export.iris import record_iris, stable_iris

from .conftest import FIXTURES, ROOT

REGENERATE = ".venv/bin/python -m culturegraph.export.iris > tests/data/iris.txt"


def test_rebuilding_keeps_every_iri(cg: CultureGraph) -> None:
    again = CultureGraph(ROOT)
    assert stable_iris(again) == stable_iris(cg)


def test_published_record_iris_still_exist(cg: CultureGraph) -> None:
    published = (FIXTURES / "iris.txt").read_text(encoding="utf-8").split()
    missing = sorted(set(published) - set(record_iris(cg)))
    assert not missing, (f"{len(missing)} published IRIs disappeared (an id was renamed or removed): "
                         f"{missing[:10]}. If that is intended, regenerate the list: {REGENERATE}")


def test_renaming_a_label_keeps_every_iri(mini: Path) -> None:
    before = CultureGraph(mini)
    iris = stable_iris(before)
    assert before.label(before.iri("lee-kyogu"), "en") == "Kyogu Lee"
    people = mini / "data" / "people.yaml"
    text = people.read_text(encoding="utf-8")
    assert "Kyogu Lee" in text
    people.write_text(text.replace("Kyogu Lee", "Lee Kyo-gu (renamed for a test)"), encoding="utf-8")
    after = CultureGraph(mini)
    assert after.label(after.iri("lee-kyogu"), "en") == "Lee Kyo-gu (renamed for a test)"
    assert stable_iris(after) == iris


def test_every_iri_follows_a_documented_pattern(cg: CultureGraph) -> None:
    doc = (ROOT / "docs" / "data-model.md").read_text(encoding="utf-8")
    kinds = set(re.findall(r"`\{base\}id/([a-z-]+)/", doc))
    base = cg.settings.base_iri + "id/"
    used = {iri[len(base):].split("/", 1)[0] for iri in stable_iris(cg)}
    assert used <= kinds, f"IRI kinds without a documented pattern: {sorted(used - kinds)}"
    assert all(f"{base}{rec.kind.path}/{rid}" == str(cg.iri(rid)) for rid, rec in cg.loaded.records.items())
