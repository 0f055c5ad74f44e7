"""Entity dashboards: what an entity page shows before its raw statements (issue 28).

A summary card (what it is, when, where, what it belongs to, in the page's language) and panels, each the
answer of a named query about the entity — what it took part in, who it worked with, its leaders, its
editions, who took part in it, what a fund paid for — with a link to "the query behind this" on the query
page. A panel with no rows is left out. The named queries are the project's own, bound to the entity's IRI
as a typed term, so they run here, in the page's thread, not in the sandboxed workers that run the queries
people type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

if TYPE_CHECKING:
    from .api import CultureGraph

AGENTS = ("person", "organisation", "fund", "country")
#: kind of record → panels: (named query, its entity parameter, columns shown, panel title per language)
PANELS: dict[str, list[tuple[str, str, tuple[str, ...], dict[str, str]]]] = {}
_TOOK_PART = ("entity-participations", "entity", ("year", "event", "role", "programme"),
              {"en": "Took part in", "ko": "참여 이력", "id": "Ikut serta dalam"})
_PARTNERS = ("entity-partners", "entity", ("partner", "shared", "first", "last"),
             {"en": "Worked with most", "ko": "함께한 상대", "id": "Paling sering bekerja sama dengan"})
_LEADERS = ("institution-leaders", "organisation", ("ordinal", "person", "position", "start", "end"),
            {"en": "Leaders over time", "ko": "역대 기관장", "id": "Pimpinan dari waktu ke waktu"})
_EDITIONS = ("programme-editions", "series", ("year", "edition", "ordinal", "city", "country"),
             {"en": "Editions", "ko": "회차", "id": "Edisi"})
_WHO = ("took-part", "item", ("who", "roleKey", "affiliation", "event"),
        {"en": "Who took part", "ko": "참여자", "id": "Siapa yang ikut serta"})
_FUNDED = ("fund-portfolio", "fund", ("item", "kind", "start", "end"),
           {"en": "What it paid for", "ko": "지원 사업", "id": "Yang didanai"})
_PLACES = ("entity-places", "entity", ("place", "events"),
           {"en": "Where it took place", "ko": "장소", "id": "Tempat"})
PANELS.update({
    "person": [_TOOK_PART, _PLACES, _PARTNERS],
    "organisation": [_LEADERS, _TOOK_PART, _PLACES, _PARTNERS],
    "fund": [_FUNDED, _TOOK_PART, _PLACES, _PARTNERS],
    "country": [_TOOK_PART, _PLACES, _PARTNERS],
    "series": [_EDITIONS, _PLACES, _WHO],
    "edition": [_WHO],
    "event": [_WHO],
    "agreement": [_WHO],
    "project": [_WHO],
    "designated-year": [_WHO],
})
SUMMARY = """
SELECT ?entity ?start ?end ?place ?partOf WHERE {
  OPTIONAL { ?entity schema:startDate|dcterms:date|schema:foundingDate ?start }
  OPTIONAL { ?entity schema:endDate ?end }
  OPTIONAL { ?entity cg:hostCity|schema:location|cg:hostCountry|cg:basedIn|cg:site|schema:containedInPlace ?place }
  OPTIONAL { ?entity cg:partOfSeries|cg:partOfProgramme|cg:partOfEdition|cg:relatedEdition|cg:phaseOf
                     |org:subOrganizationOf ?partOf }
}"""


@dataclass
class Cell:
    text: str
    href: str | None = None


@dataclass
class Panel:
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    query_href: str
    more: int = 0  # rows not shown
    view: str = "table"  # "map" / "network": the page draws the panel's query above its table


@dataclass
class Summary:
    kind: str
    when: str = ""
    where: list[Cell] = field(default_factory=list)
    part_of: list[Cell] = field(default_factory=list)


def _local(cg: CultureGraph, iri: str) -> str | None:
    prefix = cg.settings.base_iri + "id/"
    return "/id/" + iri[len(prefix):] if iri.startswith(prefix) else None


def summary(cg: CultureGraph, iri: str, kind: str, lang: str) -> Summary:
    """When, where and what it belongs to, from its own statements."""
    from rdflib import URIRef

    rows = cg.query(SUMMARY, params={"entity": URIRef(iri)}).rows
    starts = sorted({str(r[1]) for r in rows if r[1] is not None})
    ends = sorted({str(r[2]) for r in rows if r[2] is not None})
    when = starts[0] if starts else ""
    if ends and ends[-1] != when:
        when = f"{when} – {ends[-1]}" if when else f"– {ends[-1]}"
    places = {str(r[3]): cg.label(str(r[3]), lang) for r in rows if r[3] is not None}
    parents = {str(r[4]): cg.label(str(r[4]), lang) for r in rows if r[4] is not None}
    return Summary(kind, when, [Cell(v, _local(cg, k)) for k, v in sorted(places.items(), key=lambda kv: kv[1])],
                   [Cell(v, _local(cg, k)) for k, v in sorted(parents.items(), key=lambda kv: kv[1])])


def panels(cg: CultureGraph, iri: str, kind: str, lang: str, limit: int = 30) -> list[Panel]:
    """The panels for an entity of ``kind``, each a named query's rows (empty panels left out)."""
    from rdflib import URIRef

    out: list[Panel] = []
    registry = {q.name: q for q in cg.named_queries()}  # read once: run_named by name would read them all again
    for name, param, columns, titles in PANELS.get(kind, []):
        if name not in registry:
            continue
        res = cg.run_named(registry[name], {param: URIRef(iri)}, lang=lang)
        if not res.rows:
            continue
        index = {v: i for i, v in enumerate(res.variables)}
        shown = [c for c in columns if c in index]
        rows = []
        for r in res.rows[:limit]:
            cells = []
            for c in shown:
                value, label_at = r[index[c]], index.get(c + "Label")
                label = r[label_at] if label_at is not None else None
                text = str(label if label is not None else value) if value is not None else ""
                href = _local(cg, str(value)) if value is not None and str(value).startswith("http") else None
                cells.append(Cell(text, href))
            rows.append(cells)
        query = urlencode({param: iri, "lang": lang})
        out.append(Panel(titles.get(lang, titles["en"]), shown, rows, f"/queries/{name}?{query}",
                         max(0, len(res.rows) - limit),
                         {"entity-places": "map", "entity-partners": "network"}.get(name, "table")))
    return out


def dashboard(cg: CultureGraph, iri: str, lang: str) -> dict[str, Any]:
    """Everything the entity page shows above its statements."""
    kind = iri[len(cg.settings.base_iri + "id/"):].split("/", 1)[0]
    return {"summary": summary(cg, iri, kind, lang), "panels": panels(cg, iri, kind, lang)}
