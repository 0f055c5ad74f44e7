"""Entity linking: every name the graph holds (labels and alternative names, in every language) found in
an article's text, tolerant of case, spacing, hyphens, punctuation and the order of a romanised name.

Hand-written: the libraries that link entities (spaCy's entity linker, OpenRefine reconciliation) need a
trained model or a service; here the graph's own names are the dictionary. Both the names and the text are
*squashed* (NFKC, case folded, only letters and digits kept), so ``Lee Kyo-gu``, ``LEE KYOGU`` and
``Lee  Kyogu`` meet; a match must start and end on a word boundary of the original text in Latin script (in
Hangul and CJK text particles attach to names: ``문화체육관광부는``), and a short Latin name (an acronym such
as ``ACC``) must match case and all. Overlapping matches keep the longest.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..memo import per_facade

if TYPE_CHECKING:
    from ..api import CultureGraph

#: the record kinds a mention can link to, in the order an ambiguous name prefers them
KINDS = ("series", "edition", "organisation", "person", "city", "country", "venue", "programme", "project",
         "fund", "heritage-site", "event", "theme")


@dataclass(frozen=True)
class Entity:
    kind: str
    id: str


@dataclass(frozen=True)
class Mention:
    """A name found in the text: the record, the text as written, where, and how sure."""

    entity: Entity
    text: str
    start: int
    end: int
    score: float
    others: tuple[Entity, ...] = ()  # other records with this very name (a venue and its organisation)


def squash(text: str) -> tuple[str, list[int]]:
    """``text`` folded to letters and digits, and for each kept character its offset in ``text``."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(unicodedata.normalize("NFKC", text)):
        if ch.isalnum():
            for c in ch.casefold():
                out.append(c)
                where.append(i)
    return "".join(out), where


def _latin(s: str) -> bool:
    return all(ord(c) < 0x250 for c in s)


@dataclass
class _Name:
    key: str  # squashed
    entity: Entity
    exact: str  # as the graph writes it (for short names: matched case and all)
    score: float


class NameIndex:
    """Every name of every linkable record of a graph, squashed."""

    def __init__(self, names: list[_Name]):
        by_key: dict[str, list[_Name]] = defaultdict(list)
        for n in names:
            by_key[n.key].append(n)
        self.by_key = dict(by_key)

    def find(self, text: str) -> list[Mention]:
        """Every name of the graph in ``text``, longest first where they overlap, in text order."""
        flat, where = squash(text)
        hits: list[Mention] = []
        for key, names in self.by_key.items():
            at = flat.find(key)
            while at >= 0:
                start, end = where[at], where[at + len(key) - 1] + 1
                ok = self._accept(names, text, start, end)
                if ok:
                    best = ok[0]
                    others = tuple(sorted({n.entity for n in ok[1:]} - {best.entity},
                                          key=lambda e: (KINDS.index(e.kind), e.id)))
                    hits.append(Mention(best.entity, text[start:end], start, end, best.score, others))
                at = flat.find(key, at + 1)
        hits.sort(key=lambda m: (-(m.end - m.start), m.start, KINDS.index(m.entity.kind), m.entity.id))
        kept: list[Mention] = []
        taken: list[tuple[int, int]] = []
        for m in hits:
            if all(m.end <= a or m.start >= b for a, b in taken):
                kept.append(m)
                taken.append((m.start, m.end))
        return sorted(kept, key=lambda m: m.start)

    @staticmethod
    def _accept(names: list[_Name], text: str, start: int, end: int) -> list[_Name]:
        span = text[start:end]
        ok = []
        for n in names:
            if _latin(n.exact):
                before = text[start - 1] if start else " "
                after = text[end] if end < len(text) else " "
                if before.isalnum() or after.isalnum():
                    continue
                if len(n.key) <= 4 and span != n.exact:  # an acronym: as written
                    continue
            ok.append(n)
        return sorted(ok, key=lambda n: (-n.score, KINDS.index(n.entity.kind), n.entity.id))


def build_name_index(cg: CultureGraph) -> NameIndex:
    """The names of every linkable record (labels and alternative names, every language)."""
    base = cg.settings.base_iri + "id/"
    rows = cg.query("SELECT ?s ?p ?name WHERE { ?s rdfs:label|skos:altLabel ?name . "
                    f'FILTER(STRSTARTS(STR(?s), "{base}") && isLiteral(?name)) '
                    "BIND(IF(EXISTS { ?s rdfs:label ?name }, 1, 0) AS ?p) }", limit=None).rows
    names: list[_Name] = []
    for s, primary, name in rows:
        kind, _, rid = str(s)[len(base):].partition("/")
        if kind not in KINDS or "/" in rid or not rid:
            continue
        entity = Entity(kind, rid)
        label = str(name)
        score = 1.0 if int(str(primary)) else 0.95
        _add(names, label, entity, score)
        words = label.split()
        if kind == "person" and _latin(label) and 2 <= len(words) <= 3:  # Kyogu Lee / Lee Kyogu
            _add(names, " ".join([words[-1], *words[:-1]]), entity, 0.9)
            _add(names, " ".join([*words[1:], words[0]]), entity, 0.9)
    return NameIndex(names)


def _add(names: list[_Name], label: str, entity: Entity, score: float) -> None:
    key, _ = squash(label)
    if len(key) < (3 if _latin(label) else 2):  # "UN", "한": too short to mean one record
        return
    names.append(_Name(key, entity, label, score))


name_index = per_facade(build_name_index)
