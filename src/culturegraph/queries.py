"""The registry of named SPARQL queries in ``queries/*.rq``: header parsing, typed parameters, running.

Each file starts with a header of comment lines (see ``queries/README.md``)::

    # title: Host cities in chronological order
    # description: Every forum event with its date, host city and country, oldest first.
    # view: table
    # param: lang lang en -- label language (fallback: requested, en, any)
    # cq: yes

followed by the SPARQL text. Parameters are bound as typed RDF terms, never pasted into the text:
locally through pyoxigraph ``substitutions`` (SEP-0007 semantics, so a parameter must appear in the
SELECT clause; its constant column is dropped from the result), remotely by a ``VALUES`` block
written from escaped RDF terms at the start of the outermost ``WHERE`` group.

>>> q = parse_query("# title: T\\n# param: year integer 2025\\nSELECT ?year ?e WHERE { ?e ?p ?year }")
>>> [(p.name, p.type, p.default) for p in q.params]
[('year', 'integer', '2025')]
>>> q.bind({"year": "2024"})["year"]
<Literal value=2024 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>
"""

from __future__ import annotations

import difflib
import re
import shlex
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import NotFound, QueryError, QueryTimeout
from .sparql_guard import Token, tokenize

if TYPE_CHECKING:
    import pyoxigraph as ox

    from .api import CultureGraph, QueryResult

PARAM_TYPES = ("iri", "string", "integer", "date", "lang")
VIEWS = ("table", "graph", "timeline", "map")
HEADER_KEYS = ("title", "description", "view", "param", "cq", "bind")
BIND_MODES = ("values", "substitute")
XSD = "http://www.w3.org/2001/XMLSchema#"

_KEY_LINE = re.compile(r"^#\s?([A-Za-z][\w-]*)\s*:\s?(.*?)\s*$")
_CONTINUATION = re.compile(r"^#\s{2,}(\S.*?)\s*$")
_SEPARATOR = re.compile(r"^#[\s#=-]*$")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):(.*)$")
_BARE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_OPAQUE_SCHEMES = ("urn", "tag", "mailto", "did", "doi", "isbn")  # absolute IRIs without //

Resolver = Callable[[str], str]  # a record id → its IRI (raises KeyError when unknown)


def _error(file: str, line: int | None, message: str) -> QueryError:
    """A QueryError whose message starts with ``file:line:`` (the convention of :class:`Problem`)."""
    err = QueryError(f"{file}:{line}: {message}" if line else f"{file}: {message}")
    err.line = line
    return err


# ---------------------------------------------------------------------------------------------- parameters
@dataclass(frozen=True)
class Param:
    """One declared parameter: ``# param: name type [default] [-- help]``."""

    name: str
    type: str
    default: str | None = None
    help: str = ""

    def parse(self, raw: Any, resolve: Resolver | None = None) -> ox.NamedNode | ox.Literal:
        """``raw`` (text, or an int / date / IRI object) as an RDF term of this parameter's type.

        :raises QueryError: when the value does not parse as the type.
        """
        import pyoxigraph as ox

        if isinstance(raw, bool) or raw is None:
            raise QueryError(f"parameter {self.name!r}: {raw!r} is not a valid {self.type}")
        text = raw.isoformat() if isinstance(raw, date) else str(raw).strip()
        bad = QueryError(f"parameter {self.name!r}: {text!r} is not a valid {self.type}"
                         + _TYPE_HINTS[self.type])
        if self.type == "string":
            return ox.Literal(str(raw))
        if self.type == "integer":
            if not _INTEGER.match(text):
                raise bad
            return ox.Literal(str(int(text)), datatype=ox.NamedNode(XSD + "integer"))
        if self.type == "date":
            try:
                if not _DATE.match(text):
                    raise ValueError(text)
                date.fromisoformat(text)
            except ValueError:
                raise bad from None
            return ox.Literal(text, datatype=ox.NamedNode(XSD + "date"))
        if self.type == "lang":
            if not _LANG.match(text):
                raise bad
            return ox.Literal(text.lower())
        return ox.NamedNode(_parse_iri(text, bad, resolve))


