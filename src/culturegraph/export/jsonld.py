"""JSON-LD: the whole graph compacted with the culturegraph ``@context``, and framed per-entity documents.

The ``@context`` (``context.jsonld`` beside this module) gives readable keys — ``name``, ``startDate``,
``hostCity``, ``role`` … — and is published with every release as ``context.jsonld``. The compacted dump
is assembled node by node (:mod:`.jsonld_writer`) with pyLD's own term selection and IRI compaction; framing,
and compaction of graphs outside the writer's shape, use pyLD itself. pyLD always gets a document loader that
refuses every URL: nothing is ever fetched from the network (pyLD's default loader would fetch remote
contexts with ``requests``).
"""

from __future__ import annotations

import copy
import inspect
import json
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from ..errors import ExportError

if TYPE_CHECKING:
    from ..api import CultureGraph

CONTEXT_FILE = Path(__file__).with_name("context.jsonld")
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@lru_cache(maxsize=4)
def _context_text() -> str:
    return CONTEXT_FILE.read_text(encoding="utf-8")


def context(base_iri: str) -> dict[str, Any]:
    """The ``@context`` object for a base IRI (the shipped file has the default base)."""
    ctx: dict[str, Any] = json.loads(_context_text())["@context"]
    ctx["@base"] = base_iri + "id/"
    return ctx


def context_document(base_iri: str) -> bytes:
    """The context file as published (``{base}context.jsonld``)."""
    return dumps({"@context": context(base_iri)})


def context_url(base_iri: str) -> str:
    """Where the context is published; framed documents refer to it."""
    return base_iri + "context.jsonld"


def refuse_remote(url: str, options: dict | None = None) -> Any:
    """A pyLD document loader that loads nothing: culturegraph never fetches a remote context."""
    raise ExportError(f"refusing to load a remote JSON-LD document: {url}")


def offline_loader(base_iri: str):
    """A pyLD document loader that knows the published culturegraph context and refuses anything else."""
    published = context_url(base_iri)

    def load(url: str, options: dict | None = None) -> dict[str, Any]:
        if url != published:
            refuse_remote(url)
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
                "document": {"@context": context(base_iri)}}

    return load


def dumps(obj: Any) -> bytes:
    """JSON as UTF-8, one key per line, keys sorted (keywords first)."""
    return (json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def _node(term: object) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "IRI", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "blank node", "value": "_:" + term.value}
    if isinstance(term, ox.Literal):
        datatype = RDF_LANGSTRING if term.language else term.datatype.value
        out = {"type": "literal", "value": term.value, "datatype": datatype}
        if term.language:
            out["language"] = term.language
        return out
    raise ExportError(f"cannot write {term!r} as JSON-LD")


def _expand(triples: list[ox.Triple]) -> list[Any]:
    """Expanded JSON-LD of sorted triples. The triples are handed to pyLD as its RDF dataset structure:
    pyLD's own N-Quads parser takes seconds per thousand lines."""
    from pyld import jsonld

    dataset = {"@default": [{"subject": _node(t.subject), "predicate": _node(t.predicate),
                             "object": _node(t.object)} for t in triples]}
    expanded: list[Any] = jsonld.from_rdf(dataset, {"useNativeTypes": True, "documentLoader": refuse_remote})
    return expanded


def processor() -> Any:
    """A pyLD processor whose IRI compaction is memoised (plain pyLD if its internals have changed).

    Why not plain pyLD: for every IRI it compacts, pyLD's ``_compact_iri`` walks all terms of the context
    looking for the shortest CURIE, then resolves the IRI against ``@base`` — at 100k triples that was most
    of the export's time. Its answer depends only on its arguments and, when it selects a term for a value,
    on the value's *shape* (:func:`_value_shape`: a node reference and whether its IRI is itself a term, or
    a value's language, datatype and number of keys — what pyLD's term selection reads), so calls are answered
    from a per-processor cache keyed by those; values of any other shape are left to pyLD.
    ``tests/test_export.py`` checks the output is the same as plain pyLD's.
    """
    return _processor_class()()


@lru_cache(maxsize=1)
def _processor_class() -> type:
    from pyld import jsonld

    plain: type = jsonld.JsonLdProcessor
    if list(inspect.signature(plain._compact_iri).parameters) != [  # type: ignore[attr-defined]
            "self", "active_ctx", "iri", "value", "vocab", "base", "reverse"]:
        return plain

    class Memoised(plain):  # type: ignore[misc, valid-type]
        def __init__(self) -> None:
            super().__init__()
            self._iri_memo: dict[int, tuple[Any, dict[Any, Any]]] = {}

        def _compact_iri(self, active_ctx: Any, iri: Any, value: Any = None, vocab: bool = False,
                         base: Any = None, reverse: bool = False) -> Any:
            shape = None if value is None else _value_shape(self, active_ctx, value)
            if shape is _OTHER or not isinstance(iri, str):
                return super()._compact_iri(active_ctx, iri, value, vocab, base, reverse)
            # keyed by the context object itself (kept alive here, so its id is not reused)
            _ctx, memo = self._iri_memo.setdefault(id(active_ctx), (active_ctx, {}))
            key = (iri, vocab, base, reverse, shape)
            hit = memo.get(key)
            if hit is None:
                hit = memo[key] = super()._compact_iri(active_ctx, iri, value, vocab, base, reverse)
            return hit

    return Memoised


