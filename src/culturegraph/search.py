"""Search by name: every name of every record, in every language, forgiving how people type them.

A policy officer looking for KOFICE types "kofice", "Korea Foundation for Int", "한국국제문화교류", or
"Korean Foundation" with a typo; the graph has those names as ``rdfs:label`` / ``skos:altLabel`` /
``skos:prefLabel`` literals. Each name becomes a key — Unicode-decomposed (NFKD, so Hangul syllables become
their jamo and a prefix may end mid-syllable), accents dropped, case folded, and everything that is not a
letter or digit removed (spaces, hyphens, dots) — and a query is keyed the same way. Ranking, best first:
the whole name (100), its start (90), the start of one of its words (85), inside it (75), then, for queries
of four characters or more, small typos (RapidFuzz's ``partial_ratio`` ≥ 85, scaled to 60–70). Hand-written
here: only the key and the tiers; the fuzzy matching is RapidFuzz's (a maintained C++ library), because a
pure-Python edit distance over every name of a million-triple graph would not answer in time.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .labels import pick_label
from .memo import per_facade

if TYPE_CHECKING:
    from .api import CultureGraph

#: record kinds a person searches for, in the order their groups are shown when scores tie
KINDS = ("organisation", "person", "series", "edition", "event", "programme", "project", "fund", "agreement",
         "designated-year", "site", "city", "country", "venue", "theme", "session")
NAME_PREDICATES = ("http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#altLabel",
                   "http://www.w3.org/2004/02/skos/core#prefLabel")
_WORDS = re.compile(r"[\s\-‐‑–—_/.,:;()·'’\"]+")
_FOLD = str.maketrans({"đ": "d", "Đ": "d", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "ß": "ss", "æ": "ae",
                       "Æ": "ae", "œ": "oe", "Œ": "oe", "ı": "i"})


def key(text: str) -> str:
    """The search key of a name or a query (see the module docstring)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(ch for ch in decomposed.casefold() if ch.isalnum() and not unicodedata.combining(ch))


@dataclass(frozen=True)
class Hit:
    """One record found: its IRI, short id (``organisation/kofice``), kind, label to show, the name that
    matched (in whatever language) and the score (0–100)."""

    iri: str
    id: str
    kind: str
    label: str
    matched: str
    score: float


@dataclass
class SearchResult:
    query: str
    hits: list[Hit]
    suggestions: list[Hit] = field(default_factory=list)  # closest names, when nothing matched

    def groups(self) -> list[tuple[str, list[Hit]]]:
        """The hits by kind, the kind of the best hit first (then the order of :data:`KINDS`)."""
        out: dict[str, list[Hit]] = {}
        for h in self.hits:
            out.setdefault(h.kind, []).append(h)
        return list(out.items())

    def as_json(self) -> dict:
        def one(h: Hit) -> dict:
            return {"iri": h.iri, "id": h.id, "kind": h.kind, "label": h.label, "matched": h.matched,
                    "score": round(h.score, 1)}
        return {"query": self.query, "hits": [one(h) for h in self.hits],
                "suggestions": [one(h) for h in self.suggestions]}


