"""The facts network views are drawn from, read once per facade with a handful of SPARQL SELECTs.

Every projection in :mod:`culturegraph.projections` is built from this :class:`Index` (entities with their
class, labels, dates and sources; links between entities; participations; claims), so the views, the
analysis and ``culturegraph path`` all see the same statements — the ones ``cg.query`` sees. Terms are kept
as IRI strings and every collection is sorted, so whatever ``PYTHONHASHSEED`` is, the output is the same.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from .labels import pick_label
from .memo import per_facade
from .namespaces import CG

if TYPE_CHECKING:
    from .api import CultureGraph

CGNS = str(CG)
#: Classes drawn as nodes, most specific first (a resource gets the first class it has).
ENTITY_CLASSES: tuple[str, ...] = (
    "Edition", "PrecursorEvent", "SeriesEdition", "Session", "RelatedEvent", "Agreement", "ForumSeries",
    "Series", "Project", "DesignatedYear", "Programme", "Fund", "Organisation", "Person", "Theme", "Country",
    "City", "Venue", "HeritageSite",
)
EVENT_CLASSES = frozenset({"Edition", "PrecursorEvent", "SeriesEdition", "Session", "RelatedEvent", "Agreement",
                           "ForumSeries", "Series", "Project", "DesignatedYear", "Programme"})
FORUM_CLASSES = frozenset({"Edition", "PrecursorEvent"})
#: The occurrences of any series (the forum's editions and precursor, ministers' meetings, FLY years …):
#: what "the same edition" means in the views.
EDITION_CLASSES = FORUM_CLASSES | {"SeriesEdition"}
TENURE = CGNS + "hasTenure"
#: Predicates between entities that carry no meaning for a network (typing, provenance, inverses).
SKIPPED_LINKS = frozenset({
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "http://purl.org/dc/terms/source",
    CGNS + "hasParticipation", "http://www.w3.org/2004/02/skos/core#inScheme",
    "http://www.w3.org/2004/02/skos/core#narrower", "http://www.w3.org/2002/07/owl#sameAs",
})
ALL_ROWS = 10**9
SUPER_EVENT = "https://schema.org/superEvent"

Labels = list[tuple[str, str | None]]


@dataclass(frozen=True)
class Participation:
    """One ``cg:Participation``: who took part in which event, in which role, for which organisation."""

    iri: str
    event: str
    agent: str
    role: str | None
    affiliation: str | None
    sources: tuple[str, ...]


@dataclass
class Index:
    """Plain-Python facts of the graph, keyed by IRI string (see module docstring)."""

    base: str
    types: dict[str, str] = field(default_factory=dict)  # entity IRI -> class local name
    labels: dict[str, Labels] = field(default_factory=dict)  # entities and ontology terms
    dates: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)  # (start, end)
    sources: dict[str, tuple[str, ...]] = field(default_factory=dict)  # any subject -> cg:Source IRIs
    source_info: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # src -> (url, title, date)
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (s, p, o) between entities, sorted
    claim_sources: dict[tuple[str, str, str], tuple[str, ...]] = field(default_factory=dict)
    participations: list[Participation] = field(default_factory=list)
    positions: dict[str, Labels] = field(default_factory=dict)  # participation -> positionAtTime
    parent: dict[str, str] = field(default_factory=dict)  # session / side event / agreement -> forum event

    # ------------------------------------------------------------------ derived facts
    def label(self, iri: str, lang: str) -> str:
        """Label in ``lang`` → en → any (:func:`pick_label`), else a readable tail of the IRI."""
        return pick_label(self.labels.get(iri, ()), lang) or humanise(iri)

    def record_id(self, iri: str) -> str:
        """``…/id/organisation/kofice`` → ``organisation/kofice`` (the short id shown to people)."""
        prefix = self.base + "id/"
        return iri[len(prefix):] if iri.startswith(prefix) else iri

    def year(self, iri: str) -> int | None:
        """The year of an event: its own start date, else its forum event's."""
        start = self.dates.get(iri, (None, None))[0]
        if start is None and iri in self.parent:
            start = self.dates.get(self.parent[iri], (None, None))[0]
        return int(start[:4]) if start and start[:4].isdigit() else None

    def forum_event(self, iri: str) -> str | None:
        """The edition (of any series, or the forum's precursor) an event belongs to — itself for an edition."""
        if self.types.get(iri) in EDITION_CLASSES:
            return iri
        return self.parent.get(iri)

    def statement_sources(self, s: str, p: str, o: str) -> tuple[str, ...]:
        """Sources of one statement: those of its claim when one exists, else those of its subject."""
        return self.claim_sources.get((s, p, o)) or self.sources.get(s, ())

    def of_type(self, *classes: str) -> list[str]:
        return sorted(iri for iri, t in self.types.items() if t in classes)

    def data_date(self) -> str:
        """The latest date of any cited source: 'the data as of' shown on views and briefs."""
        dates = [d for _, _, d in self.source_info.values() if d]
        return max(dates) if dates else ""


