"""Record fields → quads: values, statement-level claims, conflicting readings, participations.

Split from :mod:`culturegraph.load` (which reads files and walks records); the mapping rules are
described in ``docs/data-model.md`` and driven by the tables in :mod:`culturegraph.schema`.
"""

from __future__ import annotations

import difflib
import re
from datetime import date
from decimal import Decimal
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from . import schema as sc
from .errors import Problem
from .namespaces import CG, DCTERMS, ORG, OWL, RDF, RDFS, SKOS, WD, XSD
from .yamlio import LineDict, LineList

Quad = tuple[URIRef, URIRef, Node, URIRef]
Pending = tuple[int, str, tuple[str, ...], str, int, "tuple[dict | None, str] | None"]

LANG_RE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
QID_RE = re.compile(r"^Q[1-9][0-9]*$")
RECORD_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
YM_RE = re.compile(r"^(\d{4})-(\d{2})$")
URL_RE = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


class Emitter:
    """Turns field values into quads; collects problems instead of stopping at the first."""

    base: str
    vocab: dict[str, dict[str, URIRef]]
    records: dict[str, sc.Record]
    quads: list[Quad]
    problems: list[Problem]
    _pending: list[Pending]

    def problem(self, file: str, line: int | None, message: str) -> None:
        self.problems.append(Problem(file, line, message))

    def subject(self, rec: sc.Record) -> URIRef:
        return URIRef(f"{self.base}id/{rec.kind.path}/{rec.id}")

    def add(self, s: URIRef, p: URIRef, o: Node, g: URIRef) -> None:
        self.quads.append((s, p, o, g))

    def emit_sources(self, s: URIRef, data: Any, f: str, line: int, g: URIRef, *, required: bool,
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

    def emit_confidence(self, s: URIRef, data: LineDict, f: str, g: URIRef) -> None:
        c = data.get("confidence")
        if c is None:
            return
        if c not in sc.CONFIDENCE:
            self.problem(f, data.key_lines.get("confidence"), f"confidence {c!r}: use low, medium or high")
            return
        self.add(s, CG.confidence, sc.CONFIDENCE[c], g)

    def emit_same_as(self, s: URIRef, data: LineDict, f: str, g: URIRef) -> None:
        vals = data["same_as"] if isinstance(data["same_as"], list) else [data["same_as"]]
        line = data.key_lines["same_as"]
        for qid in vals:
            if QID_RE.match(str(qid)):
                self.add(s, OWL.sameAs, WD[str(qid)], g)
            elif isinstance(qid, str) and RECORD_ID_RE.match(qid):
                # the same thing recorded twice in the data (a forum side event that is also an edition of
                # another series): both IRIs stay published, and say they are one
                self.ref(s, OWL.sameAs, qid, (), f, line, g)
            else:
                self.problem(f, line, f"same_as {qid!r} is neither a Wikidata id like Q884 nor a record id")

    # ------------------------------------------------------------------ values
    def emit_value(self, s: URIRef, rec: sc.Record, fl: sc.Field, raw: Any, g: URIRef, *,
                   local: str | None = None) -> None:
        f = rec.file
        line = rec.data.key_lines.get(fl.key, rec.line) if isinstance(rec.data, LineDict) else rec.line
        local = local or f"{rec.kind.path}/{rec.id}"
        if fl.type == sc.PARTICIPANTS:
            self.emit_participants(s, rec, raw, g, line)
            return
        if fl.type == sc.READINGS:
            self.emit_readings(s, rec, raw, g, line)
            return
        if fl.type == sc.LEADERS:
            self.emit_leaders(s, rec, raw, g, line)
            return
        if fl.type == sc.TEXT:
            if not isinstance(raw, LineDict) or "value" in raw:
                self.problem(f, line, f"{fl.key!r} must give its language, e.g. {fl.key}: {{en: …, ko: …}}")
                return
            for lang, val in raw.items():
                if not LANG_RE.match(lang):
                    self.problem(f, raw.key_lines.get(lang, line),
                                 f"{lang!r} is not a language code (en, ko, id …)")
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

    def emit_one(self, s: URIRef, fl: sc.Field, v: Any, g: URIRef, f: str, line: int, local: str,
                 suffix: str, lang: str | None = None) -> None:
        ann = None
        if isinstance(v, dict):
            ann = v
            bad = set(v) - sc.ANNOTATION_KEYS
            if "value" not in v or bad:
                extra = f" (not {sorted(bad)})" if bad else ""
                self.problem(f, getattr(v, "line", line), f"{fl.key!r}: an annotated value has keys value, "
                             f"sources, confidence, note, alternatives{extra}")
                return
            v = v["value"]
        if fl.type == sc.REF:
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

    def term(self, fl: sc.Field, v: Any, f: str, line: int, lang: str | None = None) -> Node | None:
        t = fl.type
        if t == sc.TEXT:
            if not isinstance(v, str) or not v.strip():
                self.problem(f, line, f"{fl.key!r}: expected text, got {v!r}")
                return None
            return Literal(v.strip(), lang=lang)
        if t == sc.STRING:
            if not isinstance(v, str | int) or isinstance(v, bool) or not str(v).strip():
                self.problem(f, line, f"{fl.key!r}: expected text, got {v!r}")
                return None
            return Literal(str(v).strip())
        if t == sc.DATE:
            return self.date_term(fl.key, v, f, line)
        if t in (sc.POSINT, sc.NONNEG):
            lo = 1 if t == sc.POSINT else 0
            if isinstance(v, bool) or not isinstance(v, int) or v < lo:
                self.problem(f, line, f"{fl.key!r}: expected a whole number ≥ {lo}, got {v!r}")
                return None
            # xsd:integer, with the lower bound in the shapes: stores (Oxigraph, Virtuoso) keep only integer
            # for the derived integer types, and a dump must say what the endpoint serves.
            return Literal(v, datatype=XSD.integer)
        if t in (sc.LATITUDE, sc.LONGITUDE):
            bound = 90 if t == sc.LATITUDE else 180
            if isinstance(v, bool) or not isinstance(v, int | float) or not -bound <= v <= bound:
                self.problem(f, line, f"{fl.key!r}: expected decimal degrees between -{bound} and {bound}, "
                             f"got {v!r}")
                return None
            return Literal(Decimal(str(v)), datatype=XSD.decimal)
        if t == sc.BOOL:
            if not isinstance(v, bool):
                self.problem(f, line, f"{fl.key!r}: expected true or false, got {v!r}")
                return None
            return Literal(v)
        if t == sc.URL:
            if not isinstance(v, str) or not URL_RE.match(v):
                self.problem(f, line, f"{fl.key!r}: {v!r} is not an http(s) URL")
                return None
            return URIRef(v)
        if t == sc.LANGCODE:
            if not isinstance(v, str) or not LANG_RE.match(v):
                self.problem(f, line, f"{fl.key!r}: {v!r} is not a language code (en, ko, id …)")
                return None
            return Literal(v)
        if t == sc.VOCAB:
            table = self.vocab.get(fl.vocab, {})
            if v not in table:
                self.problem(f, line, f"{fl.key!r}: unknown value {v!r}" + suggest(str(v), table, all_=True))
                return None
            return table[v]
        if t == sc.MODE:
            if v not in sc.MODES:
                self.problem(f, line, f"{fl.key!r}: {v!r} — use online, offline or hybrid")
                return None
            return sc.MODES[v]
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
            if not isinstance(alt, LineDict) or "value" not in alt:
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
            if conf not in sc.CONFIDENCE:
                self.problem(f, line, f"confidence {conf!r}: use low, medium or high")
            else:
                self.add(c, CG.confidence, sc.CONFIDENCE[conf], g)
        note = ann.get("note")
        if isinstance(note, dict):
            for lg, text in note.items():
                self.add(c, SKOS.note, Literal(str(text), lang=lg), g)
        elif note is not None:
            self.problem(f, line, "'note' must give its language, e.g. note: {en: …}")

    def emit_nested(self, rec: sc.Record, raw: Any, g: URIRef, line: int, *, noun: str, listing: str,
                    shape: str, keys: set[str], fields: tuple[sc.Field, ...], path: str, sub_id: str, cls: URIRef,
                    links: tuple[tuple[URIRef, URIRef], ...]) -> list[tuple[URIRef, LineDict]]:
        """A list of unnamed nodes inside a record (participations, terms of office): each gets the IRI
        ``{base}id/{path}/{record id}/{n}``, class ``cls``, ``links`` — (predicate, object) from the node, or
        (object, predicate) *to* it when the first item is the record's own IRI — its fields, sources
        (default: the record's), confidence and note. Returns the nodes made, with their items."""
        f = rec.file
        if not isinstance(raw, list):
            self.problem(f, line, f"'{noun}s' must be a list of {{{listing}, …}}")
            return []
        owner = self.subject(rec)
        made: list[tuple[URIRef, LineDict]] = []
        for i, item in enumerate(raw, 1):
            if not isinstance(item, LineDict):
                self.problem(f, line, f"each {noun} must be a mapping with {shape}")
                continue
            local = f"{path}/{rec.id}/{i}"
            node = URIRef(f"{self.base}id/{local}")
            for key in item:
                if key not in keys:
                    self.problem(f, item.key_lines[key], f"unknown key {key!r} in {noun}" + suggest(key, keys))
            self.add(node, RDF.type, cls, g)
            for a, b in links:
                if a == owner:
                    self.add(owner, b, node, g)
                else:
                    self.add(node, a, b, g)
            sub = sc.Record(sc.KINDS["person"], f"{rec.id}{sub_id}-{i}", item, f, item.line, rec.edition)
            for fl in fields:
                if fl.required and item.get(fl.key) is None:
                    self.problem(f, item.line, f"{noun} is missing {fl.key!r}")
                elif item.get(fl.key) is not None:
                    self.emit_value(node, sub, fl, item[fl.key], g, local=local)
            self.emit_sources(node, item, f, item.line, g, required=True, what=noun,
                              inherited=rec.data.get("sources"))
            self.emit_confidence(node, item, f, g)
            if "note" in item:
                self.emit_value(node, sub, sc.Field("note", sc.TEXT, SKOS.note), item["note"], g, local=local)
            made.append((node, item))
        return made

    def emit_participants(self, event: URIRef, rec: sc.Record, raw: Any, g: URIRef, line: int) -> None:
        self.emit_nested(rec, raw, g, line, noun="participant", listing="who, role", shape="who: and role:",
                         keys=sc.PARTICIPATION_KEYS, fields=sc.PARTICIPATION_FIELDS, path="participation", sub_id="",
                         cls=CG.Participation, links=((CG.inEvent, event), (event, CG.hasParticipation)))

    def emit_leaders(self, org: URIRef, rec: sc.Record, raw: Any, g: URIRef, line: int) -> None:
        """``leaders:`` of an organisation → one cg:Tenure per holder (org:member, org:organization)."""
        made = self.emit_nested(rec, raw, g, line, noun="leader", listing="who, position, start, end",
                                shape="who: (and position:, start:, end:)", keys=sc.LEADER_KEYS,
                                fields=sc.LEADER_FIELDS, path="tenure", sub_id="-tenure", cls=CG.Tenure,
                                links=((ORG.organization, org), (org, CG.hasTenure)))
        for _node, item in made:
            start, end = _plain(item.get("start")), _plain(item.get("end"))
            if start is not None and end is not None:
                s_, e_ = str(start), str(end)
                n = min(len(s_), len(e_))
                if e_[:n] < s_[:n]:
                    self.problem(rec.file, item.key_lines.get("end", item.line), f"end {e_} is before start {s_}")

    def emit_readings(self, conflict: URIRef, rec: sc.Record, raw: Any, g: URIRef, line: int) -> None:
        f = rec.file
        if not isinstance(raw, list) or len(raw) < 2:
            self.problem(f, line, "a conflict needs at least two readings")
            return
        for i, item in enumerate(raw, 1):
            if not isinstance(item, LineDict):
                self.problem(f, line, "each reading must be a mapping with text: and sources:")
                continue
            for key in item:
                if key not in sc.READING_KEYS:
                    self.problem(f, item.key_lines[key], f"unknown key {key!r} in reading"
                                 + suggest(key, sc.READING_KEYS))
            r = URIRef(f"{conflict}/reading/{i}")
            self.add(r, RDF.type, CG.Reading, g)
            self.add(conflict, CG.reading, r, g)
            sub = sc.Record(rec.kind, f"{rec.id}-{i}", item, f, item.line, rec.edition)
            if item.get("text") is None:
                self.problem(f, item.line, "reading is missing 'text'")
            else:
                self.emit_value(r, sub, sc.Field("text", sc.TEXT, RDF.value), item["text"], g,
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
                self.emit_value(r, sub, sc.Field("note", sc.TEXT, SKOS.note), item["note"], g,
                                local=f"conflict/{rec.id}/reading/{i}")

    # ------------------------------------------------------------------ references
    def ref(self, s: URIRef, p: URIRef, target: str, kinds: tuple[str, ...], f: str, line: int, g: URIRef,
            claim: tuple[dict | None, str] | None = None) -> None:
        idx = len(self.quads)
        self.add(s, p, URIRef("urn:culturegraph:unresolved"), g)  # filled in by resolve_refs
        self._pending.append((idx, target, kinds, f, line, claim))


def _plain(v: Any) -> Any:
    return v.get("value") if isinstance(v, dict) else v


def suggest(word: str, options: Any, all_: bool = False) -> str:
    """`` (did you mean 'x'?)`` for a near miss, or the list of allowed values when short."""
    opts = sorted(str(o) for o in options)
    close = difflib.get_close_matches(word, opts, n=1, cutoff=0.75)
    if close:
        return f" (did you mean {close[0]!r}?)"
    if all_ and len(opts) <= 30:
        return " (one of: " + ", ".join(opts) + ")"
    return ""