class SearchIndex:
    """Every name of every searchable record, keyed; built once per facade (:func:`get_search_index`)."""

    def __init__(self, names: list[tuple[str, str, str]], base_iri: str):
        """``names``: (record IRI, name, language tag or "") for every name literal."""
        self.base = base_iri + "id/"
        by_entity: dict[str, list[tuple[str, str | None]]] = {}
        for iri, text, lang in names:
            by_entity.setdefault(iri, []).append((text, lang or None))
        self.entities = sorted(by_entity)
        self.labels = [sorted(set(by_entity[e]), key=lambda x: (x[1] or "", x[0])) for e in self.entities]
        self.keys: list[str] = []
        self.owner: list[int] = []
        self.names: list[str] = []
        self.words: list[tuple[str, ...]] = []
        for i, labels in enumerate(self.labels):
            for text, _lang in labels:
                k = key(text)
                if k:
                    self.keys.append(k)
                    self.owner.append(i)
                    self.names.append(text)
                    self.words.append(tuple(w for w in (key(p) for p in _WORDS.split(text)) if w))
        # every key in one string (keys are letters and digits only, so a newline never occurs in one): a
        # substring is then found by str.find, in C, instead of a Python loop over every name
        self.blob = "\n".join(self.keys)
        self.starts: list[int] = []
        pos = 0
        for k in self.keys:
            self.starts.append(pos)
            pos += len(k) + 1

    def containing(self, q: str) -> list[int]:
        """Indices of the keys that contain ``q`` (each once)."""
        out: list[int] = []
        pos = self.blob.find(q)
        while pos != -1:
            n = bisect.bisect_right(self.starts, pos) - 1
            out.append(n)
            pos = self.blob.find(q, self.starts[n] + len(self.keys[n]) + 1)  # on to the next key
        return out

    def kind(self, i: int) -> str:
        return self.entities[i][len(self.base):].split("/", 1)[0]

    def hit(self, i: int, lang: str, matched: str, score: float) -> Hit:
        iri = self.entities[i]
        return Hit(iri, iri[len(self.base):], self.kind(i), pick_label(self.labels[i], lang) or iri,
                   matched, score)

    def search(self, text: str, lang: str = "en", limit: int = 20) -> SearchResult:
        q = key(text)
        qwords = [w for w in (key(p) for p in _WORDS.split(text)) if w]
        best: dict[int, tuple[float, str]] = {}

        def offer(n: int, score: float) -> None:
            i = self.owner[n]
            if score > best.get(i, (-1.0, ""))[0]:
                best[i] = (score, self.names[n])

        if q:
            for n in self.containing(q):
                k = self.keys[n]
                if k == q:
                    offer(n, 100.0)
                elif k.startswith(q):
                    offer(n, 90.0 + 5.0 * len(q) / len(k))
                elif any(w.startswith(q) for w in self.words[n]):
                    offer(n, 85.0)
                else:
                    offer(n, 75.0)
            if len(qwords) > 1:  # every word, in any order: "lee kyogu" finds "Kyogu Lee"
                for n in self.containing(max(qwords, key=len)):
                    if all(any(w.startswith(x) for w in self.words[n]) for x in qwords):
                        offer(n, 80.0)
            if len(q) >= 4 and len(best) < limit:  # typos only matter when the names themselves fall short
                from rapidfuzz import fuzz, process
                from rapidfuzz.distance import DamerauLevenshtein

                for _name, score, n in process.extract(q, self.keys, scorer=fuzz.partial_ratio,
                                                       score_cutoff=85, limit=max(limit * 5, 50)):
                    if len(self.keys[n]) >= len(q):  # the query, misspelt, inside a name (not a short name in it)
                        offer(n, 60.0 + (score - 85.0) * (10.0 / 15.0))
                # a typo in a whole short name (a swap counts once: "kofcie" is one step from "kofice")
                for _name, score, n in process.extract(q, self.keys, scorer=DamerauLevenshtein.normalized_similarity,
                                                       score_cutoff=0.75, limit=max(limit * 5, 50)):
                    offer(n, 60.0 + (score - 0.75) * 40.0)
        # best score, then kind, then the shorter matching name (the closer match), then the IRI
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], _kind_rank(self.kind(kv[0])), len(kv[1][1]),
                                                      kv[0]))
        hits = [self.hit(i, lang, name, score) for i, (score, name) in ranked[:limit]]
        suggestions: list[Hit] = []
        if not hits and q and self.keys:
            from rapidfuzz import fuzz, process

            seen: set[int] = set()
            for _name, score, n in process.extract(q, self.keys, scorer=fuzz.WRatio, limit=20):
                i = self.owner[n]
                if i not in seen:
                    seen.add(i)
                    suggestions.append(self.hit(i, lang, self.names[n], float(score)))
                if len(suggestions) == 5:
                    break
        return SearchResult(text, hits, suggestions)


def _kind_rank(kind: str) -> int:
    return KINDS.index(kind) if kind in KINDS else len(KINDS)


def build_search_index(cg: CultureGraph) -> SearchIndex:
    import pyoxigraph as ox

    base = cg.settings.base_iri + "id/"
    wanted = tuple(f"{base}{k}/" for k in KINDS)
    names: list[tuple[str, str, str]] = []
    for p in NAME_PREDICATES:
        for q in cg.store.quads_for_pattern(None, ox.NamedNode(p), None):
            s, o = q.subject, q.object
            if isinstance(s, ox.NamedNode) and isinstance(o, ox.Literal) and s.value.startswith(wanted) \
                    and "/" not in s.value[len(base):].split("/", 1)[1]:
                names.append((s.value, o.value, o.language or ""))
    return SearchIndex(sorted(set(names)), cg.settings.base_iri)


#: the search index of a facade, read from its store on first use and kept as long as the facade
get_search_index = per_facade(build_search_index)
