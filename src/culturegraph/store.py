"""Query engines behind the facade, and the stores they run on.

:class:`CultureGraph` never talks to a triple store directly: ``query``, ``label`` and ``stats`` go through an
:class:`Engine`. Two engines pass the same tests (``tests/test_store.py``):

- :class:`OxigraphEngine` — pyoxigraph's ``Store``, in memory (the default) or on disk (setting
  ``store_path``). It answers SPARQL 10–90× faster than rdflib on this kind of graph
  (``../shared/PERFORMANCE.md``, ``benchmarks/README.md``).
- :class:`RdflibEngine` — rdflib's memory store (setting ``store = "memory"``), a ``Dataset`` with the union
  of the named graphs as default graph; parameters are bound with ``initBindings``.

Both see the union of all named graphs as the default graph, both refuse ``SERVICE`` unless the endpoint is
listed in the ``allow_service`` setting, and neither ever reads a file or URL named in ``FROM``
(rdflib's ``SPARQL_LOAD_GRAPHS`` is switched off). Where the stores come from (the YAML data, a prebuilt
``dist/`` dump, an on-disk store keyed by a content hash) is :mod:`culturegraph.snapshot`'s business.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .derived import INDEX_ONLY, described
from .errors import QueryError, QueryRefused
from .gcpause import paused_gc
from .sparql_guard import check_query
from .tsv_rows import TsvRows

OxQuad = ox.Quad
OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal
RdfQuad = tuple[Node, Node, Node, Node]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


# ---------------------------------------------------------------------- terms
def to_ox(term: Node) -> OxTerm:
    """rdflib term → pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"cannot convert {term!r}")


