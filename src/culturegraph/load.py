"""``data/*.yaml`` + ``ontology/`` → quads, one named graph per record.

Only this module reads the data files. It collects *every* problem it finds (unknown or misspelt key,
duplicate id, dangling reference, bad date, text without language, record without source, …) and raises
one :class:`DataError` listing them with file and line, so a policy officer fixes them in one pass.
The field tables live in :mod:`culturegraph.schema`; the model is described in ``docs/data-model.md``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from . import schema as S
from .errors import DataError, Problem
from .namespaces import CG, DCTERMS, OWL, RDF, RDFS, SKOS, WD, XSD
from .yamlio import LineDict, LineList, read_yaml

Quad = tuple[URIRef, URIRef, Node, URIRef]

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANG_RE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
QID_RE = re.compile(r"^Q[1-9][0-9]*$")
YM_RE = re.compile(r"^(\d{4})-(\d{2})$")
URL_RE = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


@dataclass
class LoadResult:
    """What loading produced: the quads (data + ontology), and an index of records."""

    quads: list[Quad]
    records: dict[str, S.Record]
    files: list[str]
    base_iri: str
    ontology_quads: list[Quad] = field(default_factory=list)

    def iri(self, record_id: str) -> URIRef:
        rec = self.records[record_id]
        return URIRef(f"{self.base_iri}id/{rec.kind.path}/{rec.id}")


def load_ontology(path: Path, base_iri: str) -> tuple[Graph, list[Quad]]:
    """Parse the ontology; raise :class:`DataError` with line on a Turtle syntax error."""
    g = Graph()
    try:
        g.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises several parser exception types
        line = getattr(exc, "lines", None) or _line_from_message(str(exc))
        raise DataError([Problem(str(path), line, f"Turtle syntax error: {_short(exc)}")]) from exc
    graph_iri = URIRef(base_iri + "graph/ontology")
    quads = [(s, p, o, graph_iri) for s, p, o in g]  # type: ignore[misc]
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


class _Loader:
    def __init__(self, data_dir: Path, root: Path, base_iri: str, vocab: dict[str, dict[str, URIRef]]):
        self.data_dir = data_dir
        self.root = root
        self.base = base_iri
        self.vocab = vocab
        self.problems: list[Problem] = []
        self.records: dict[str, S.Record] = {}
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
                self.problem(name, 1, "a data file must be a mapping of sections (sources:, people:, edition: …)")
                continue
            self.read_doc(doc, name)

    def read_doc(self, doc: LineDict, name: str) -> None:
        edition_id = None
        if "edition" in doc and isinstance(doc["edition"], dict):
            edition_id = doc["edition"].get("id")
        for top, value in doc.items():
            line = doc.key_lines[top]
            kind = S.TOP_KEYS.get(top)
            if kind is None:
                self.problem(name, line, f"unknown section {top!r}" + _suggest(top, S.TOP_KEYS))
                continue
            if kind.single and not isinstance(value, dict):
                self.problem(name, line, f"{top!r} must be one mapping")
                continue
            items: list = [value] if isinstance(value, dict) else value
            if not isinstance(items, list):
                self.problem(name, line, f"{top!r} must be a list of records (each starting with '- id:')")
                continue
            if kind.name in ("session",) and edition_id is None:
                self.problem(name, line, f"{top!r} need an 'edition:' in the same file")
            for item in items:
                self.add_record(kind, item, name, line, edition_id)

    def add_record(self, kind: S.Kind, item: Any, name: str, line: int, edition_id: str | None) -> None:
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
            self.problem(name, item.key_lines["id"], f"duplicate id {rid!r} (first at {first.file}:{first.line})")
            return
        self.records[rid] = S.Record(kind, rid, item, name, rline, edition_id)

    def problem(self, file: str, line: int | None, message: str) -> None:
        self.problems.append(Problem(file, line, message))

    # ------------------------------------------------------------------ emitting
    def subject(self, rec: S.Record) -> URIRef:
        return URIRef(f"{self.base}id/{rec.kind.path}/{rec.id}")

    def emit_all(self) -> None:
        scheme = next((r for r in self.records.values() if r.kind.name == "scheme"), None)
        for rec in self.records.values():
            self.emit_record(rec, scheme)
        self.resolve_refs()

    def add(self, s: URIRef, p: URIRef, o: Node, g: URIRef) -> None:
        self.quads.append((s, p, o, g))

    def emit_record(self, rec: S.Record, scheme: S.Record | None) -> None:
        kind, data, f = rec.kind, rec.data, rec.file
        s = self.subject(rec)
        g = URIRef(f"{self.base}graph/{kind.path}/{rec.id}")
        allowed = set(kind.by_key) | set(S.COMMON_KEYS if kind.cites else ("id",))
        for key in data:
            if key not in allowed:
                self.problem(f, data.key_lines[key], f"unknown key {key!r} in {kind.name} {rec.id!r}"
                             + _suggest(key, allowed))
        for fl in kind.fields:
            if fl.required and data.get(fl.key) in (None, "", [], {}):
                self.problem(f, rec.line, f"{kind.name} {rec.id!r} is missing required key {fl.key!r}")
        for cls in kind.classes:
            self.add(s, RDF.type, cls, g)
        if kind.name == "edition":
            self.add(s, RDF.type, CG.PrecursorEvent if data.get("precursor") is True else CG.Edition, g)
            if data.get("precursor") is True and data.get("ordinal") is not None:
                self.problem(f, data.key_lines["ordinal"], "a precursor event has no ordinal")
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
            self.emit_sources(s, data, f, rec.line, g, required=True, what=f"{kind.name} {rec.id!r}")
            self.emit_confidence(s, data, f, g)
            if "note" in data:
                self.emit_value(s, rec, S.Field("note", S.TEXT, SKOS.note), data["note"], g)
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
        self.fill_labels_from_gloss(s, g)
        if kind.label_required and not any(q[0] == s and q[1] == RDFS.label for q in self._record_quads(g)):
            self.problem(f, rec.line, f"{kind.name} {rec.id!r} has no name/title (or gloss)")
        if kind.name in ("edition", "event") and data.get("start") and data.get("end"):
            start, end = str(_plain(data["start"])), str(_plain(data["end"]))
            n = min(len(start), len(end))
            if end[:n] < start[:n]:
                self.problem(f, data.key_lines["end"], f"end {end} is before start {start}")

    def _record_quads(self, g: URIRef) -> Iterator[Quad]:
        # the record's quads are the tail of self.quads that carry its graph
        for q in reversed(self.quads):
            if q[3] != g:
                break
            yield q

    def fill_labels_from_gloss(self, s: URIRef, g: URIRef) -> None:
        quads = list(self._record_quads(g))
        label_langs = {q[2].language for q in quads if q[0] == s and q[1] == RDFS.label}  # type: ignore[union-attr]
        for q in reversed(quads):
            if q[0] == s and q[1] == CG.gloss and q[2].language not in label_langs:  # type: ignore[union-attr]
                self.add(s, RDFS.label, q[2], g)
                label_langs.add(q[2].language)  # type: ignore[union-attr]

    def emit_sources(self, s: URIRef, data: dict, f: str, line: int, g: URIRef, *, required: bool,
                     what: str, inherited: list | None = None) -> list:
        srcs = data.get("sources")
        if srcs is None and inherited is not None:
            srcs = inherited
        if not srcs:
            if required:
                self.problem(f, line, f"{what} has no sources (cite at least one source id)")
            return []
        if not isinstance(srcs, list):
            srcs = [srcs]
        kl = getattr(data, "key_lines", {}).get("sources", line)
        for sid in srcs:
            self.ref(s, DCTERMS.source, str(sid), ("source",), f, kl, g)
        return srcs

    def emit_confidence(self, s: URIRef, data: dict, f: str, g: URIRef) -> None:
        c = data.get("confidence")
        if c is None:
            return
        if c not in S.CONFIDENCE:
            self.problem(f, data.key_lines.get("confidence"), f"confidence {c!r}: use low, medium or high")
            return
        self.add(s, CG.confidence, S.CONFIDENCE[c], g)

    def emit_same_as(self, s: URIRef, data: dict, f: str, g: URIRef) -> None:
        vals = data["same_as"] if isinstance(data["same_as"], list) else [data["same_as"]]
        for qid in vals:
            if not QID_RE.match(str(qid)):
                self.problem(f, data.key_lines["same_as"], f"same_as {qid!r} is not a Wikidata id like Q884")
            else:
                self.add(s, OWL.sameAs, WD[str(qid)], g)

    # ------------------------------------------------------------------ values
    def emit_value(self, s: URIRef, rec: S.Record, fl: S.Field, raw: Any, g: URIRef, *,
                   local: str | None = None) -> None:
        f = rec.file
        line = rec.data.key_lines.get(fl.key, rec.line) if isinstance(rec.data, LineDict) else rec.line
        local = local or f"{rec.kind.path}/{rec.id}"
        if fl.type == S.PARTICIPANTS:
            self.emit_participants(s, rec, raw, g, line)
            return
        if fl.type == S.READINGS:
            self.emit_readings(s, rec, raw, g, line)
            return
        if fl.type == S.TEXT:
            if not isinstance(raw, dict) or "value" in raw:
                self.problem(f, line, f"{fl.key!r} must give its language, e.g. {fl.key}: {{en: …, ko: …}}")
                return
            for lang, val in raw.items():
                if not LANG_RE.match(lang):
                    self.problem(f, raw.key_lines.get(lang, line), f"{lang!r} is not a language code (en, ko, id …)")
                    continue
                vals = val if isinstance(val, list) else [val]
                for i, v in enumerate(vals):
                    suffix = f"/{lang}" + (f"/{i + 1}" if len(vals) > 1 else "")
                    self.emit_one(s, fl, v, g, f, raw.key_lines.get(lang, line), local, suffix, lang=lang)
            return
        if fl.many:
            vals = raw if isinstance(raw, list) else [raw]
            for i, v in enumerate(vals):
                il = raw.item_lines[i] if isinstance(raw, LineList) else line
                self.emit_one(s, fl, v, g, f, il, local, f"/{i + 1}" if len(vals) > 1 else "")
        else:
            if isinstance(raw, list):
                self.problem(f, line, f"{fl.key!r} takes one value, not a list")
                return
            self.emit_one(s, fl, raw, g, f, line, local, "")

    def emit_one(self, s: URIRef, fl: S.Field, v: Any, g: URIRef, f: str, line: int, local: str,
                 suffix: str, lang: str | None = None) -> None:
        ann = None
        if isinstance(v, dict):
            ann = v
            bad = set(v) - S.ANNOTATION_KEYS
            if "value" not in v or bad:
                self.problem(f, getattr(v, "line", line), f"{fl.key!r}: an annotated value has keys value, "
                             f"sources, confidence, note, alternatives" + (f" (not {sorted(bad)})" if bad else ""))
                return
            v = v["value"]
        if fl.type == S.REF:
            if fl.pred is None:
                return
            self.ref(s, fl.pred, str(v), fl.targets, f, line, g, claim=(ann, local + "/" + fl.key + suffix))
            return
        term = self.term(fl, v, f, line, lang)
        if term is None or fl.pred is None:
            return
        for p in (fl.pred, *fl.extra_preds):
            self.add(s, p, term, g)
        if ann:
            self.emit_claim(s, fl.pred, term, ann, g, f, line, local + "/" + fl.key + suffix, lang)

    def term(self, fl: S.Field, v: Any, f: str, line: int, lang: str | None = None) -> Node | None:
        t = fl.type
        if t == S.TEXT:
            if not isinstance(v, str) or not v.strip():
                self.problem(f, line, f"{fl.key!r}: expected text, got {v!r}")
                return None
            return Literal(v.strip(), lang=lang)
        if t == S.STRING:
            if not isinstance(v, str | int) or isinstance(v, bool) or not str(v).strip():
                self.problem(f, line, f"{fl.key!r}: expected text, got {v!r}")
                return None
            return Literal(str(v).strip())
        if t == S.DATE:
            return self.date_term(fl.key, v, f, line)
        if t in (S.POSINT, S.NONNEG):
            lo = 1 if t == S.POSINT else 0
            if isinstance(v, bool) or not isinstance(v, int) or v < lo:
                self.problem(f, line, f"{fl.key!r}: expected a whole number ≥ {lo}, got {v!r}")
                return None
            return Literal(v, datatype=XSD.positiveInteger if t == S.POSINT else XSD.nonNegativeInteger)
        if t == S.BOOL:
            if not isinstance(v, bool):
                self.problem(f, line, f"{fl.key!r}: expected true or false, got {v!r}")
                return None
            return Literal(v)
        if t == S.URL:
            if not isinstance(v, str) or not URL_RE.match(v):
                self.problem(f, line, f"{fl.key!r}: {v!r} is not an http(s) URL")
                return None
            return URIRef(v)
        if t == S.LANGCODE:
            if not isinstance(v, str) or not LANG_RE.match(v):
                self.problem(f, line, f"{fl.key!r}: {v!r} is not a language code (en, ko, id …)")
                return None
            return Literal(v)
        if t == S.VOCAB:
            table = self.vocab.get(fl.vocab, {})
            if v not in table:
                self.problem(f, line, f"{fl.key!r}: unknown value {v!r}" + _suggest(str(v), table, all_=True))
                return None
            return table[v]
        if t == S.MODE:
            if v not in S.MODES:
                self.problem(f, line, f"{fl.key!r}: {v!r} — use online, offline or hybrid")
                return None
            return S.MODES[v]
        raise AssertionError(t)

    def date_term(self, key: str, v: Any, f: str, line: int) -> Literal | None:
        s = str(v)
        if isinstance(v, int) and not isinstance(v, bool) and 1000 <= v <= 2999:
            return Literal(s, datatype=XSD.gYear)
        if isinstance(v, str):
            m = YM_RE.match(s)
            if m and 1 <= int(m.group(2)) <= 12:
                return Literal(s, datatype=XSD.gYearMonth)
            if re.match(r"^\d{4}-\d{2}-\d{2}$", s):
                try:
                    return Literal(date.fromisoformat(s))
                except ValueError:
                    pass
        self.problem(f, line, f"{key!r}: invalid date {v!r} (use YYYY-MM-DD, YYYY-MM or YYYY)")
        return None

    # ------------------------------------------------------------------ claims & conflicts
    def emit_claim(self, s: URIRef, p: URIRef, o: Node, ann: dict, g: URIRef, f: str, line: int,
                   local: str, lang: str | None) -> None:
        c = URIRef(f"{self.base}id/claim/{local}")
        self.claim_node(c, s, p, o, ann, g, f, line, lang)
        alts = ann.get("alternatives") or []
        if not alts:
            return
        if not isinstance(alts, list):
            self.problem(f, line, "'alternatives' must be a list of {value, sources}")
            return
        conflict = URIRef(f"{self.base}id/conflict/{local}")
        self.add(conflict, RDF.type, CG.Conflict, g)
        self.add(conflict, RDFS.label, Literal(f"Conflicting readings of {local}", lang="en"), g)
        self.add(conflict, CG.about, s, g)
        self.add(c, RDF.type, CG.Reading, g)
        self.add(c, CG.asserted, Literal(True), g)
        self.add(conflict, CG.reading, c, g)
        all_sources = list(ann.get("sources") or [])
        for i, alt in enumerate(alts, 1):
            if not isinstance(alt, dict) or "value" not in alt:
                self.problem(f, getattr(alt, "line", line), "each alternative needs value: and sources:")
                continue
            bad = set(alt) - {"value", "sources", "confidence", "note"}
            if bad:
                self.problem(f, alt.line, f"unknown key(s) {sorted(bad)} in alternative")
            ov = self.alt_term(p, o, alt["value"], f, alt.line, lang)
            if ov is None:
                continue
            r = URIRef(f"{c}/alternative/{i}")
            self.claim_node(r, s, p, ov, alt, g, f, alt.line, lang, required=True)
            self.add(r, RDF.type, CG.Reading, g)
            self.add(r, CG.asserted, Literal(False), g)
            self.add(conflict, CG.reading, r, g)
            all_sources += list(alt.get("sources") or [])
        for sid in dict.fromkeys(all_sources):
            self.ref(conflict, DCTERMS.source, str(sid), ("source",), f, line, g)

    def alt_term(self, p: URIRef, o: Node, v: Any, f: str, line: int, lang: str | None) -> Node | None:
        if isinstance(o, Literal):
            if o.language:
                return Literal(str(v), lang=o.language)
            if o.datatype in (XSD.date, XSD.gYear, XSD.gYearMonth):
                return self.date_term("alternative", v, f, line)
            if o.datatype is not None:
                return Literal(v, datatype=o.datatype)
            return Literal(str(v))
        # a reference or vocabulary value: alternatives name an id / key of the same kind
        for table in self.vocab.values():
            if o in table.values() and v in table:
                return table[v]
        rec = self.records.get(str(v))
        if rec is None:
            self.problem(f, line, f"alternative {v!r}: no record with this id")
            return None
        return self.subject(rec)

    def claim_node(self, c: URIRef, s: URIRef, p: URIRef, o: Node, ann: dict, g: URIRef, f: str,
                   line: int, lang: str | None, required: bool = False) -> None:
        self.add(c, RDF.type, CG.Claim, g)
        self.add(c, RDF.type, RDF.Statement, g)
        self.add(c, RDF.subject, s, g)
        self.add(c, RDF.predicate, p, g)
        self.add(c, RDF.object, o, g)
        if lang:
            self.add(c, CG.claimLanguage, Literal(lang), g)
        self.emit_sources(c, ann, f, line, g, required=required, what="an alternative reading")
        conf = ann.get("confidence")
        if conf is not None:
            if conf not in S.CONFIDENCE:
                self.problem(f, line, f"confidence {conf!r}: use low, medium or high")
            else:
                self.add(c, CG.confidence, S.CONFIDENCE[conf], g)
        note = ann.get("note")
        if isinstance(note, dict):
            for lg, text in note.items():
                self.add(c, SKOS.note, Literal(str(text), lang=lg), g)
        elif note is not None:
            self.problem(f, line, "'note' must give its language, e.g. note: {en: …}")

    def emit_participants(self, event: URIRef, rec: S.Record, raw: Any, g: URIRef, line: int) -> None:
        f = rec.file
        if not isinstance(raw, list):
            self.problem(f, line, "'participants' must be a list of {who, role, …}")
            return
        for i, item in enumerate(raw, 1):
            if not isinstance(item, LineDict):
                self.problem(f, line, "each participant must be a mapping with who: and role:")
                continue
            p = URIRef(f"{self.base}id/participation/{rec.id}/{i}")
            for key in item:
                if key not in S.PARTICIPATION_KEYS:
                    self.problem(f, item.key_lines[key], f"unknown key {key!r} in participant"
                                 + _suggest(key, S.PARTICIPATION_KEYS))
            self.add(p, RDF.type, CG.Participation, g)
            self.add(p, CG.inEvent, event, g)
            self.add(event, CG.hasParticipation, p, g)
            sub = S.Record(S.KINDS["person"], f"{rec.id}-{i}", item, f, item.line, rec.edition)
            for fl in S.PARTICIPATION_FIELDS:
                if fl.required and item.get(fl.key) is None:
                    self.problem(f, item.line, f"participant is missing {fl.key!r}")
                elif item.get(fl.key) is not None:
                    self.emit_value(p, sub, fl, item[fl.key], g, local=f"participation/{rec.id}/{i}")
            self.emit_sources(p, item, f, item.line, g, required=True, what="participant",
                              inherited=rec.data.get("sources"))
            self.emit_confidence(p, item, f, g)
            if "note" in item:
                self.emit_value(p, sub, S.Field("note", S.TEXT, SKOS.note), item["note"], g,
                                local=f"participation/{rec.id}/{i}")

    def emit_readings(self, conflict: URIRef, rec: S.Record, raw: Any, g: URIRef, line: int) -> None:
        f = rec.file
        if not isinstance(raw, list) or len(raw) < 2:
            self.problem(f, line, "a conflict needs at least two readings")
            return
        for i, item in enumerate(raw, 1):
            if not isinstance(item, LineDict):
                self.problem(f, line, "each reading must be a mapping with text: and sources:")
                continue
            for key in item:
                if key not in S.READING_KEYS:
                    self.problem(f, item.key_lines[key], f"unknown key {key!r} in reading"
                                 + _suggest(key, S.READING_KEYS))
            r = URIRef(f"{conflict}/reading/{i}")
            self.add(r, RDF.type, CG.Reading, g)
            self.add(conflict, CG.reading, r, g)
            sub = S.Record(rec.kind, f"{rec.id}-{i}", item, f, item.line, rec.edition)
            if item.get("text") is None:
                self.problem(f, item.line, "reading is missing 'text'")
            else:
                self.emit_value(r, sub, S.Field("text", S.TEXT, RDF.value), item["text"], g,
                                local=f"conflict/{rec.id}/reading/{i}")
            srcs = self.emit_sources(r, item, f, item.line, g, required=True, what="reading")
            if "sources" not in rec.data:
                for sid in srcs:
                    self.ref(conflict, DCTERMS.source, str(sid), ("source",), f, item.line, g)
            self.emit_confidence(r, item, f, g)
            if "asserted" in item:
                if not isinstance(item["asserted"], bool):
                    self.problem(f, item.key_lines["asserted"], "'asserted' must be true or false")
                else:
                    self.add(r, CG.asserted, Literal(item["asserted"]), g)
            if "note" in item:
                self.emit_value(r, sub, S.Field("note", S.TEXT, SKOS.note), item["note"], g,
                                local=f"conflict/{rec.id}/reading/{i}")

    # ------------------------------------------------------------------ references
    def ref(self, s: URIRef, p: URIRef, target: str, kinds: tuple[str, ...], f: str, line: int, g: URIRef,
            claim: tuple[dict | None, str] | None = None) -> None:
        idx = len(self.quads)
        self.add(s, p, URIRef("urn:culturegraph:unresolved"), g)  # filled in by resolve_refs
        self._pending.append((idx, target, kinds, f, line, claim))

    def resolve_refs(self) -> None:
        drop: set[int] = set()
        for idx, target, kinds, f, line, claim in self._pending:
            rec = self.records.get(target)
            s, p, _, g = self.quads[idx]
            if rec is None:
                self.problem(f, line, f"dangling reference {target!r}: no record has this id"
                             + _suggest(target, self.records))
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


def _suggest(word: str, options: Any, all_: bool = False) -> str:
    opts = sorted(str(o) for o in options)
    close = difflib.get_close_matches(word, opts, n=1, cutoff=0.75)
    if close:
        return f" (did you mean {close[0]!r}?)"
    if all_ and len(opts) <= 30:
        return " (one of: " + ", ".join(opts) + ")"
    return ""
