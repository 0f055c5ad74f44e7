"""Linked-data documents for entity IRIs: what the server returns for ``/id/{kind}/{id}``.

One collection of triples per entity (its own statements, the statements pointing at it, the
``cg:Claim`` nodes that give a statement its sources and confidence, and the ``cg:Conflict`` nodes about
it with their readings) feeds both renderings: RDF (Turtle, JSON-LD, N-Triples, RDF/XML) and the HTML
page, whose values are all escaped by the template engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox

from .derived import INDEX_ONLY
from .labels import pick_label
from .namespaces import all_prefixes

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
LABEL_PREDICATES = (RDFS + "label", SKOS + "prefLabel")
CG_NS = "https://w3id.org/culturegraph/ontology#"
#: incoming links shown per relation; the rest are counted and linked to a query that lists them all
INCOMING_PER_RELATION = 50


@dataclass
class Value:
    """A value as shown in HTML: ``href`` only for http(s) IRIs (local for the dataset's own IRIs)."""

    text: str
    iri: str | None = None
    href: str | None = None
    lang: str | None = None
    datatype: str | None = None


@dataclass
class Annotation:
    """Sources, confidence and note of one statement (from its ``cg:Claim``) or one reading."""

    sources: list[Value] = field(default_factory=list)
    confidence: Value | None = None
    note: str | None = None
    iri: Value | None = None


@dataclass
class Statement:
    predicate: Value
    value: Value
    claims: list[Annotation] = field(default_factory=list)
    details: list[tuple[Value, Value]] = field(default_factory=list)  # of an unlabelled node (a term of office)


@dataclass
class Incoming:
    subject: Value
    predicate: Value
    details: list[tuple[Value, Value]] = field(default_factory=list)


@dataclass
class MoreIncoming:
    """Links of one relation not shown: how many, and a query page that lists them all."""

    predicate: Value
    hidden: int
    total: int
    query_href: str


@dataclass
class Reading:
    text: str
    value: Value | None
    asserted: bool
    annotation: Annotation


@dataclass
class ConflictView:
    link: Value
    note: str | None
    readings: list[Reading]


@dataclass
class EntityView:
    iri: str
    label: str
    labels: list[tuple[str, str | None]]
    types: list[Value]
    statements: list[Statement]
    sources: list[Value]
    incoming: list[Incoming]
    incoming_more: list[MoreIncoming]
    conflicts: list[ConflictView]


class Describer:
    """Builds entity documents from a pyoxigraph store (the facade's), caching labels per language."""

    def __init__(self, store: ox.Store, base_iri: str, default_lang: str = "en"):
        self.store = store
        self.base_iri = base_iri
        self.default_lang = default_lang
        self.prefixes = {p: ns for p, ns in all_prefixes(base_iri).items() if p != "cgr"}
        self._label = lru_cache(maxsize=65536)(self._label_uncached)

    # ------------------------------------------------------------------ lookups
    def _objects(self, s: Any, p: str) -> list[Any]:
        return sorted({q.object for q in self.store.quads_for_pattern(s, ox.NamedNode(p), None)}, key=str)

    def coordinates(self, iri: str) -> tuple[float, float] | None:
        """(latitude, longitude) of a place that has them, else None."""
        try:
            node = ox.NamedNode(iri)
        except ValueError:
            return None
        lat = self._objects(node, "https://schema.org/latitude")
        long = self._objects(node, "https://schema.org/longitude")
        if lat and long:
            return float(lat[0].value), float(long[0].value)
        return None

    def exists(self, iri: str) -> bool:
        """True when ``iri`` is the subject or object of some statement."""
        node = ox.NamedNode(iri)
        return (next(iter(self.store.quads_for_pattern(node, None, None)), None) is not None
                or next(iter(self.store.quads_for_pattern(None, None, node)), None) is not None)

    def _label_uncached(self, iri: str, lang: str) -> str:
        node = ox.NamedNode(iri)
        for pred in LABEL_PREDICATES:
            cands = [(o.value, o.language) for o in self._objects(node, pred) if isinstance(o, ox.Literal)]
            if cands:
                return pick_label(cands, lang) or iri
        # a participation has no label of its own: show who took part in which role
        who = self._objects(node, CG_NS + "participant")
        role = self._objects(node, CG_NS + "role")
        if who and role:
            return f"{self._label(who[0].value, lang)} · {self._label(role[0].value, lang)}"
        return self.compact(iri)

    def label(self, iri: str, lang: str) -> str:
        """The label in ``lang`` (→ en → any), else the prefixed name, else the IRI."""
        return self._label(iri, lang)

    def compact(self, iri: str) -> str:
        """``person:lee-kyogu`` for a dataset IRI, ``schema:name`` for a vocabulary term, else the IRI."""
        best = ""
        for prefix, ns in self.prefixes.items():
            if iri.startswith(ns) and len(ns) > len(self.prefixes.get(best, "")):
                local = iri[len(ns):]
                if local and all(c.isalnum() or c in "-_." for c in local):
                    best = prefix
        if best:
            return f"{best}:{iri[len(self.prefixes[best]):]}"
        if iri.startswith(self.base_iri + "id/"):  # e.g. participation/forum-2025-keynote/1
            return iri[len(self.base_iri) + 3:]
        return iri

    def href(self, iri: str) -> str | None:
        """Where a link to ``iri`` points: this server for dataset IRIs, the IRI itself for http(s)."""
        if iri.startswith(self.base_iri + "id/"):
            return "/" + iri[len(self.base_iri):]
        if iri.startswith(("http://", "https://")):
            return iri
        return None

    def value(self, term: Any, lang: str) -> Value:
        if isinstance(term, ox.NamedNode):
            return Value(self.label(term.value, lang), term.value, self.href(term.value))
        if isinstance(term, ox.Literal):
            dt = term.datatype.value
            short = None if term.language or dt == XSD + "string" else self.compact(dt)
            return Value(term.value, lang=term.language, datatype=short)
        return Value(str(term))

    # ------------------------------------------------------------------ the document
    def triples(self, iri: str) -> list[ox.Triple]:
        """The entity's RDF document: its statements, statements about it, its claims and conflicts."""
        node = ox.NamedNode(iri)
        out = {q.triple for q in self.store.quads_for_pattern(node, None, None)}
        incoming = [q.triple for q in self.store.quads_for_pattern(None, None, node)]
        out.update(incoming)
        for t in incoming:
            if t.predicate.value in (RDF + "subject", "https://w3id.org/culturegraph/ontology#about"):
                out.update(q.triple for q in self.store.quads_for_pattern(t.subject, None, None))
                for reading in self._objects(t.subject, "https://w3id.org/culturegraph/ontology#reading"):
                    out.update(q.triple for q in self.store.quads_for_pattern(reading, None, None))
        return sorted((t for t in out if t.predicate.value not in INDEX_ONLY),
                      key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))

    def serialize(self, iri: str, fmt: str) -> bytes:
        """The entity's document in ``turtle``, ``ntriples``, ``jsonld`` or ``rdfxml``."""
        formats = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
                   "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}
        triples = self.triples(iri)
        prefixes = None
        if fmt in ("turtle", "rdfxml"):
            text = " ".join(str(t) for t in triples)
            prefixes = {p: ns for p, ns in self.prefixes.items() if "<" + ns in text or "^^<" + ns in text}
        data = ox.serialize(triples, format=formats[fmt], prefixes=prefixes) or b""
        if fmt == "turtle":  # the serializer writes prefixes in hash order: sort them
            lines = data.split(b"\n")
            n = sum(1 for line in lines if line.startswith(b"@prefix "))
            data = b"\n".join(sorted(lines[:n]) + lines[n:])
        return data

    def view(self, iri: str, lang: str | None = None) -> EntityView:
        """Everything the HTML page shows, labels in ``lang`` (→ en → any). Of the statements pointing here,
        at most :data:`INCOMING_PER_RELATION` per relation are drawn (the first by subject IRI, shown by
        label); the others are only counted — a hub with thousands of participations costs a page of rows,
        not thousands."""
        lang = lang or self.default_lang
        node = ox.NamedNode(iri)
        claims: dict[tuple[str, str], list[Annotation]] = {}
        conflicts: list[ConflictView] = []
        by_relation: dict[str, dict[str, Any]] = {}
        for q in self.store.quads_for_pattern(None, None, node):
            s, p = q.subject, q.predicate.value
            if p not in INDEX_ONLY:
                by_relation.setdefault(p, {})[str(s)] = s
        for _, claim in sorted(by_relation.pop(RDF + "subject", {}).items()):  # statements' sources
            preds = self._objects(claim, RDF + "predicate")
            objs = self._objects(claim, RDF + "object")
            if preds and objs:
                claims.setdefault((str(preds[0]), str(objs[0])), []).append(self._annotation(claim, lang))
        for _, conflict in sorted(by_relation.pop(CG_NS + "about", {}).items()):
            conflicts.append(self._conflict(conflict, lang))
        incoming: list[Incoming] = []
        more: list[MoreIncoming] = []
        for p, subjects in by_relation.items():
            pv = self.value(ox.NamedNode(p), lang)
            shown = [subjects[k] for k in sorted(subjects)[:INCOMING_PER_RELATION]]
            incoming += [Incoming(self.value(s, lang), pv, self._details(s, node, lang)) for s in shown]
            if len(subjects) > len(shown):
                query = f"SELECT ?resource WHERE {{ ?resource <{p}> <{iri}> }} ORDER BY ?resource"
                more.append(MoreIncoming(pv, len(subjects) - len(shown), len(subjects),
                                         "/?" + urlencode({"query": query})))
        statements, sources, types, labels = [], [], [], []
        seen: set[tuple[str, str]] = set()
        for q in self.store.quads_for_pattern(node, None, None):
            key = (str(q.predicate), str(q.object))
            if key in seen or q.predicate.value in INDEX_ONLY:
                continue
            seen.add(key)
            p = q.predicate.value
            if p == DCT + "source":
                sources.append(self.value(q.object, lang))
            elif p == RDF + "type":
                types.append(self.value(q.object, lang))
            else:
                if p in LABEL_PREDICATES and isinstance(q.object, ox.Literal):
                    labels.append((q.object.value, q.object.language))
                statements.append(Statement(self.value(q.predicate, lang), self.value(q.object, lang),
                                            claims.get(key, []), self._details(q.object, node, lang)))
        statements.sort(key=lambda st: (st.predicate.text.lower(), st.predicate.iri or "", st.value.lang or "",
                                        st.value.text))
        incoming.sort(key=lambda i: (i.predicate.text.lower(), i.subject.text.lower(), i.subject.iri or ""))
        more.sort(key=lambda m: (m.predicate.text.lower(), m.predicate.iri or ""))
        return EntityView(
            iri=iri, label=self.label(iri, lang), labels=sorted(set(labels), key=lambda x: (x[1] or "", x[0])),
            types=sorted(types, key=lambda v: v.text), statements=statements,
            sources=sorted(sources, key=lambda v: v.text.lower()), incoming=incoming, incoming_more=more,
            conflicts=sorted(conflicts, key=lambda c: c.link.iri or ""))

    def _note(self, node: Any, lang: str) -> str | None:
        notes = [(o.value, o.language) for o in self._objects(node, SKOS + "note") if isinstance(o, ox.Literal)]
        return pick_label(notes, lang)

    def _annotation(self, node: Any, lang: str) -> Annotation:
        conf = self._objects(node, "https://w3id.org/culturegraph/ontology#confidence")
        return Annotation(
            sources=sorted((self.value(o, lang) for o in self._objects(node, DCT + "source")),
                           key=lambda v: v.text.lower()),
            confidence=self.value(conf[0], lang) if conf else None,
            note=self._note(node, lang),
            iri=self.value(node, lang) if isinstance(node, ox.NamedNode) else None)

    def _conflict(self, node: Any, lang: str) -> ConflictView:
        readings = []
        for r in self._objects(node, "https://w3id.org/culturegraph/ontology#reading"):
            texts = [(o.value, o.language) for o in self._objects(r, RDF + "value") if isinstance(o, ox.Literal)]
            objs = self._objects(r, RDF + "object")
            asserted = any(isinstance(o, ox.Literal) and o.value == "true"
                           for o in self._objects(r, "https://w3id.org/culturegraph/ontology#asserted"))
            readings.append(Reading(pick_label(texts, lang) or "", self.value(objs[0], lang) if objs else None,
                                    asserted, self._annotation(r, lang)))
        return ConflictView(self.value(node, lang), self._note(node, lang), readings)

    def _details(self, node: Any, entity: ox.NamedNode, lang: str) -> list[tuple[Value, Value]]:
        """For a participation or a term of office (nodes without a label of their own) linked with this
        entity: its other statements."""
        if not isinstance(node, ox.NamedNode) or not ("/id/participation/" in node.value
                                                      or "/id/tenure/" in node.value):
            return []
        out = []
        for q in self.store.quads_for_pattern(node, None, None):
            p = q.predicate.value
            if q.object == entity or p == RDF + "type" or p == DCT + "source" or p in INDEX_ONLY:
                continue
            out.append((self.value(q.predicate, lang), self.value(q.object, lang)))
        return sorted(set_unique(out), key=lambda pv: (pv[0].text, pv[1].text))


def set_unique(pairs: list[tuple[Value, Value]]) -> list[tuple[Value, Value]]:
    """Drop repeated (predicate, value) pairs (a triple may sit in several named graphs)."""
    seen, out = set(), []
    for p, v in pairs:
        key = (p.iri, v.iri, v.text, v.lang)
        if key not in seen:
            seen.add(key)
            out.append((p, v))
    return out