def from_ox(term: Any) -> Node | None:
    """pyoxigraph term → rdflib term (None stays None)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return _string_literal(term.value, term.language)
        dt = term.datatype.value
        if dt == XSD_STRING:
            return _string_literal(term.value, None)
        return Literal(term.value, datatype=URIRef(dt))
    if isinstance(term, ox.DefaultGraph):
        return None
    raise TypeError(f"cannot convert {term!r}")


# A string literal (plain or language-tagged) coming out of Oxigraph is already valid RDF, but rdflib's
# ``Literal()`` checks the tag, looks up a converter and normalises anyway: 2–6 µs a value, most of our
# overhead over plain pyoxigraph on large results. For these two kinds the constructor only stores the text
# four times over, so they are built directly — if rdflib's Literal still has exactly those slots (checked
# once; tests/test_store.py compares both ways on every literal of the data).
_SLOTS = ("_language", "_datatype", "_value", "_ill_typed")
_FAST_STRINGS = getattr(Literal, "__slots__", None) == _SLOTS and Literal("x", lang="en")._value == "x"


def _string_literal(value: str, language: str | None) -> Literal:
    if not _FAST_STRINGS:
        return Literal(value, lang=language)
    inst = str.__new__(Literal, value)
    inst._language = language
    inst._datatype = None
    inst._value = value
    inst._ill_typed = None
    return inst


def from_stored(term: Any) -> Node | None:
    """``from_ox`` for a term read out of Oxigraph: its IRIs are already valid, so they skip rdflib's IRI
    check (``URIRef.__new__`` only validates, then calls ``str.__new__``)."""
    return str.__new__(URIRef, term.value) if type(term) is ox.NamedNode else from_ox(term)


class TermConverter:
    """:func:`from_stored` with a memo: building an rdflib ``Literal`` costs 2–6 µs, and results repeat
    terms a lot."""

    def __init__(self, limit: int = 200_000):
        self.limit = limit
        #: ``None`` (an unbound value) maps to itself
        self.memo: dict[Any, Node | None] = {None: None}

    def __call__(self, term: Any) -> Node | None:
        if term is None:
            return None
        hit = self.memo.get(term)
        if hit is None:
            hit = from_stored(term)
            if len(self.memo) >= self.limit:
                self.memo.clear()
                self.memo[None] = None
            self.memo[term] = hit
        return hit


def to_ox_quads(quads: Iterable[tuple[Node, Node, Node, Node]]) -> list[OxQuad]:
    """rdflib quads → pyoxigraph quads (terms are converted once each)."""
    return list(iter_ox_quads(quads))


def iter_ox_quads(quads: Iterable[tuple[Node, Node, Node, Node]]) -> Iterator[OxQuad]:
    """rdflib quads → pyoxigraph quads, one at a time (terms are converted once each)."""
    conv = lru_cache(maxsize=None)(to_ox)
    for s, p, o, g in quads:
        yield ox.Quad(conv(s), conv(p), conv(o), conv(g))  # type: ignore[arg-type]


def from_ox_quads(quads: Iterable[OxQuad]) -> list[RdfQuad]:
    """pyoxigraph quads → rdflib quads."""
    conv = TermConverter(limit=10_000_000)
    return [(conv(q.subject), conv(q.predicate), conv(q.object), conv(q.graph_name))  # type: ignore[misc]
            for q in quads]


def oxigraph_store(quads: list[OxQuad], path: str | None = None) -> ox.Store:
    """An Oxigraph store holding ``quads`` (in memory, or on disk at ``path``)."""
    store = ox.Store(path) if path else ox.Store()
    store.extend(quads)
    return store


def param_term(value: Any) -> Node:
    """A query parameter as an rdflib term: terms as they are, ``int``/``bool``/``float`` typed, ``str`` plain."""
    if isinstance(value, URIRef | Literal | BNode):
        return value
    if isinstance(value, ox.NamedNode | ox.Literal | ox.BlankNode):
        return from_ox(value)  # type: ignore[return-value]
    if isinstance(value, bool | int | float):
        return Literal(value)
    return Literal(str(value))


# ---------------------------------------------------------------------- engines
@dataclass
class QueryData:
    """What an engine returns; :class:`culturegraph.api.QueryResult` is built from it."""

    kind: str  # select | ask | graph
    variables: list[str]
    rows: list[tuple[Any, ...]]
    boolean: bool | None = None
    triples: list[tuple[Any, Any, Any]] | None = None
    truncated: bool = False


class Engine(Protocol):
    """What the facade needs from a store. Terms going in and coming out are rdflib terms."""

    name: str

    def query(self, sparql: str, *, prefixes: dict[str, str], substitutions: dict[str, Node] | None = None,
              union_default_graph: bool = True, limit: int | None = None) -> QueryData:
        """Run a read-only query; at most ``limit`` rows (``truncated`` says when more existed)."""
        ...

    def label_candidates(self, iri: str, predicates: Sequence[str]) -> list[tuple[str, str | None]]:
        """``(text, language)`` of the first predicate in ``predicates`` that has literal values on ``iri``."""
        ...

    def quads_for_pattern(self, s: Node | None, p: Node | None, o: Node | None,
                          g: Node | None = None) -> Iterator[RdfQuad]:
        """Quads matching a pattern (None = any)."""
        ...

    def __len__(self) -> int: ...


class OxigraphEngine:
    """Queries on a pyoxigraph ``Store`` (in memory or on disk)."""

    name = "oxigraph"

    def __init__(self, store: ox.Store, *, allow_service: Sequence[str] = (), origin: tuple[str, str] | None = None):
        self.store = store
        self.allow_service = tuple(allow_service)
        #: where the store came from, so other processes can open the same: ("file", prebuilt N-Quads dump)
        #: or ("disk", on-disk store directory); None when it was built from the YAML in this process
        self.origin = origin
        self._conv = TermConverter()
        self._rows = TsvRows(from_stored)  # SELECT rows through pyoxigraph's serializer; its own memo
        self._to_ox: dict[Node, OxTerm] = {}

    def _ox(self, term: Node) -> OxTerm:
        hit = self._to_ox.get(term)
        if hit is None:
            hit = to_ox(term)
            if len(self._to_ox) < 10_000:
                self._to_ox[term] = hit
        return hit

    def query(self, sparql: str, *, prefixes: dict[str, str], substitutions: dict[str, Node] | None = None,
              union_default_graph: bool = True, limit: int | None = None) -> QueryData:
        info = check_query(sparql, self.allow_service)  # updates, SERVICE, shapes the parser cannot survive
        subs = {ox.Variable(k): self._ox(v) for k, v in (substitutions or {}).items()}
        try:
            res = self.store.query(sparql, prefixes=prefixes, use_default_graph_as_union=union_default_graph,
                                   substitutions=subs or None)  # type: ignore[arg-type]
        except SyntaxError as exc:  # pyoxigraph puts the position in the message: "error at 2:16: …"
            where = re.search(r"\bat (\d+):(\d+)", str(exc))
            line, column = (int(where[1]), int(where[2])) if where else (exc.lineno, exc.offset)
            raise QueryError(f"SPARQL syntax error: {exc}", line=line, column=column) from exc
        except RuntimeError as exc:  # SEP-0007: a parameter must be a variable of the SELECT clause
            raise QueryError(f"cannot bind parameters: {exc}" if subs else f"SPARQL error: {exc}") from exc
        if isinstance(res, ox.QueryBoolean):
            return QueryData("ask", [], [], boolean=bool(res))
        conv = self._conv
        if isinstance(res, ox.QuerySolutions):
            variables = [v.value for v in res.variables]
            with paused_gc():  # a large result is tens of thousands of terms and tuples, all kept
                rows, truncated = self._rows.read(res, limit)
            return QueryData("select", variables, rows, truncated=truncated)
        triples = [(conv(t.subject), conv(t.predicate), conv(t.object))
                   for t in described(res, describe=info.form == "describe")]
        return QueryData("graph", [], [], triples=triples)

    def label_candidates(self, iri: str, predicates: Sequence[str]) -> list[tuple[str, str | None]]:
        node = ox.NamedNode(str(iri))
        for pred in predicates:
            cands = [(q.object.value, q.object.language)
                     for q in self.store.quads_for_pattern(node, ox.NamedNode(str(pred)), None)
                     if isinstance(q.object, ox.Literal)]
            if cands:
                return cands
        return []

    def quads_for_pattern(self, s: Node | None, p: Node | None, o: Node | None,
                          g: Node | None = None) -> Iterator[RdfQuad]:
        conv = self._conv
        args = [None if t is None else self._ox(t) for t in (s, p, o, g)]
        for q in self.store.quads_for_pattern(*args):  # type: ignore[arg-type]
            yield (conv(q.subject), conv(q.predicate), conv(q.object), conv(q.graph_name))  # type: ignore[misc]

    def __len__(self) -> int:
        return len(self.store)


class RdflibEngine:
    """Queries on rdflib's memory store: a ``Dataset`` whose default graph is the union of its graphs."""

    name = "memory"

    def __init__(self, quads: Iterable[RdfQuad], *, allow_service: Sequence[str] = ()):
        import rdflib.plugins.sparql
        from rdflib import Dataset

        # never fetch the IRI of a FROM / FROM NAMED clause (it could name a local file)
        rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
        _patch_rdflib_ordering()
        self.allow_service = tuple(allow_service)
        self.dataset = Dataset(default_union=True)
        contexts: dict[Node, Any] = {}

        def ctx(g: Node) -> Any:
            c = contexts.get(g)
            if c is None:
                c = contexts[g] = self.dataset.graph(g)  # type: ignore[arg-type]
            return c

        with _quiet():
            self.dataset.addN((s, p, o, ctx(g)) for s, p, o, g in quads)
        self._prepared: dict[tuple[str, tuple[tuple[str, str], ...]], Any] = {}

    def _prepare(self, sparql: str, prefixes: dict[str, str]) -> Any:
        from pyparsing import ParseException
        from rdflib.plugins.sparql import prepareQuery

        key = (sparql, tuple(sorted(prefixes.items())))
        hit = self._prepared.get(key)
        if hit is not None:
            return hit
        try:
            prepared = prepareQuery(sparql, initNs=prefixes)
        except ParseException as exc:
            raise QueryError(f"SPARQL syntax error: {exc.msg}", line=exc.lineno, column=exc.col) from exc
        except Exception as exc:  # rdflib raises plain exceptions for unknown prefixes and the like
            raise QueryError(f"SPARQL error: {exc}") from exc
        if _uses_service(prepared.algebra):  # second line of defence after the guard
            raise QueryRefused("SERVICE is not allowed (setting allow_service)")
        if len(self._prepared) > 256:
            self._prepared.clear()
        self._prepared[key] = prepared
        return prepared

    def query(self, sparql: str, *, prefixes: dict[str, str], substitutions: dict[str, Node] | None = None,
              union_default_graph: bool = True, limit: int | None = None) -> QueryData:
        from rdflib import Variable
        from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

        check_query(sparql, self.allow_service)  # updates, SERVICE, shapes the parser cannot survive
        prepared = self._prepare(sparql, prefixes)
        graph = self.dataset if union_default_graph else self.dataset.graph(DATASET_DEFAULT_GRAPH_ID)
        bindings: Any = {Variable(k): v for k, v in (substitutions or {}).items()}
        with _quiet():
            try:
                res = graph.query(prepared, initBindings=bindings)
                return self._collect(res, limit)
            except QueryError:
                raise
            except Exception as exc:  # evaluation errors (e.g. a failing cast) come as plain exceptions
                raise QueryError(f"SPARQL error: {exc}") from exc

    def _collect(self, res: Any, limit: int | None) -> QueryData:
        if res.type == "ASK":
            return QueryData("ask", [], [], boolean=bool(res.askAnswer))
        if res.type == "SELECT":
            variables = [str(v) for v in (res.vars or [])]
            rows: list[tuple[Any, ...]] = []
            truncated = False
            for row in res:
                if limit is not None and len(rows) == limit:
                    truncated = True
                    break
                rows.append(tuple(_unerror(t) for t in row))  # type: ignore[union-attr]
            return QueryData("select", variables, rows, truncated=truncated)
        assert res.graph is not None
        hidden = INDEX_ONLY if res.type == "DESCRIBE" else frozenset()  # as derived.described: rdflib's is a set
        return QueryData("graph", [], [], triples=[t for t in res.graph if str(t[1]) not in hidden])

    def label_candidates(self, iri: str, predicates: Sequence[str]) -> list[tuple[str, str | None]]:
        node = URIRef(str(iri))
        for pred in predicates:
            with _quiet():
                cands = [(str(o), o.language) for o in self.dataset.objects(node, URIRef(str(pred)))
                         if isinstance(o, Literal)]
            if cands:
                return cands
        return []

    def quads_for_pattern(self, s: Node | None, p: Node | None, o: Node | None,
                          g: Node | None = None) -> Iterator[RdfQuad]:
        with _quiet():
            found = list(self.dataset.quads((s, p, o, g)))  # type: ignore[arg-type]
        for qs, qp, qo, qg in found:
            yield (qs, qp, qo, getattr(qg, "identifier", qg))  # type: ignore[misc]

    def __len__(self) -> int:
        with _quiet():
            return sum(1 for _ in self.dataset.quads((None, None, None, None)))


