"""CSV tables for people who do not use RDF, with a data dictionary.

The columns come from the data model's field tables (:mod:`culturegraph.schema`), so every YAML key has a
column and a dictionary entry: text in languages becomes one column per language found (``name_en``,
``name_ko`` …), references become the id of the record referred to, controlled values their key
(``keynote``), and several values share one cell separated by ``|``. Rows are sorted by id; files are
UTF-8 with ``\\n`` line ends.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .. import schema as S  # noqa: N812  (as in load.py)
from ..namespaces import CG, DCTERMS, OWL, RDF, SKOS, all_prefixes

if TYPE_CHECKING:
    from ..api import CultureGraph

SEP = "|"
#: table name → record kinds it lists (``participations`` is built from the participation nodes).
TABLES: dict[str, tuple[str, ...]] = {
    "editions": ("edition",), "sessions": ("session",), "events": ("event",), "participations": (),
    "organisations": ("organisation",), "people": ("person",), "places": ("country", "city", "venue"),
    "themes": ("theme",), "agreements": ("agreement",), "sources": ("source",),
}
DESCRIPTIONS: dict[str, str] = {
    "id": "Record id (unique across the dataset; the IRI ends with it)",
    "iri": "The resource's stable IRI",
    "type": "Kind of record", "name": "Name", "alt_names": "Other names", "description": "Description",
    "title": "Title (sessions: official title; sources: as published; participations: talk title)",
    "gloss": "Descriptive English rendering, not an official title", "series": "Forum series (id)",
    "precursor": "true for the precursor event (not counted in the ordinals)",
    "ordinal": "Edition number in the series", "start": "Start date (YYYY-MM-DD, YYYY-MM or YYYY)",
    "end": "End date", "date": "Date", "mode": "online, offline or hybrid",
    "theme_title": "Theme or slogan as published", "themes": "Themes (ids in themes.csv)",
    "host_city": "Host city (id in places.csv)", "host_country": "Host country (id in places.csv)",
    "venue": "Venues (ids in places.csv)", "country_count": "Number of participating countries as stated",
    "participating_countries": "Participating countries (ids in places.csv)", "website": "Web addresses",
    "programme": "Programmes (ids)", "edition": "Forum edition (id in editions.csv)", "order": "Position",
    "kind": "Kind (key of a controlled vocabulary)", "topics": "Topics discussed", "city": "City (id)",
    "part_of": "Part of (id)", "parties": "Parties (ids in organisations.csv)", "place": "Place signed (id)",
    "country": "Country (id in places.csv)", "parent": "Parent organisation (id)", "founded": "Founding date",
    "nationality": "Nationality (country ids)", "iso_alpha2": "ISO 3166-1 alpha-2 code",
    "iso_alpha3": "ISO 3166-1 alpha-3 code", "asean_member": "true for ASEAN member states",
    "address": "Street address", "broader": "Broader themes (ids)", "definition": "Definition",
    "url": "Web address of the source", "publisher": "Publisher as named by the source",
    "language": "Language codes of the source (BCP 47)", "date_note": "Note on the date",
    "reliability_note": "Note on reliability", "event": "Event the participation is in (id)",
    "event_type": "Table of that event", "who": "Person or organisation taking part (id)",
    "who_type": "person or organisation", "role": "Role (key of the role vocabulary)",
    "affiliation": "Organisation represented at that time (id)", "position": "Position held at that time",
    "confidence": "low, medium or high when the sources are uncertain", "same_as": "The same thing in Wikidata (IRIs)",
    "note": "Note", "sources": "Sources (ids in sources.csv)",
}


@dataclass(frozen=True)
class Column:
    """One column: its name, the RDF property it comes from, its value type and its description."""

    name: str
    prop: str
    type: str
    description: str


class _Reader:
    """Cell values read from the store (one lookup per subject and predicate)."""

    def __init__(self, cg: CultureGraph):
        self.store = cg.store
        self.base = cg.settings.base_iri
        self.notation = {q.subject.value: q.object.value
                         for q in self.store.quads_for_pattern(None, ox.NamedNode(str(SKOS.notation)), None)
                         if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.Literal)}
        self.notation.update({str(v): k for k, v in S.MODES.items()})
        self.notation.update({str(v): k for k, v in S.CONFIDENCE.items()})

    def objects(self, s: str, p: str) -> list[ox.NamedNode | ox.Literal]:
        return sorted({q.object for q in self.store.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), None)
                       if isinstance(q.object, ox.NamedNode | ox.Literal)}, key=str)

    def ref_id(self, iri: str, kinds: Iterable[str] = ()) -> str | None:
        prefix = self.base + "id/"
        if not iri.startswith(prefix):
            return None
        kind, _, rid = iri[len(prefix):].partition("/")
        if kinds and kind not in kinds:
            return None
        return rid

    def cell(self, s: str, field: S.Field, lang: str | None = None) -> str:
        assert field.pred is not None
        vals: list[str] = []
        for o in self.objects(s, str(field.pred)):
            if field.type == S.TEXT:
                if isinstance(o, ox.Literal) and o.language == lang:
                    vals.append(o.value)
            elif field.type == S.REF:
                rid = self.ref_id(o.value, field.targets) if isinstance(o, ox.NamedNode) else None
                if rid:
                    vals.append(rid)
            elif field.type in (S.VOCAB, S.MODE):
                vals.append(self.notation.get(o.value, o.value))
            else:
                vals.append(o.value)
        return SEP.join(vals)

    def languages(self, subjects: list[str], pred: str) -> list[str]:
        langs = {o.language for s in subjects for o in self.objects(s, pred)
                 if isinstance(o, ox.Literal) and o.language}
        order = {"en": 0, "ko": 1}
        return sorted(langs, key=lambda lg: (order.get(lg, 2), lg))


def _curie(iri: str, base: str) -> str:
    for prefix, ns in sorted(all_prefixes(base).items()):
        if iri.startswith(ns) and prefix not in ("cgr",):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


TRAILING = (
    S.Field("confidence", S.VOCAB, CG.confidence), S.Field("same_as", S.URL, OWL.sameAs),
    S.Field("note", S.TEXT, SKOS.note), S.Field("sources", S.REF, DCTERMS.source, many=True, targets=("source",)),
)


def _fields(kinds: tuple[str, ...]) -> list[S.Field]:
    seen: dict[str, S.Field] = {}
    for name in kinds:
        kind = S.KINDS[name]
        extra = TRAILING if kind.cites else ()
        for f in (*kind.fields, *extra):
            if f.pred is not None and f.type not in (S.PARTICIPANTS, S.READINGS) and f.key not in seen:
                seen[f.key] = f
    return list(seen.values())


def _table(r: _Reader, rows: list[tuple[str, str, str]], fields: list[S.Field],
           lead: list[tuple[Column, dict[str, str]]]) -> tuple[list[Column], list[list[str]]]:
    """rows: (id, iri, type); lead: extra columns with their value per iri."""
    subjects = [iri for _, iri, _ in rows]
    cols: list[tuple[Column, S.Field | None, str | None, dict[str, str] | None]] = [
        (Column("id", "", "id", DESCRIPTIONS["id"]), None, None, None),
        (Column("iri", "", "IRI", DESCRIPTIONS["iri"]), None, None, None),
        (Column("type", "rdf:type", "text", DESCRIPTIONS["type"]), None, None, None),
    ] + [(c, None, None, vals) for c, vals in lead]
    for f in fields:
        assert f.pred is not None
        desc = DESCRIPTIONS.get(f.key, f.key.replace("_", " ").capitalize())
        prop = _curie(str(f.pred), r.base)
        if f.type == S.TEXT:
            for lang in r.languages(subjects, str(f.pred)):
                cols.append((Column(f"{f.key}_{lang}", prop, f"text@{lang}", f"{desc} ({lang})"), f, lang, None))
        else:
            cols.append((Column(f.key, prop, "id" if f.type == S.REF else f.type, desc), f, None, None))
    out: list[list[str]] = []
    for rid, iri, typ in rows:
        row = []
        for col, field, language, vals in cols:
            if col.name == "id":
                row.append(rid)
            elif col.name == "iri":
                row.append(iri)
            elif col.name == "type":
                row.append(typ)
            elif vals is not None:
                row.append(vals.get(iri, ""))
            else:
                assert field is not None
                row.append(r.cell(iri, field, language))
        out.append(row)
    return [c for c, *_ in cols], out


def build_tables(cg: CultureGraph) -> dict[str, tuple[list[Column], list[list[str]]]]:
    """Every table as (columns, rows)."""
    from ..snapshot import stored_records

    r = _Reader(cg)
    records = stored_records(cg)  # from the store's named graphs: no YAML read
    out: dict[str, tuple[list[Column], list[list[str]]]] = {}
    for table, kinds in TABLES.items():
        if table == "participations":
            out[table] = _participations(cg, r)
            continue
        rows = sorted((rid, iri, kind.name) for rid, (kind, iri) in records.items() if kind.name in kinds)
        lead: list[tuple[Column, dict[str, str]]] = []
        if table == "editions":
            pre = ox.NamedNode(str(CG.PrecursorEvent))
            precursor = {iri: "true" if pre in r.objects(iri, str(RDF.type)) else "false" for _, iri, _ in rows}
            lead.append((Column("precursor", "rdf:type", "boolean", DESCRIPTIONS["precursor"]), precursor))
        out[table] = _table(r, rows, _fields(kinds), lead)
    return out


def _participations(cg: CultureGraph, r: _Reader) -> tuple[list[Column], list[list[str]]]:
    subjects = sorted(q.subject.value for q in r.store.quads_for_pattern(
        None, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(CG.Participation))) if isinstance(q.subject, ox.NamedNode))
    rows = []
    event: dict[str, str] = {}
    event_type: dict[str, str] = {}
    for iri in subjects:
        rows.append((iri[len(r.base + "id/participation/"):], iri, "participation"))
        ev = r.objects(iri, str(CG.inEvent))
        ref = ev[0].value if ev else ""
        event[iri] = r.ref_id(ref) or ""
        event_type[iri] = ref[len(r.base + "id/"):].split("/", 1)[0] if ref else ""
    lead = [(Column("event", "cg:inEvent", "id", DESCRIPTIONS["event"]), event),
            (Column("event_type", "cg:inEvent", "text", DESCRIPTIONS["event_type"]), event_type)]
    fields = [*S.PARTICIPATION_FIELDS, *TRAILING]
    return _table(r, rows, [f for f in fields if f.key != "same_as"], lead)


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def export_tables(cg: CultureGraph) -> dict[str, bytes]:
    """``{table}.csv`` for every table plus ``data-dictionary.csv`` (table, column, property, type,
    description)."""
    tables = build_tables(cg)
    files: dict[str, bytes] = {}
    dictionary: list[list[str]] = []
    for name, (cols, rows) in tables.items():
        files[f"{name}.csv"] = _csv([c.name for c in cols], rows)
        dictionary += [[name, c.name, c.prop, c.type, c.description] for c in cols]
    files["data-dictionary.csv"] = _csv(["table", "column", "property", "type", "description"], dictionary)
    return files