_TYPE_HINTS = {
    "iri": " (give <https://…>, a prefixed name like edition:forum-2025, or a record id)",
    "string": "",
    "integer": " (a whole number like 2025)",
    "date": " (YYYY-MM-DD)",
    "lang": " (a language code like en, ko, id)",
}


def _parse_iri(text: str, bad: QueryError, resolve: Resolver | None) -> str:
    import pyoxigraph as ox

    from .namespaces import all_prefixes

    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    m = _SCHEME.match(text)
    if m is None:
        if resolve is None or not _BARE_ID.match(text):
            raise bad
        try:
            text = str(resolve(text))
        except KeyError:
            raise QueryError(f"{bad} — no record has the id {text!r}") from None
    elif not m.group(2).startswith("//") and m.group(1).lower() not in _OPAQUE_SCHEMES:
        prefixes = all_prefixes()
        if m.group(1) not in prefixes:  # a misspelt prefix would silently match nothing
            raise QueryError(f"{bad} — unknown prefix {m.group(1)!r} (known: {', '.join(sorted(prefixes))})")
        text = prefixes[m.group(1)] + m.group(2)
    try:
        return ox.NamedNode(text).value  # pyoxigraph validates the IRI (no spaces, <, >, " …)
    except ValueError:
        raise bad from None


def _parse_param(spec: str, file: str, line: int) -> Param:
    left, sep, help_ = spec.partition(" --")
    if not sep and spec.startswith("--"):
        left, help_ = "", spec[2:]
    try:
        parts = shlex.split(left)
    except ValueError as exc:
        raise _error(file, line, f"param: {exc}") from None
    if len(parts) not in (2, 3):
        raise _error(file, line, "param: expected 'name type [default] [-- help]'")
    name, type_ = parts[0], parts[1]
    if not _NAME.match(name):
        raise _error(file, line, f"param: {name!r} is not a SPARQL variable name")
    if type_ not in PARAM_TYPES:
        raise _error(file, line, f"param {name!r}: unknown type {type_!r} (one of {', '.join(PARAM_TYPES)})")
    param = Param(name, type_, parts[2] if len(parts) == 3 else None, help_.strip())
    if param.default is not None:
        try:
            param.parse(param.default)
        except QueryError as exc:
            raise _error(file, line, f"default: {exc}") from None
    return param


# ---------------------------------------------------------------------------------------------- queries
@dataclass(frozen=True)
class NamedQuery:
    """A query with its metadata; ``name`` is the file stem."""

    name: str
    title: str
    description: str
    sparql: str
    view: str = "table"
    params: tuple[Param, ...] = ()
    cq: bool = False
    file: str = ""
    bind_mode: str = "values"
    form: str = "SELECT"

    def param(self, name: str) -> Param | None:
        """The declared parameter called ``name`` (or None)."""
        return next((p for p in self.params if p.name == name), None)

    def meta(self) -> dict[str, Any]:
        """Metadata as plain JSON-ready values."""
        return {"name": self.name, "title": self.title, "description": self.description, "view": self.view,
                "cq": self.cq, "params": [{"name": p.name, "type": p.type, "default": p.default,
                                           "help": p.help} for p in self.params]}

    def bind(self, values: Mapping[str, Any] | None = None, *, lang: str | None = None,
             resolve: Resolver | None = None) -> dict[str, ox.NamedNode | ox.Literal]:
        """Typed terms for every parameter: given ``values``, then ``lang`` for a ``lang`` parameter,
        then the declared defaults.

        :raises QueryError: unknown parameter name, missing required value, value not of the type.
        """
        values = dict(values or {})
        declared = {p.name for p in self.params}
        for name in values:
            if name not in declared:
                hint = ", ".join(sorted(declared)) or "none"
                raise QueryError(f"unknown parameter {name!r} for query {self.name!r} (parameters: {hint})")
        lang_param = self.param("lang")
        if lang is not None and lang_param is not None and lang_param.type == "lang":
            values.setdefault("lang", lang)
        out: dict[str, ox.NamedNode | ox.Literal] = {}
        for p in self.params:
            raw = values.get(p.name, p.default)
            if raw is None:
                raise QueryError(f"query {self.name!r} needs a value for parameter {p.name!r} ({p.type})")
            out[p.name] = p.parse(raw, resolve)
        return out