@contextmanager
def _quiet() -> Iterator[None]:
    """rdflib 7.6 warns about its own use of ``Dataset.default_context`` on every quad: hide that noise."""
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"rdflib\.")
        yield


def _unerror(term: Any) -> Any:
    """rdflib returns an aggregate over errors (``MIN(COALESCE(?unbound))``) as a Literal wrapping the
    error; SPARQL says the result is unbound."""
    if isinstance(term, Literal) and isinstance(term.value, Exception):
        return None
    return term


def _patch_rdflib_ordering() -> None:
    """Make rdflib's ordering key total: unbound values and errors sort first, as SPARQL 1.1 §15.1 says.

    rdflib's ``_val`` (used by ORDER BY and by MIN/MAX) returns an error or ``None`` unwrapped, so
    ``ORDER BY STR(?unbound)`` or ``MIN(COALESCE(…))`` over an error raise ``TypeError: '<' not supported``
    (seen with ``queries/low-confidence.rq`` and ``editions-overview.rq``). No released rdflib fixes this,
    hence this small wrapper; it changes nothing for the keys rdflib already handles.
    """
    from rdflib.plugins.sparql import aggregates, evaluate

    for module in (evaluate, aggregates):
        original = module._val  # type: ignore[attr-defined]
        if getattr(original, "_culturegraph", False):
            continue

        def _val(v: Any, _original: Any = original) -> Any:
            return _original(v) if isinstance(v, Node) else (-1, 0)

        _val._culturegraph = True  # type: ignore[attr-defined]
        module._val = _val  # type: ignore[attr-defined]


def _uses_service(algebra: Any) -> bool:
    """Whether an rdflib query algebra contains a SERVICE pattern."""
    stack = [algebra]
    while stack:
        node = stack.pop()
        if getattr(node, "name", None) == "ServiceGraphPattern":
            return True
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list | tuple):
            stack.extend(node)
    return False
