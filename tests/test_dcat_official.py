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


# recommended properties the catalog leaves out on purpose: the path → a phrase of the README's reason
EXPLAINED = {"http://www.w3.org/ns/dcat#bbox": "`dcat:bbox` and `dcat:centroid`",
             "http://www.w3.org/ns/dcat#centroid": "`dcat:bbox` and `dcat:centroid`",
             "http://purl.org/dc/terms/type": "`dct:type` on the publisher"}


@pytest.mark.skipif(not OFFICIAL.is_dir(), reason="the official shapes (../shared/standards) are absent")
def test_recommended_shapes_warnings_are_each_explained_in_the_readme(cg) -> None:
    """The official recommended shapes' warnings: fixed, or each kind explained in the release README (the
    data service's contact point, themes and keywords were fixed; what is left has a reason)."""
    from pyshacl import validate

    files = release_files(cg)
    data = Graph().parse(data=files["catalog.ttl"], format="turtle")
    official = Graph().parse(OFFICIAL / "shapes_recommended.ttl", format="turtle")
    _conforms, report, _text = validate(data, shacl_graph=official, inference="none", allow_warnings=True)
    assert not list(report.subjects(SH.resultSeverity, SH.Violation))
    warned = {str(report.value(r, SH.resultPath)) for r in report.subjects(SH.resultSeverity, SH.Warning)}
    assert warned, "the recommended shapes ran"
    unexplained = warned - set(EXPLAINED)
    assert not unexplained, unexplained
    readme = files["README.md"].decode("utf-8")
    for path in warned:
        assert EXPLAINED[path] in readme, path
    # the publisher and the spatial coverage are what the warnings are about, not something else
    for r in report.subjects(SH.resultSeverity, SH.Warning):
        focus = str(report.value(r, SH.focusNode))
        assert focus.endswith("/publisher") or "/id/country/" in focus or "/authority/country/" in focus, focus