def parse_query(text: str, *, name: str = "query", file: str = "<query>", require_title: bool = False
                ) -> NamedQuery:
    """Parse a query file's header and check it against its SPARQL text.

    :raises QueryError: naming ``file`` and line for an unknown key, a bad parameter type or default, a
        parameter the query does not use (or, bound by substitution, does not SELECT), a missing title.
    """
    meta: dict[str, str] = {}
    declared: list[tuple[Param, int]] = []  # with its header line; checked once the bind mode is known
    last: str | None = None
    lines = text.splitlines()
    for lineno, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line:
            continue
        if not line.startswith("#"):
            break
        key_m, cont_m = _KEY_LINE.match(line), _CONTINUATION.match(line)
        if cont_m and last in ("title", "description"):
            meta[last] += " " + cont_m.group(1)
            continue
        if _SEPARATOR.match(line):
            continue
        if key_m is None:
            raise _error(file, lineno, "header lines look like '# key: value' "
                         f"(keys: {', '.join(HEADER_KEYS)})")
        key, value = key_m.group(1).lower(), key_m.group(2)
        if key not in HEADER_KEYS:
            close = difflib.get_close_matches(key, HEADER_KEYS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f" (keys: {', '.join(HEADER_KEYS)})"
            raise _error(file, lineno, f"unknown header key {key!r}{hint}")
        last = key
        if key == "param":
            p = _parse_param(value, file, lineno)
            if any(q.name == p.name for q, _ in declared):
                raise _error(file, lineno, f"parameter {p.name!r} declared twice")
            declared.append((p, lineno))
            continue
        if key in meta:
            raise _error(file, lineno, f"header key {key!r} given twice")
        if key == "view" and value not in VIEWS:
            raise _error(file, lineno, f"view {value!r}: one of {', '.join(VIEWS)}")
        if key == "cq" and value.lower() not in ("yes", "no", "true", "false"):
            raise _error(file, lineno, f"cq {value!r}: yes or no")
        if key == "bind" and value not in BIND_MODES:
            raise _error(file, lineno, f"bind {value!r}: one of {', '.join(BIND_MODES)}")
        meta[key] = value
    tokens = tokenize(text)
    substitute = meta.get("bind", "values") == "substitute"
    for p, lineno in declared:
        _check_used(tokens, p, file, lineno, substitute=substitute)
    params = [p for p, _ in declared]
    if require_title and not meta.get("title"):
        raise _error(file, 1, "the header needs '# title: …' and '# description: …'")
    form = next((t.text.upper() for t in tokens if t.kind == "name" and t.depth == 0
                 and t.text.upper() in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")), "")
    if not form:
        raise _error(file, None, "no SELECT, ASK, CONSTRUCT or DESCRIBE query after the header")
    return NamedQuery(name=name, title=meta.get("title", name), description=meta.get("description", ""),
                      sparql=text, view=meta.get("view", "table"), params=tuple(params),
                      cq=meta.get("cq", "no").lower() in ("yes", "true"), file=file, form=form,
                      bind_mode=meta.get("bind", "values"))


def _check_used(tokens: list[Token], p: Param, file: str, line: int, *, substitute: bool) -> None:
    """A parameter must occur as ``?name`` in the query and, if it is bound by SEP-0007 substitution
    (``# bind: substitute``), in the SELECT clause: substitution replaces projected variables only. A
    ``VALUES`` block (the default) needs no projection, so the engine computes no constant column."""
    if not any(t.kind == "var" and t.text[1:] == p.name for t in tokens):
        raise _error(file, line, f"parameter {p.name!r} is declared but ?{p.name} is not in the query")
    if substitute and _unprojected(tokens, [p.name]):
        raise _error(file, line, f"parameter {p.name!r}: put ?{p.name} in the SELECT clause (with "
                     "'# bind: substitute' values are substituted SEP-0007 style, which needs the variable "
                     "projected; its column is dropped from results)")


def _unprojected(tokens: list[Token], names: Any) -> list[str]:
    """The ``names`` a SELECT clause does not project (none for ``SELECT *`` or other query forms)."""
    projection = select_clause(tokens)
    if projection is None or any(t.text == "*" for t in projection):
        return []
    return sorted(set(names) - {t.text[1:] for t in projection if t.kind == "var"})


def load_queries(directory: str | Path, *, root: str | Path | None = None) -> dict[str, NamedQuery]:
    """Every ``*.rq`` in ``directory`` by name (sorted); headers must carry a title.

    :raises QueryError: the first malformed file, with file and line.
    """
    d = Path(directory)
    out: dict[str, NamedQuery] = {}
    if not d.is_dir():
        return out
    for path in sorted(d.glob("*.rq")):
        shown = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
        out[path.stem] = parse_query(path.read_text(encoding="utf-8"), name=path.stem, file=shown,
                                     require_title=True)
    return out


def find(registry: Mapping[str, NamedQuery], name: str) -> NamedQuery:
    """``registry[name]``, or :class:`NotFound` with a suggestion."""
    try:
        return registry[name]
    except KeyError:
        close = difflib.get_close_matches(name, list(registry), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else " (`culturegraph queries` lists them)"
        raise NotFound(f"no named query {name!r}{hint}") from None


# ---------------------------------------------------------------------------------------------- running
def run_local(cg: CultureGraph, query: NamedQuery, values: Mapping[str, Any] | None = None, *,
              lang: str | None = None, limit: int | None = None) -> QueryResult:
    """Run ``query`` on the facade's store.

    Parameters become a ``VALUES`` block of escaped RDF terms opening the WHERE group (as for remote
    endpoints): Oxigraph plans with it, while SEP-0007 substitutions are applied after planning — at a
    million triples an anchored query fell from 8.4 s to 5 ms (``benchmarks/README.md``). A query whose
    header says ``# bind: substitute`` keeps substitution.
    """
    bindings = query.bind(values, lang=lang, resolve=lambda rid: str(cg.iri(rid)))
    text, substitutions = bound(query, bindings)
    return drop_columns(cg.query(text, params=substitutions, limit=limit), bindings)


def bound(query: NamedQuery, bindings: Mapping[str, ox.NamedNode | ox.Literal]
          ) -> tuple[str, dict[str, ox.NamedNode | ox.Literal]]:
    """The text to run and the SEP-0007 substitutions to apply, for every local runner (the CLI and
    library through :func:`run_local`, the HTTP route ``/queries/{name}``, the benchmarks): a ``VALUES``
    block opening the WHERE group, which Oxigraph plans with, or — for ``# bind: substitute`` — the text
    as it is and the values to substitute after planning.

    :raises QueryError: an ASK with parameters, a parameter the query does not use, or (substitution)
        does not SELECT.
    """
    substitute = query.bind_mode == "substitute"
    _check_bindable(query, bindings, substitute=substitute)
    if substitute or not bindings:
        return query.sparql, dict(bindings)
    return inject_values(query.sparql, bindings), {}


def run_remote(endpoint: str, query: NamedQuery, values: Mapping[str, Any] | None = None, *,
               lang: str | None = None, limit: int | None = None, timeout: float = 10.0,
               base_iri: str | None = None) -> QueryResult:
    """Run ``query`` on any SPARQL 1.1 endpoint through SPARQLWrapper.

    The project PREFIX lines are put in front; parameters are written into the text as escaped RDF terms
    (:func:`culturegraph.portable.substitute_terms`: the form every store evaluates the same way).
    """
    from .namespaces import DEFAULT_BASE_IRI, sparql_prologue
    from .portable import substitute_terms

    bindings = query.bind(values, lang=lang)
    _check_bindable(query, bindings, substitute=False)
    # the PREFIX lines go on the query's first line, so error positions keep their line numbers
    prologue = sparql_prologue(base_iri or DEFAULT_BASE_IRI).replace("\n", " ")
    text = prologue + substitute_terms(query.sparql, bindings)
    res = _fetch(endpoint, text, query.form, limit=limit if limit is not None else 10_000, timeout=timeout)
    return drop_columns(res, bindings)


def _fetch(endpoint: str, text: str, form: str, *, limit: int, timeout: float) -> QueryResult:
    """POST ``text`` to ``endpoint`` with SPARQLWrapper; the answer as a :class:`QueryResult`."""
    from urllib.error import URLError

    from rdflib import Graph
    from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    from .api import QueryResult

    sw = SPARQLWrapper(endpoint)
    sw.setQuery(text)
    sw.queryType = form  # SPARQLWrapper's own guess reads words in comments ("moves" → MOVE, an update)
    sw.setMethod(POST)
    sw.setTimeout(max(1, round(timeout)))
    sw.setReturnFormat(JSON if form in ("SELECT", "ASK") else TURTLE)
    try:
        raw = sw.query().convert()
    except SPARQLWrapperException as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise QueryError(f"endpoint {endpoint} refused the query: {first[:300]}") from None
    except TimeoutError:
        raise QueryTimeout(f"endpoint {endpoint} did not answer within {timeout:g} s") from None
    except URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise QueryTimeout(f"endpoint {endpoint} did not answer within {timeout:g} s") from None
        raise QueryError(f"cannot reach endpoint {endpoint}: {exc.reason}") from None
    except ValueError as exc:  # malformed URL, undecodable answer
        raise QueryError(f"endpoint {endpoint}: {exc}") from None
    if form not in ("SELECT", "ASK"):
        g = Graph()
        g.parse(data=raw if isinstance(raw, bytes | str) else str(raw), format="turtle")
        return QueryResult("graph", [], [], triples=sorted(g, key=lambda t: tuple(x.n3() for x in t)))
    if not isinstance(raw, dict):
        raise QueryError(f"endpoint {endpoint} did not answer with SPARQL JSON results")
    if "boolean" in raw:
        return QueryResult("ask", [], [], boolean=bool(raw["boolean"]))
    variables = list(raw.get("head", {}).get("vars", []))
    bindings = raw.get("results", {}).get("bindings", [])
    rows = [tuple(_json_term(b.get(v)) for v in variables) for b in bindings[:limit]]
    return QueryResult("select", variables, rows, truncated=len(bindings) > limit)


def _json_term(d: Mapping[str, str] | None) -> Any:
    """A SPARQL JSON term as the rdflib term the local store would give (plain strings untyped).

    Hand-written: rdflib's ``parseJsonTerm`` fails on SPARQL 1.2 answers that give both ``xml:lang``
    and ``datatype`` and keeps ``xsd:string``, which the local path drops.
    """
    from rdflib import BNode, Literal, URIRef

    if d is None:
        return None
    kind, value = d.get("type"), d.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if d.get("xml:lang"):
        return Literal(value, lang=d["xml:lang"])
    dt = d.get("datatype")
    return Literal(value, datatype=URIRef(dt)) if dt and dt != XSD + "string" else Literal(value)


def _check_bindable(query: NamedQuery, bindings: Mapping[str, Any], *, substitute: bool) -> None:
    """Say before the engine runs that the query is an ASK (no parameters), that a parameter is not a
    variable of the query (a misspelt ``-p`` would otherwise bind nothing, silently), or that a parameter
    bound by substitution is not in the SELECT clause."""
    if not bindings:
        return
    if query.form == "ASK":
        raise QueryError(f"{query.file}: cannot bind parameters in an ASK query; use SELECT")
    tokens = tokenize(query.sparql)
    used = {t.text[1:] for t in tokens if t.kind == "var"}
    absent = sorted(set(bindings) - used)
    if absent:
        raise QueryError(f"{query.file}: cannot bind parameters: "
                         + ", ".join("?" + m for m in absent) + " not in the query")
    missing = _unprojected(tokens, bindings) if substitute else []
    if missing:
        raise QueryError(f"{query.file}: cannot bind parameters: put "
                         + ", ".join("?" + m for m in missing) + " in the SELECT clause")


def drop_columns(res: QueryResult, names: Mapping[str, Any]) -> QueryResult:
    """The result without the (constant) columns of bound parameters."""
    from dataclasses import replace

    keep = [i for i, v in enumerate(res.variables) if v not in names]
    if len(keep) == len(res.variables):
        return res
    return replace(res, variables=[res.variables[i] for i in keep],
                   rows=[tuple(row[i] for i in keep) for row in res.rows])


# ---------------------------------------------------------------------------------------------- SPARQL text
def select_clause(tokens: list[Token]) -> list[Token] | None:
    """The tokens between the outermost SELECT and its WHERE group (None when not a SELECT query)."""
    start = next((i for i, t in enumerate(tokens) if t.depth == 0 and t.kind == "name"
                  and t.text.upper() in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")), None)
    if start is None or tokens[start].text.upper() != "SELECT":
        return None
    out = []
    for t in tokens[start + 1:]:
        if t.text == "{" or (t.kind == "name" and t.text.upper() in ("WHERE", "FROM")):
            break
        out.append(t)
    return out


def where_brace(text: str) -> int:
    """Offset of the ``{`` that opens the outermost WHERE group.

    :raises QueryError: when there is none.
    """
    tokens = tokenize(text)
    form_seen = False
    after_where = False
    for t in tokens:
        if t.depth != 0:
            continue
        word = t.text.upper() if t.kind == "name" else ""
        if word in ("SELECT", "ASK", "DESCRIBE", "CONSTRUCT"):
            form_seen = True
            after_where = word != "CONSTRUCT"
        elif word == "WHERE" and form_seen:
            after_where = True
        elif t.text == "{" and after_where:
            return t.start
    raise QueryError("cannot find the query's WHERE group to bind parameters into")


def sparql_term(term: ox.NamedNode | ox.Literal) -> str:
    """An RDF term in SPARQL syntax, escaped by rdflib (the same writer its SPARQLStore uses)."""
    from .store import from_ox

    node = from_ox(term)
    assert node is not None
    return node.n3()


def inject_values(text: str, bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """``text`` with ``VALUES (?a ?b) { (t1 t2) }`` opening its outermost WHERE group (same line, so
    error positions stay right). Equivalent to substitution for parameters used in that group, in its
    OPTIONALs and in nested patterns (see ``queries/README.md``).

    >>> import pyoxigraph as ox
    >>> inject_values('SELECT ?q WHERE { ?s ?p ?q }', {"q": ox.Literal('x" } DROP ALL #')})
    'SELECT ?q WHERE { VALUES (?q) { ("x\\\\" } DROP ALL #") } ?s ?p ?q }'
    """
    if not bindings:
        return text
    names = sorted(bindings)
    block = (" VALUES (" + " ".join("?" + n for n in names) + ") { ("
             + " ".join(sparql_term(bindings[n]) for n in names) + ") }")
    at = where_brace(text) + 1
    return text[:at] + block + text[at:]


__all__ = ["NamedQuery", "Param", "QueryTimeout", "find", "inject_values", "load_queries", "parse_query",
           "run_local", "run_remote", "tokenize"]
