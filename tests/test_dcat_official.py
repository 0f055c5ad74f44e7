"""The release's DCAT-AP description conforms to the official DCAT-AP 3.0.1 SHACL shapes (SEMIC, read from
../shared/standards/dcat-ap-3.0.1/): the mandatory shapes and the class ranges, pySHACL without inference,
zero violations (issue 29, item 4)."""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.namespace import SH

from culturegraph.export.release import release_files

from .conftest import ROOT

OFFICIAL = ROOT.parent / "shared" / "standards" / "dcat-ap-3.0.1"


@pytest.mark.skipif(not OFFICIAL.is_dir(), reason="the official shapes (../shared/standards) are absent")
@pytest.mark.parametrize("shapes", ["shapes.ttl", "range.ttl"])
def test_catalog_conforms_to_the_official_dcat_ap_shapes(cg, shapes: str) -> None:
    from pyshacl import validate

    data = Graph().parse(data=release_files(cg)["catalog.ttl"], format="turtle")
    official = Graph().parse(OFFICIAL / shapes, format="turtle")
    _conforms, report, _text = validate(data, shacl_graph=official, inference="none", allow_warnings=True)
    violations = sorted({(str(report.value(r, SH.focusNode)), str(report.value(r, SH.resultPath)))
                         for r in report.subjects(SH.resultSeverity, SH.Violation)})
    assert violations == [], violations[:10]