_OTHER = object()  # a value shape the memo does not key: pyLD answers it
_VALUE_KEYS = frozenset(("@value", "@language", "@type"))


def _value_shape(proc: Any, active_ctx: Any, value: Any) -> Any:
    """What pyLD's term selection (``_compact_iri`` / ``_select_term``, pyLD 2.x) reads of a value, for the two
    shapes RDF gives: a node reference (``{"@id": iri}``, plus whether that IRI compacts to a term of its own,
    which decides between ``@type: @vocab`` and ``@type: @id`` terms), and a value object with ``@language``
    or ``@type`` (their values and the number of keys). Anything else (``@index``, ``@list``, ``@graph``,
    ``@direction`` …) is :data:`_OTHER`."""
    if type(value) is not dict:
        return _OTHER
    if len(value) == 1 and "@id" in value:
        iri = value["@id"]
        if iri not in _term_iris(proc, active_ctx):  # no term has this IRI, so none can be its compact form
            return ("@id", False)
        term = proc._compact_iri(active_ctx, iri, None, True)
        mapping = active_ctx["mappings"].get(term)
        return ("@id", bool(term is not None and mapping and mapping["@id"] == iri))
    if "@value" in value and value.keys() <= _VALUE_KEYS:
        return ("@value", value.get("@language"), value.get("@type"), len(value))
    return _OTHER


def _term_iris(proc: Any, active_ctx: Any) -> frozenset[str]:
    """The IRIs the context's terms stand for (kept per processor and context)."""
    memo = proc.__dict__.setdefault("_term_iris", {})
    hit = memo.get(id(active_ctx))
    if hit is None:  # the context is kept with its set, so its id is not reused
        hit = memo[id(active_ctx)] = (active_ctx, frozenset(m["@id"] for m in active_ctx["mappings"].values()
                                                            if m and isinstance(m.get("@id"), str)))
    return hit[1]


def compact_graph(cg: CultureGraph) -> dict[str, Any]:
    """The whole graph (named graphs merged) as one compacted JSON-LD document with an inline context:
    built node by node (:mod:`.jsonld_writer`), or by pyLD for a graph outside that module's shape."""
    from .jsonld_writer import compact_document
    from .rdf import triples

    ctx = context(cg.settings.base_iri)
    doc = compact_document(triples(cg), ctx)
    return doc if doc is not None else compact_with_pyld(triples(cg), ctx)


def compact_with_pyld(triples: list[ox.Triple], ctx: dict[str, Any]) -> dict[str, Any]:
    """pyLD's ``from_rdf`` (native types) then ``compact`` of distinct triples in dump order."""
    # the input is pyLD's own expanded form: compaction need not expand it a second time
    doc: dict[str, Any] = processor().compact(_expand(triples), {"@context": ctx},
                                              {"documentLoader": refuse_remote, "skipExpansion": True})
    return doc


def export_jsonld(cg: CultureGraph) -> dict[str, bytes]:
    """``culturegraph.jsonld``: the graph with the culturegraph context inline (self-contained)."""
    return {"culturegraph.jsonld": dumps(compact_graph(cg))}


def _frame(entity: str, ctx: dict[str, Any]) -> dict[str, Any]:
    # Forward links (participations, terms of office, readings) embed by themselves; claims and conflicts point *at* the
    # entity, so the frame asks for them through the context's reverse terms.
    return {"@context": ctx, "@id": entity, "claims": {"@embed": "@always"}, "conflicts": {"@embed": "@always"},
            "hasParticipation": {"claims": {}, "conflicts": {}}, "hasTenure": {"claims": {}, "conflicts": {}}}


def framed_documents(cg: CultureGraph) -> dict[str, bytes]:
    """One framed JSON-LD document per record: ``{kind}/{id}.jsonld`` → the record's named graph, rooted at
    the record's IRI, with the published context referred to by URL; plus ``context.jsonld`` itself."""
    from ..io import sorted_triples
    from ..snapshot import stored_records

    base = cg.settings.base_iri
    ctx = context(base)
    by_graph: dict[str, list[ox.Quad]] = defaultdict(list)
    for q in cg.ox_quads:
        if isinstance(q.graph_name, ox.NamedNode):
            by_graph[q.graph_name.value].append(q)
    out: dict[str, bytes] = {"context.jsonld": context_document(base)}
    records = stored_records(cg)
    for rid in sorted(records):
        kind, entity = records[rid]
        # sorted: the quads come from the YAML or from the dump, in different orders
        triples = sorted_triples(by_graph.get(f"{base}graph/{kind.path}/{rid}", []))
        framed = processor().frame(_expand(triples), _frame(entity, copy.deepcopy(ctx)),
                                   {"documentLoader": refuse_remote, "omitGraph": True})
        framed["@context"] = context_url(base)
        out[f"{kind.path}/{rid}.jsonld"] = dumps(framed)
    return out
