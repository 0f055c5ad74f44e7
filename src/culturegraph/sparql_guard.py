"""Look at a SPARQL request before it runs: its form, its dataset clauses, its size, and anything a
read-only, closed service must refuse (updates, ``LOAD``, ``SERVICE`` to endpoints not allowed).

pyoxigraph exposes no parsed algebra to Python and no switch to turn ``SERVICE`` off, and rdflib's parser
reads some syntax differently from Oxigraph, so this is a small tokenizer written after the SPARQL 1.1
grammar's terminals. It is not the boundary that keeps ``SERVICE`` off the network — the endpoint's query
workers have no network at all (:mod:`culturegraph.sandbox`) — but it gives the readable 403, and it is
the only check for queries run in-process (``culturegraph query``, ``CultureGraph.query``).

A guard that reads a query differently from the engine is a hole, so the text is read twice and refused
when *either* reading finds ``SERVICE``:

1. as Oxigraph reads it: ``\\uXXXX`` escapes are decoded inside strings and IRIs only (``"a\\u0022"`` is
   one string holding a quote);
2. as SPARQL 1.1 §19.2 describes it: every escape decoded first (``SERV\\u0049CE`` is the keyword).

Where the two tokenizers could still disagree with the engine, the guard errs towards code: a string with
an escape the grammar does not know is not a string, and a bare word only counts as harmless when it cannot
be a keyword. Oxigraph's keywords need no boundary (``trueSERVICE`` and ``SERVICE:x`` are read as
``SERVICE``), so a bare run of name characters holding "service" is refused, as is a prefixed name whose
prefix holds it (``PREFIX service: <…>`` may be declared, but ``service:x`` is refused).

The tokenizer runs in linear time (possessive quantifiers; no alternative can fail after a long scan),
and the query's shape is bounded: Oxigraph parses and plans recursively and overflows its stack on deep
nesting or long operator chains (``benchmarks/README.md``: 850 nested ``FILTER EXISTS``, 2,600 ``BIND``
on an 8 MB stack), so more than :data:`MAX_DEPTH` levels of brackets or :data:`MAX_OPERATORS` operators are
refused with a message that says so.

>>> inspect_query("PREFIX ex: <http://e/> SELECT * { ?s ex:service 'SERVICE' } # SERVICE").form
'select'
>>> inspect_query("select * { service <http://e/sparql> { ?s ?p ?o } }", ("http://e/sparql",)).service
['http://e/sparql']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from .errors import QueryError, QueryRefused

#: most levels of ``{ ( [`` a query may nest (Oxigraph overflows an 8 MB stack at ~850 FILTER EXISTS)
MAX_DEPTH = 100
#: most operators (``. ; , / | + - * ! && || =``…, ``UNION``, ``OPTIONAL``, ``BIND``, ``AS``…) in one query
MAX_OPERATORS = 1000

_ECHAR = r"""\\[tbnrf"'\\]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"""
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_PLX = r"\\[_~.\-!$&'()*+,;=/?#@%]"
_TOKEN = re.compile(
    rf"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*+)
  | (?P<string>'''(?:[^'\\]|{_ECHAR}|'(?!''))*+'''
             |\"\"\"(?:[^"\\]|{_ECHAR}|"(?!""))*+\"\"\"
             |'(?:[^'\\\n\r]|{_ECHAR})*+'
             |"(?:[^"\\\n\r]|{_ECHAR})*+")
  | (?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|{_UCHAR})*+>)
  | (?P<var>[?$]\w++)
  | (?P<langtag>@[A-Za-z]++(?:-[A-Za-z0-9]++)*+)
  | (?P<name>(?:[\w:%\u00B7]|{_PLX})(?:[\w\-.:%\u00B7]|{_PLX})*+)
  | (?P<op>&&|\|\||!=|<=|>=|\^\^|.)
    """,
    re.VERBOSE | re.DOTALL,
)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
QUERY_FORMS = ("select", "ask", "construct", "describe")
UPDATE_KEYWORDS = frozenset({"insert", "delete", "load", "clear", "create", "drop", "copy", "move", "add", "with"})
_OPEN, _CLOSE = frozenset("{(["), frozenset("})]")
_OPERATORS = frozenset({".", ";", "/", "|", "^", "+", "-", "*", "!", "&&", "||", "=", "!=", "<", ">", "<=", ">="})
_OPERATOR_WORDS = frozenset({"union", "optional", "minus", "bind", "filter", "graph", "service", "exists", "as"})


@dataclass
class QueryInfo:
    """What the guard saw. ``form`` is ``select``/``ask``/``construct``/``describe`` or None when the text
    does not start like a query (the parser then reports the syntax error)."""

    form: str | None
    has_from: bool = False
    service: list[str] = field(default_factory=list)


class Token(NamedTuple):
    """One token: ``kind`` is ``string``, ``iri``, ``var``, ``langtag``, ``name`` (keywords, prefixed names,
    numbers) or ``op``; ``start`` its offset; ``depth`` the braces ``{`` open before it."""

    kind: str
    text: str
    start: int
    depth: int


def tokenize(text: str) -> list[Token]:
    """Every token of ``text`` but white space and comments, in order: the one reading of a query's text that
    the guard, the named-query header checks and parameter binding (:mod:`culturegraph.queries`) share.

    >>> [(t.kind, t.text, t.depth) for t in tokenize("SELECT * { ?s ex:p 'x' } # c")]
    [('name', 'SELECT', 0), ('op', '*', 0), ('op', '{', 0), ('var', '?s', 1), ('name', 'ex:p', 1), \
('string', "'x'", 1), ('op', '}', 0)]
    """
    out: list[Token] = []
    depth = 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "op"
        if kind == "ws" or kind == "comment":
            continue
        tok = m.group()
        if tok == "}":
            depth = max(depth - 1, 0)
        out.append(Token(kind, tok, m.start(), depth))
        if tok == "{":
            depth += 1
    return out


def decode_escapes(text: str) -> str:
    """``text`` with every ``\\uXXXX`` / ``\\UXXXXXXXX`` decoded (SPARQL 1.1 §19.2); a code point Python
    cannot hold stays as written."""

    def one(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF else m.group()

    return _CODEPOINT.sub(one, text)


def inspect_query(text: str, allow_service: tuple[str, ...] = ()) -> QueryInfo:
    """Classify ``text`` and refuse what a read-only closed endpoint must not run.

    :raises QueryRefused: (403) an update (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR`` …) or a ``SERVICE``
        whose endpoint is not an ``<IRI>`` listed in ``allow_service``, in either reading of the text.
    :raises QueryError: (400) brackets nested more than :data:`MAX_DEPTH` levels, or more than
        :data:`MAX_OPERATORS` operators.
    """
    info = _Reading(text, allow_service, "").run(shape=True)
    if "\\u" in text or "\\U" in text:
        decoded = decode_escapes(text)
        if decoded != text:
            _Reading(decoded, allow_service, " (in the query read with its \\u escapes decoded)").run(shape=False)
    return info


@lru_cache(maxsize=1024)
def cached_verdict(text: str, allow_service: tuple[str, ...] = ()) -> QueryInfo | QueryError:
    """:func:`inspect_query`'s answer for ``text``, or the error it raises, remembered for recent texts
    (a named query's text is the same every time). Treat the returned info as read-only."""
    try:
        return inspect_query(text, allow_service)
    except QueryError as exc:
        return exc


def check_query(text: str, allow_service: tuple[str, ...] = ()) -> QueryInfo:
    """:func:`cached_verdict`, raising the error it holds."""
    verdict = cached_verdict(text, tuple(allow_service))
    if isinstance(verdict, QueryError):
        raise verdict
    return verdict


class _Reading:
    """One reading of a query text, checked in one streaming pass over its tokens."""

    def __init__(self, text: str, allow: tuple[str, ...], note: str):
        self.text = text
        self.allow = allow
        self.note = note

    def where(self, pos: int) -> dict[str, int]:
        line = self.text.count("\n", 0, pos) + 1
        return {"line": line, "column": pos - (self.text.rfind("\n", 0, pos) + 1) + 1}

    def refuse(self, message: str, pos: int) -> QueryRefused:
        return QueryRefused(message + self.note, **self.where(pos))

    def run(self, *, shape: bool) -> QueryInfo:
        info = QueryInfo(None)
        stack: list[str] = []
        operators = 0
        expect: list[str] = []  # token kinds the prologue still holds (BASE <iri>, PREFIX p: <iri>, VERSION "")
        prologue = True
        service_at = -1  # position of a SERVICE keyword whose endpoint comes next
        service_silent = False
        for m in _TOKEN.finditer(self.text):
            kind = m.lastgroup
            if kind == "ws" or kind == "comment":
                continue
            value = m.group()
            pos = m.start()
            low = value.lower() if kind == "name" else ""
            if service_at >= 0:  # the token after SERVICE [SILENT]
                if low == "silent" and not service_silent:
                    service_silent = True
                    continue
                self._service_target(service_at, value if kind == "iri" else None, info)
                service_at, service_silent = -1, False
            if prologue:
                if expect and kind == expect[0] and (kind != "name" or value.endswith(":")):
                    expect.pop(0)  # the name a PREFIX declares (``service:`` too) or an IRI: no keyword
                    continue
                expect = []
                if low in ("base", "version", "prefix"):
                    expect = {"base": ["iri"], "version": ["string"], "prefix": ["name", "iri"]}[low]
                    continue
                prologue = False
                if low in UPDATE_KEYWORDS:
                    raise self.refuse("SPARQL updates are not accepted: this endpoint is read-only "
                                      f"({low.upper()} refused)", pos)
                if low in QUERY_FORMS:
                    info.form = low
            if kind == "op":
                if value in _OPEN:
                    stack.append(value)
                    if shape and len(stack) > MAX_DEPTH:
                        raise QueryError(f"the query is nested more than {MAX_DEPTH} levels deep "
                                         "(brackets { ( [ inside each other)", **self.where(pos))
                elif value in _CLOSE:
                    if stack:
                        stack.pop()
                elif value in _OPERATORS or (value == "," and (not stack or stack[-1] != "(")):
                    operators += 1
            elif kind == "name":
                if low.endswith(".") or low in _OPERATOR_WORDS:
                    operators += 1
                if low == "from":
                    info.has_from = True
                elif low == "load":
                    raise self.refuse("LOAD is not accepted: this endpoint is read-only and fetches nothing", pos)
                elif "service" in low:
                    if low == "service":
                        service_at = pos
                    else:
                        self._service_name(value, pos)
            if shape and operators > MAX_OPERATORS:
                raise QueryError(f"the query has more than {MAX_OPERATORS} operators (. ; , | / + - * ! && || "
                                 "UNION OPTIONAL BIND …); split it into smaller queries", **self.where(pos))
        if service_at >= 0:
            self._service_target(service_at, None, info)
        return info

    def _service_name(self, value: str, pos: int) -> None:
        """A run of name characters holding "service" that is not the bare keyword: harmless only as a
        prefixed name whose prefix does not hold it (Oxigraph reads ``SERVICE:x`` and ``trueSERVICE`` as
        the keyword)."""
        prefix, colon, _ = value.lower().partition(":")
        if colon and "service" not in prefix:
            return
        if not self.allow:
            raise self.refuse(f"{value!r} reads as the SERVICE keyword, and SERVICE is not allowed "
                              "(federated queries are off)", pos)
        raise self.refuse(f"{value!r} reads as the SERVICE keyword; write SERVICE <IRI> with one of the "
                          f"allowed endpoints: {', '.join(self.allow)}", pos)

    def _service_target(self, pos: int, iri: str | None, info: QueryInfo) -> None:
        """The keyword SERVICE at ``pos`` followed by ``iri`` (None: not an IRI)."""
        if iri is not None and iri[1:-1] in self.allow:
            info.service.append(iri[1:-1])
            return
        if not self.allow:
            raise self.refuse("SERVICE is not allowed (federated queries are off; the "
                              "allow_service setting lists endpoints that may be called)", pos)
        raise self.refuse("SERVICE to that endpoint is not allowed; allowed endpoints (written as full "
                          f"<IRI>s): {', '.join(self.allow)}", pos)