def humanise(iri: str) -> str:
    """A readable fallback label from an IRI's last segment: ``containedInPlace`` → ``contained in place``."""
    tail = iri.rstrip("/#").replace("#", "/").rsplit("/", 1)[-1]
    out: list[str] = []
    for ch in tail:
        if ch.isupper() and out and out[-1] != " ":
            out.append(" ")
        out.append(ch.lower() if ch.isupper() else ch)
    return "".join(out).replace("-", " ") or iri


def _s(term) -> str | None:
    return None if term is None else str(term)


class _Lex(str):
    """A literal's lexical form with its language tag (``.language``, as on rdflib's ``Literal``)."""

    __slots__ = ("language",)
    language: str | None


def _lex(term: Any) -> str | None:
    if term is None:
        return None
    if type(term) is ox.Literal:
        out = _Lex(term.value)
        out.language = term.language
        return out
    return term.value


def index_rows(cg: CultureGraph, sparql: str) -> list[tuple]:
    """Every row of an index query, terms as strings (literals as :class:`_Lex`), read straight from
    pyoxigraph (``cg.store``, built from the data when the engine is rdflib's memory store): converting 2M
    terms to rdflib and back to strings was 3 of the 7.5 s the index took at a million triples, and rdflib's
    own SPARQL did not finish the links query on the real data within 5 minutes."""
    from .namespaces import all_prefixes

    res = cg.store.query(sparql, prefixes=all_prefixes(cg.settings.base_iri), use_default_graph_as_union=True)
    assert isinstance(res, ox.QuerySolutions)
    return [tuple(map(_lex, sol)) for sol in res]


