"""Display graphs: the one value to show per resource, property and language, chosen at build time.

Every named query shows labels "in the requested language, else in English, else in any language". Written
as SPARQL that is three ``OPTIONAL`` look-ups per column, each fetching every label of the resource and
filtering it, and a ``GROUP BY`` to keep one value (``MIN``): at a million triples about three quarters of
the time of the listing queries (``benchmarks/README.md``). The choice does not depend on the question, so
it is made once here, and a column becomes one index look-up::

    OPTIONAL { ?labelsIn cg:displayLanguage ?lang ; cg:displayedProperty rdfs:label }
    BIND(COALESCE(?labelsIn, display:en) AS ?labels)
    ...
    OPTIONAL { GRAPH ?labels { ?person cg:displayLabel ?personLabel } }
    OPTIONAL { GRAPH display:en { ?person cg:displayLabel ?personLabel } }

For each resource with a value of a displayed property ``P``, the value to show for a language key ``L`` is,
among the values whose language tag ``langMatches`` ``L``, else those that match ``en``, else all of them,
the least in SPARQL order (by lexical form, then language) — exactly what ``MIN(COALESCE(?x1, ?x2, ?x3))``
over the three tiers gave, which ``tests/test_derived_display.py`` checks against that SPARQL. The graph
``{base}graph/display/en`` states it, as ``resource twin(P) value``, for every resource; the graph
``{base}graph/display/{L}`` only where it differs from the English one (the second ``OPTIONAL`` above, on
the same variable, fills in the rest), so no display value is stated twice in the union default graph. The
twins (``cg:displayLabel`` for ``rdfs:label``, ``cg:displayPosition``, ``cg:displayTalkTitle``) are separate
properties for the same reason: re-stating ``rdfs:label`` would repeat every label in the union.

A graph covers ``P`` only for the keys where the data has ``P`` values that differ from the English choice
(each lower-cased tag and every prefix of it: ``zh-hant`` gives ``zh-hant`` and ``zh``), so positions given
only in English are not copied into every language's graph; ``en`` covers every property. Which graph
covers what is said in ``{base}graph/index`` (``a cg:DisplayGraph ; cg:displayLanguage "ko" ;
cg:displayedProperty …``), so a query finds its graph with one look-up per query and falls back to
``display:en`` — the right answer for any language the data does not have.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

import pyoxigraph as ox

from .derived import CG, PROV, RDF_TYPE, RDFS_LABEL

#: displayed property → its twin in the display graphs
DISPLAYED = {
    RDFS_LABEL: CG + "displayLabel",
    CG + "positionAtTime": CG + "displayPosition",
    CG + "talkTitle": CG + "displayTalkTitle",
}
FALLBACK = "en"


def _order(lit: ox.Literal) -> tuple[str, int, str, str]:
    """SPARQL order as Oxigraph's ``MIN`` applies it to these values: lexical form, then a language-tagged
    string before a plain one, then the tag."""
    return lit.value, 0 if lit.language else 1, lit.language or "", lit.datatype.value


def _prefixes(tag: str) -> list[str]:
    parts = tag.split("-")
    return ["-".join(parts[:n]) for n in range(1, len(parts) + 1)]


def _matches(tag: str | None, key: str) -> bool:
    """SPARQL ``langMatches(tag, key)`` for a basic range (tags and keys are lower case here)."""
    return bool(tag) and (tag == key or tag.startswith(key + "-"))  # type: ignore[union-attr]


def choose(values: Iterable[ox.Literal], key: str) -> ox.Literal | None:
    """The value to show for ``key``: least of the ``key`` tier, else of the ``en`` tier, else of all."""
    ordered = sorted(values, key=_order)
    for tier in (key, FALLBACK):
        for lit in ordered:
            if _matches(lit.language, tier):
                return lit
    return ordered[0] if ordered else None


def display_quads(values: dict[str, dict[str, list[ox.Literal]]], base_iri: str,
                  derived_graph: ox.NamedNode, activity: ox.NamedNode) -> list[ox.Quad]:
    """The display graphs for ``values`` (displayed property → resource IRI → its values), and their
    description in ``derived_graph`` (the look-up index graph, a working aid like them)."""
    keys: dict[str, set[str]] = {}
    for prop, by_subject in values.items():
        found = {FALLBACK}
        for lits in by_subject.values():
            for lit in lits:
                if lit.language:
                    found.update(_prefixes(lit.language))
        keys[prop] = found
    out: list[ox.Quad] = []
    covers: dict[str, list[str]] = defaultdict(list)
    for prop in sorted(values):
        twin = ox.NamedNode(DISPLAYED[prop])
        emitted: set[str] = {FALLBACK}  # a language graph is described only when it states something
        for subject in sorted(values[prop]):
            lits = sorted(values[prop][subject], key=_order)
            fallback = choose(lits, FALLBACK)
            own = {k for lit in lits if lit.language for k in _prefixes(lit.language)}
            node = ox.NamedNode(subject)
            for key in sorted(keys[prop]):
                value = choose(lits, key) if key in own else fallback
                # display:en holds every resource; another language's graph only the values that differ
                # from it, so the union default graph never states one display value twice
                if value is not None and (key == FALLBACK or value != fallback):
                    out.append(ox.Quad(node, twin, value, _graph(base_iri, key)))
                    emitted.add(key)
        for key in sorted(emitted):
            covers[key].append(prop)
    for key in sorted(covers):
        graph = _graph(base_iri, key)
        out.append(ox.Quad(graph, ox.NamedNode(RDF_TYPE), ox.NamedNode(CG + "DisplayGraph"), derived_graph))
        out.append(ox.Quad(graph, ox.NamedNode(CG + "displayLanguage"), ox.Literal(key), derived_graph))
        for prop in covers[key]:
            out.append(ox.Quad(graph, ox.NamedNode(CG + "displayedProperty"), ox.NamedNode(prop), derived_graph))
        out.append(ox.Quad(graph, ox.NamedNode(PROV + "wasGeneratedBy"), activity, derived_graph))
    return out


@lru_cache(maxsize=256)
def _graph(base_iri: str, key: str) -> ox.NamedNode:
    """The display graph of ``key`` (one term each: a million quads share a few graph names)."""
    return ox.NamedNode(f"{base_iri}graph/display/{key}")
