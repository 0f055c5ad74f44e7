"""What the catalogue and VoID pages show a browser: read back from the very documents portals harvest
(``catalog.ttl``, ``void.ttl`` of the release bundle), so the page and the RDF never disagree."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..api import CultureGraph

DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
VOID = "http://rdfs.org/ns/void#"


def summary(cg: CultureGraph, which: str) -> dict[str, Any]:
    """Title, description, coverage, licence and distributions (catalogue), or the statistics (VoID)."""
    from rdflib import Graph, URIRef

    from .release import release_files

    g = Graph().parse(data=release_files(cg)[f"{which}.ttl"], format="turtle")
    dataset = URIRef(cg.settings.base_iri + "dataset")

    def text(s: Any, p: str, lang: str = "en") -> str:
        values = list(g.objects(s, URIRef(p)))
        chosen = [v for v in values if getattr(v, "language", None) == lang] or values
        return str(chosen[0]) if chosen else ""

    out: dict[str, Any] = {"title": text(dataset, DCT + "title"), "description": text(dataset, DCT + "description"),
                           "dataset": str(dataset)}
    if which == "catalog":
        period = g.value(dataset, URIRef(DCT + "temporal"))
        out["period"] = (text(period, DCAT + "startDate"), text(period, DCAT + "endDate")) if period else None
        out["licence"] = text(dataset, DCT + "license")
        out["version"] = text(dataset, DCAT + "version")
        out["modified"] = text(dataset, DCT + "modified")
        out["countries"] = len(list(g.objects(dataset, URIRef(DCT + "spatial"))))
        rows = []
        for dist in g.objects(dataset, URIRef(DCAT + "distribution")):
            media = text(dist, DCAT + "mediaType")  # an IANA IRI: show its type/subtype
            rows.append({"title": text(dist, DCT + "title"),
                         "url": text(dist, DCAT + "downloadURL") or text(dist, DCAT + "accessURL"),
                         "media": "/".join(media.split("/")[-2:]), "bytes": text(dist, DCAT + "byteSize")})
        out["distributions"] = sorted(rows, key=lambda r: r["title"] or r["url"])
    else:
        out["stats"] = [(name, text(dataset, VOID + name)) for name in
                        ("triples", "entities", "distinctSubjects", "distinctObjects", "properties", "classes")
                        if text(dataset, VOID + name)]
        parts = []
        for part in g.objects(dataset, URIRef(VOID + "classPartition")):
            cls = text(part, VOID + "class")
            parts.append((cls.rsplit("#", 1)[-1].rsplit("/", 1)[-1], text(part, VOID + "entities")))
        out["classes"] = sorted(parts, key=lambda p: (-int(p[1] or 0), p[0]))
        out["sparql"] = text(dataset, VOID + "sparqlEndpoint")
    return out