def build_index(cg: CultureGraph) -> Index:
    """Run the index queries (each a plain SELECT over the union default graph)."""
    idx = Index(base=cg.settings.base_iri)
    values = " ".join(f"cg:{c}" for c in ENTITY_CLASSES)

    def rows(sparql: str) -> list[tuple]:
        return index_rows(cg, sparql)

    found: dict[str, set[str]] = defaultdict(set)
    for s, t in rows(f"SELECT ?s ?t WHERE {{ VALUES ?t {{ {values} }} ?s a ?t }}"):
        found[str(s)].add(str(t)[len(CGNS):])
    for s, classes in found.items():
        idx.types[s] = next(c for c in ENTITY_CLASSES if c in classes)

    labels: dict[str, set[tuple[str, str | None]]] = defaultdict(set)
    pref: dict[str, set[tuple[str, str | None]]] = defaultdict(set)
    for s, p, lit in rows("SELECT ?s ?p ?l WHERE { VALUES ?p { rdfs:label skos:prefLabel } ?s ?p ?l "
                          "FILTER(isLiteral(?l)) }"):
        target = labels if str(p).endswith("#label") else pref
        target[str(s)].add((str(lit), getattr(lit, "language", None)))
    for s in sorted(set(labels) | set(pref)):
        idx.labels[s] = sorted(labels.get(s) or pref[s], key=lambda c: (c[1] or "", c[0]))

    starts: dict[str, str] = {}
    ends: dict[str, str] = {}
    for s, p, d in rows("SELECT ?s ?p ?d WHERE { VALUES ?p { schema:startDate schema:endDate dcterms:date } "
                        "?s ?p ?d . ?s a ?t . FILTER(?t != cg:Source) }"):
        key = str(s)
        if key not in idx.types:
            continue
        bucket = ends if str(p).endswith("endDate") else starts
        bucket[key] = min(bucket.get(key, str(d)), str(d))
    for s in sorted(set(starts) | set(ends)):
        idx.dates[s] = (starts.get(s), ends.get(s))

    srcs: dict[str, set[str]] = defaultdict(set)
    for s, src in rows("SELECT ?s ?src WHERE { ?s dcterms:source ?src }"):
        srcs[str(s)].add(str(src))
    idx.sources = {s: tuple(sorted(v)) for s, v in sorted(srcs.items())}
    for src, url, title, date in rows(
            "SELECT ?src ?url ?title ?date WHERE { ?src a cg:Source OPTIONAL { ?src schema:url ?url } "
            "OPTIONAL { ?src dcterms:title ?title } OPTIONAL { ?src dcterms:date ?date } }"):
        idx.source_info[str(src)] = (_s(url) or "", _s(title) or "", _s(date) or "")

    links = set()
    # only statements of the data: not the ontology, not the build-time analytics (graph/derived, graph/index; the
    # graph IRIs come from the base_iri setting; pyoxigraph substitutions must be projected, so inline them)
    skip = ", ".join(f"<{idx.base}graph/{name}>" for name in ("derived", "index", "ontology"))
    if any(c in idx.base for c in '<>"{}| \\^`'):
        raise ValueError(f"base IRI {idx.base!r} is not a valid IRI")
    for s, p, o in rows(f"SELECT ?s ?p ?o WHERE {{ VALUES ?t {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} "
                        f"?o a ?t . FILTER(isIRI(?s) && ?g NOT IN ({skip})) }}"):
        s, p, o = str(s), str(p), str(o)
        if s in idx.types and o in idx.types and s != o and p not in SKIPPED_LINKS:
            links.add((s, p, o))
    # an organisation's leaders: one line organisation - person per term of office (the tenure node is not drawn)
    for org, person in rows("SELECT ?org ?person WHERE { ?org cg:hasTenure ?t . ?t org:member ?person }"):
        if str(org) in idx.types and str(person) in idx.types:
            links.add((str(org), TENURE, str(person)))
    idx.links = sorted(links)
    for s, p, o in idx.links:
        if p in (CGNS + "partOfEdition", CGNS + "relatedEdition") and idx.types.get(o) in EDITION_CLASSES:
            idx.parent.setdefault(s, o)
    supers = [(s, o) for s, p, o in idx.links if p == SUPER_EVENT]
    changed = True
    while changed:  # a side event that is part of another one belongs to that one's edition
        changed = False
        for s, o in supers:
            if s not in idx.parent and (idx.parent.get(o) or (o if idx.types.get(o) in EDITION_CLASSES else None)):
                idx.parent[s] = idx.parent.get(o) or o
                changed = True

    claims: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for s, p, o, src in rows(
            "SELECT ?s ?p ?o ?src WHERE { ?c a cg:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; "
            "dcterms:source ?src FILTER NOT EXISTS { ?c cg:asserted false } }"):
        claims[(str(s), str(p), str(o))].add(str(src))
    idx.claim_sources = {k: tuple(sorted(v)) for k, v in sorted(claims.items())}

    parts = []
    for part, event, agent, role, aff in rows(
            "SELECT ?part ?event ?agent ?role ?aff WHERE { ?part a cg:Participation ; cg:inEvent ?event ; "
            "cg:participant ?agent OPTIONAL { ?part cg:role ?role } "
            "OPTIONAL { ?part cg:affiliationAtTime ?aff } }"):
        parts.append(Participation(str(part), str(event), str(agent), _s(role), _s(aff),
                                   idx.sources.get(str(part), ())))
    idx.participations = sorted(set(parts), key=lambda p: (p.event, p.iri, p.agent, p.role or "",
                                                           p.affiliation or ""))
    positions: dict[str, set[tuple[str, str | None]]] = defaultdict(set)
    for part, pos in rows("SELECT ?part ?pos WHERE { ?part cg:positionAtTime ?pos }"):
        positions[str(part)].add((str(pos), getattr(pos, "language", None)))
    idx.positions = {k: sorted(v, key=lambda c: (c[1] or "", c[0])) for k, v in sorted(positions.items())}
    return idx


#: the :class:`Index` of a facade, built on first use and kept as long as the facade lives
get_index = per_facade(build_index)


def resolve_entity(cg: CultureGraph, ref: str) -> str:
    """An entity IRI from a record id (``kofice``), a prefixed name (``organisation:kofice``), a short id
    (``organisation/kofice``) or a full IRI. Raises :class:`NotFound` when it names no drawn entity."""
    from .errors import NotFound
    from .namespaces import all_prefixes

    idx = get_index(cg)
    ref = ref.strip()
    candidates = [ref, idx.base + "id/" + ref]
    if ":" in ref and not ref.startswith(("http://", "https://")):
        prefix, _, local = ref.partition(":")
        ns = all_prefixes(idx.base).get(prefix)
        if ns:
            candidates.append(str(ns) + local)
    # a record id, looked up in the prebuilt store when there is one (reading the YAML took 38 s at 1M)
    with contextlib.suppress(KeyError):
        candidates.insert(0, str(cg.iri(ref)))
    for cand in candidates:
        if cand in idx.types:
            return cand
    raise NotFound(f"no entity {ref!r} in the graph (give a record id such as 'kofice', or an IRI)")
