"""``data/*.yaml`` + ``ontology/`` → quads, one named graph per record.

Only this module reads the data files. It collects *every* problem it finds (unknown or misspelt key,
duplicate id, dangling reference, bad date, text without language, record without source, …) and raises
one :class:`DataError` listing them with file and line, so a policy officer fixes them in one pass.
The field tables live in :mod:`culturegraph.schema`; the model is described in ``docs/data-model.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from . import schema as sc
from .emit import LANG_RE, Emitter, Quad, suggest
from .errors import DataError, Problem
from .namespaces import CG, RDF, RDFS, SKOS
from .yamlio import LineDict, read_yaml

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass
class LoadResult:
    """What loading produced: the quads (data + ontology), and an index of records."""

    quads: list[Quad]
    records: dict[str, sc.Record]
    files: list[str]
    base_iri: str
    ontology_quads: list[Quad] = field(default_factory=list)

    def iri(self, record_id: str) -> URIRef:
        rec = self.records[record_id]
        return URIRef(f"{self.base_iri}id/{rec.kind.path}/{rec.id}")


def load_ontology(path: Path, base_iri: str) -> tuple[Graph, list[Quad]]:
    """Parse the ontology; raise :class:`DataError` with line on a Turtle syntax error."""
    if not path.is_file():
        raise DataError([Problem(str(path), None, "ontology file not found (is this a culturegraph project root?)")])
    g = Graph()
    try:
        g.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises several parser exception types
        line = getattr(exc, "lines", None) or _line_from_message(str(exc))
        raise DataError([Problem(str(path), line, f"Turtle syntax error: {_short(exc)}")]) from exc
    graph_iri = URIRef(base_iri + "graph/ontology")
    quads: list[Quad] = [(s, p, o, graph_iri) for s, p, o in g]  # type: ignore[misc]
    quads.sort(key=lambda q: (str(q[0]), str(q[1]), q[2].n3()))
    return g, quads


def _line_from_message(msg: str) -> int | None:
    m = re.search(r"line (\d+)", msg)
    return int(m.group(1)) if m else None


def _short(exc: Exception) -> str:
    return " ".join(str(exc).split())[:300]


def vocabularies(onto: Graph) -> dict[str, dict[str, URIRef]]:
    """Concept scheme local name → {notation: concept IRI}, read from the ontology."""
    out: dict[str, dict[str, URIRef]] = {}
    for concept, scheme in onto.subject_objects(SKOS.inScheme):
        notation = onto.value(concept, SKOS.notation)
        if notation is not None:
            out.setdefault(str(scheme).rsplit("#", 1)[-1], {})[str(notation)] = concept  # type: ignore[assignment]
    return out


class _Loader(Emitter):
    def __init__(self, data_dir: Path, root: Path, base_iri: str, vocab: dict[str, dict[str, URIRef]]):
        self.data_dir = data_dir
        self.root = root
        self.base = base_iri
        self.vocab = vocab
        self.problems: list[Problem] = []
        self.records: dict[str, sc.Record] = {}
        self.quads: list[Quad] = []
        self._pending: list[tuple[int, str, tuple[str, ...], str, int, tuple[dict | None, str] | None]] = []
        self.files: list[str] = []

    # ------------------------------------------------------------------ reading
    def display(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def read(self) -> None:
        paths = sorted(p for p in self.data_dir.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
        for path in paths:
            name = self.display(path)
            self.files.append(name)
            try:
                doc = read_yaml(path, name)
            except DataError as exc:
                self.problems.extend(exc.problems)
                continue
            if doc is None:
                continue
            if not isinstance(doc, LineDict):
                self.problem(name, 1, "a data file must be a mapping of sections "
                             "(sources:, people:, edition: …)")
                continue
            self.read_doc(doc, name)

    def read_doc(self, doc: LineDict, name: str) -> None:
        edition_id = None
        if "edition" in doc and isinstance(doc["edition"], dict):
            edition_id = doc["edition"].get("id")
        for top, value in doc.items():
            line = doc.key_lines[top]
            kind = sc.TOP_KEYS.get(top)
            if kind is None:
                self.problem(name, line, f"unknown section {top!r}" + suggest(top, sc.TOP_KEYS))
                continue
            if kind.single and top == kind.top and not isinstance(value, dict):
                self.problem(name, line, f"{top!r} must be one mapping"
                             + (f" (for a list of them use {kind.list_top!r})" if kind.list_top else ""))
                continue
            if top == kind.list_top and not isinstance(value, list):
                self.problem(name, line, f"{top!r} must be a list of records (each starting with '- id:')")
                continue
            items: list = [value] if isinstance(value, dict) else value
            if not isinstance(items, list):
                self.problem(name, line, f"{top!r} must be a list of records (each starting with '- id:')")
                continue
            if kind.name in ("session",) and edition_id is None:
                self.problem(name, line, f"{top!r} need an 'edition:' in the same file")
            for item in items:
                self.add_record(kind, item, name, line, edition_id)

    def add_record(self, kind: sc.Kind, item: Any, name: str, line: int, edition_id: str | None) -> None:
        if not isinstance(item, LineDict):
            self.problem(name, getattr(item, "line", line), f"a {kind.name} record must be a mapping")
            return
        rid = item.get("id")
        rline = item.line
        if rid is None:
            self.problem(name, rline, f"{kind.name} record without 'id'")
            return
        rid = str(rid)
        if not ID_RE.match(rid):
            self.problem(name, item.key_lines["id"], f"id {rid!r}: use lower-case letters, digits and '-'")
            return
        if rid in self.records:
            first = self.records[rid]
            self.problem(name, item.key_lines["id"],
                         f"duplicate id {rid!r} (first at {first.file}:{first.line})")
            return
        self.records[rid] = sc.Record(kind, rid, item, name, rline, edition_id)


    # ------------------------------------------------------------------ records
    def emit_all(self) -> None:
        scheme = next((r for r in self.records.values() if r.kind.name == "scheme"), None)
        for rec in self.records.values():
            self.emit_record(rec, scheme)
        self.resolve_refs()

    def emit_record(self, rec: sc.Record, scheme: sc.Record | None) -> None:
        kind, data, f = rec.kind, rec.data, rec.file
        mark = len(self.quads)  # every quad added below is this record's (all carry its graph)
        s = self.subject(rec)
        g = URIRef(f"{self.base}graph/{kind.path}/{rec.id}")
        allowed = set(kind.by_key) | set(sc.COMMON_KEYS if kind.cites else ("id",))
        for key in data:
            if key not in allowed:
                self.problem(f, data.key_lines[key], f"unknown key {key!r} in {kind.name} {rec.id!r}"
                             + suggest(key, allowed))
        for fl in kind.fields:
            if fl.required and data.get(fl.key) in (None, "", [], {}):
                self.problem(f, rec.line, f"{kind.name} {rec.id!r} is missing required key {fl.key!r}")
        for cls in kind.classes:
            self.add(s, RDF.type, cls, g)
        if kind.name == "series" and data.get("kind") == "forum":
            self.add(s, RDF.type, CG.ForumSeries, g)
        if kind.name == "edition":
            self.type_edition(rec, s, g)
        if kind.name == "theme":
            if scheme is None:
                self.problem(f, rec.line, "themes need a 'scheme:' record (in themes.yaml)")
            else:
                self.add(s, SKOS.inScheme, self.subject(scheme), g)
                if not data.get("broader"):
                    self.add(s, SKOS.topConceptOf, self.subject(scheme), g)
                    self.add(self.subject(scheme), SKOS.hasTopConcept, s, g)
        if kind.name == "session" and rec.edition:
            self.ref(s, CG.partOfEdition, rec.edition, ("edition",), f, rec.line, g)
        if kind.name in ("event", "agreement") and "edition" not in data and rec.edition:
            self.ref(s, CG.relatedEdition, rec.edition, ("edition",), f, rec.line, g)
        if kind.cites:
            # a conflict may leave its sources to its readings (their union is cited)
            self.emit_sources(s, data, f, rec.line, g, required=kind.name != "conflict", what=f"{kind.name} {rec.id!r}")
            self.emit_confidence(s, data, f, g)
            if "note" in data:
                self.emit_value(s, rec, sc.Field("note", sc.TEXT, SKOS.note), data["note"], g)
            if "same_as" in data:
                self.emit_same_as(s, data, f, g)
        for fl in kind.fields:
            if fl.key in data and data[fl.key] is not None:
                self.emit_value(s, rec, fl, data[fl.key], g)
        if kind.name == "source":
            langs = data.get("language")
            first = (langs[0] if isinstance(langs, list) and langs else langs) or ""
            if data.get("title"):
                tag = str(first) if LANG_RE.match(str(first)) else None
                self.add(s, RDFS.label, Literal(str(data["title"]), lang=tag), g)
            elif data.get("publisher"):  # no headline recorded: name the page by who published it, and when
                when = _plain(data.get("date"))
                self.add(s, RDFS.label, Literal(f"{data['publisher']}, {when or 'undated'}"), g)
        if not self.fill_labels_from_gloss(s, g, mark) and kind.label_required:
            self.problem(f, rec.line, f"{kind.name} {rec.id!r} has no name/title (or gloss)")
        if kind.name in sc.YEARED:
            year = _year(data.get("started" if kind.name == "series" else "start") or data.get("date"))
            if year is not None:
                self.add(s, CG.startYear, Literal(year), g)
        if kind.name in ("edition", "event", "project", "designated-year", "agreement", "programme") \
                and data.get("start") and data.get("end"):
            start, end = str(_plain(data["start"])), str(_plain(data["end"]))
            n = min(len(start), len(end))
            if end[:n] < start[:n]:
                self.problem(f, data.key_lines["end"], f"end {end} is before start {start}")

    def type_edition(self, rec: sc.Record, s: URIRef, g: URIRef) -> None:
        """A forum edition is also a cg:ForumEvent, and a cg:Edition or (without ordinal) cg:PrecursorEvent."""
        data, f = rec.data, rec.file
        series = self.records.get(str(data.get("series")))
        forum = series is not None and series.kind.name == "series" and series.data.get("kind") == "forum"
        precursor = data.get("precursor") is True
        if precursor and data.get("ordinal") is not None:
            self.problem(f, data.key_lines["ordinal"], "a precursor event has no ordinal")
        if forum:
            self.add(s, RDF.type, CG.ForumEvent, g)
            self.add(s, RDF.type, CG.PrecursorEvent if precursor else CG.Edition, g)
        elif precursor:
            self.problem(f, data.key_lines["precursor"], "'precursor' is for the forum series; an edition of "
                         "another series simply has no ordinal (say why in its note)")

    def fill_labels_from_gloss(self, s: URIRef, g: URIRef, mark: int) -> bool:
        """Give ``s`` a label from its gloss in each language that has no label; say whether it has one.

        One pass over the record's quads (``self.quads[mark:]``): rdflib terms compare in Python, so
        scanning them once rather than three times is a measurable part of loading at scale.
        """
        label, gloss = RDFS.label, CG.gloss
        langs: set[str | None] = set()
        glosses: list[Node] = []
        for q in self.quads[mark:]:
            if q[0] == s:
                if q[1] == label:
                    langs.add(_lang(q[2]))
                elif q[1] == gloss:
                    glosses.append(q[2])
        for o in glosses:
            if _lang(o) not in langs:
                self.add(s, label, o, g)
                langs.add(_lang(o))
        return bool(langs)

    def resolve_refs(self) -> None:
        drop: set[int] = set()
        for idx, target, kinds, f, line, claim in self._pending:
            rec = self.records.get(target)
            s, p, _, g = self.quads[idx]
            if rec is None:
                self.problem(f, line, f"dangling reference {target!r}: no record has this id"
                             + suggest(target, self.records))
                drop.add(idx)
                continue
            if kinds and rec.kind.name not in kinds:
                self.problem(f, line, f"{target!r} is a {rec.kind.name}; expected {' or '.join(kinds)}")
                drop.add(idx)
                continue
            o = self.subject(rec)
            self.quads[idx] = (s, p, o, g)
            if claim and claim[0]:
                self.emit_claim(s, p, o, claim[0], g, f, line, claim[1], None)
        if drop:
            self.quads = [q for i, q in enumerate(self.quads) if i not in drop]


def load(root: Path, data_dir: Path, ontology_path: Path, base_iri: str) -> LoadResult:
    """Read ontology + data into quads; raise :class:`DataError` listing every problem found."""
    onto, onto_quads = load_ontology(ontology_path, base_iri)
    loader = _Loader(data_dir, root, base_iri, vocabularies(onto))
    if not data_dir.is_dir():
        raise DataError([Problem(str(data_dir), None, "data directory not found")])
    loader.read()
    loader.emit_all()
    if loader.problems:
        raise DataError(loader.problems)
    quads = list(dict.fromkeys(loader.quads))
    return LoadResult(quads, loader.records, loader.files, base_iri, onto_quads)


def _plain(v: Any) -> Any:
    return v["value"] if isinstance(v, dict) and "value" in v else v


def _year(v: Any) -> int | None:
    """The year of a date value (``2019-10-24``, ``2019-10``, ``2019``, a date, or an annotated value)."""
    m = re.match(r"^(\d{4})(?:-|$)", str(_plain(v))) if v is not None else None
    return int(m.group(1)) if m else None


def _lang(term: object) -> str | None:
    return term.language if isinstance(term, Literal) else None
