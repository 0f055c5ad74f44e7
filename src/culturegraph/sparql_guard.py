"""Look at a SPARQL request before it runs: its form, its dataset clauses, and anything a read-only,
closed service must refuse (updates, ``LOAD``, ``SERVICE`` to endpoints not allowed).

pyoxigraph exposes no parsed algebra to Python, and rdflib's parser costs milliseconds per query and
disagrees with Oxigraph on some syntax, so this is a small tokenizer written after the SPARQL 1.1
grammar's terminals (strings in all four quote styles, IRIs, comments, variables, prefixed names). It only
has to find keywords, and a keyword inside a comment, a string, an IRI or a prefixed name is not a
keyword: ``# SERVICE`` and ``"SERVICE"`` pass, ``service <http://x> {}`` is refused.

>>> inspect_query("PREFIX ex: <http://e/> SELECT * { ?s ex:service 'SERVICE' } # SERVICE").form
'select'
>>> inspect_query("select * { service <http://e/sparql> { ?s ?p ?o } }", ("http://e/sparql",)).service
['http://e/sparql']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import QueryRefused

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''
             |\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
             |'(?:[^'\\\n\r]|\\.)*'
             |"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][^\W]\w*)
  | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<pname>(?:[^\W\d_][\w.\-\u00B7]*)?:(?:[\w\-.:%\u00B7]|\\.)*)
  | (?P<word>[^\W\d]\w*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
QUERY_FORMS = ("select", "ask", "construct", "describe")
UPDATE_KEYWORDS = frozenset({"insert", "delete", "load", "clear", "create", "drop", "copy", "move", "add", "with"})


@dataclass
class QueryInfo:
    """What the guard saw. ``form`` is ``select``/``ask``/``construct``/``describe`` or None when the text
    does not start like a query (the parser then reports the syntax error)."""

    form: str | None
    has_from: bool = False
    service: list[str] = field(default_factory=list)


def tokens(text: str) -> list[tuple[str, str]]:
    """``(kind, text)`` for every token except white space and comments."""
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind not in ("ws", "comment"):
            out.append((kind, m.group()))
    return out


def inspect_query(text: str, allow_service: tuple[str, ...] = ()) -> QueryInfo:
    """Classify ``text`` and refuse what a read-only closed endpoint must not run.

    :raises QueryRefused: for an update (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR`` …) or a ``SERVICE``
        whose endpoint is a variable or an IRI not listed in ``allow_service``.
    """
    # SPARQL decodes \uXXXX / \UXXXXXXXX escapes before parsing (SPARQL 1.1 §19.2), so a keyword may be
    # spelled with them; decode first so that such a spelling is seen too
    text = _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)
    toks = tokens(text)
    form = None
    i = 0
    # prologue: BASE <iri> | PREFIX pname: <iri> | VERSION "…"
    while i < len(toks):
        kind, val = toks[i]
        low = val.lower() if kind == "word" else ""
        if low == "base":
            i += 2
        elif low == "prefix":
            i += 3
        elif low == "version":
            i += 2
        else:
            break
    if i < len(toks) and toks[i][0] == "word":
        first = toks[i][1].lower()
        if first in UPDATE_KEYWORDS:
            raise QueryRefused(
                f"SPARQL updates are not accepted: this endpoint is read-only ({first.upper()} refused)")
        if first in QUERY_FORMS:
            form = first
    info = QueryInfo(form)
    for j, (kind, val) in enumerate(toks):
        if kind != "word":
            continue
        low = val.lower()
        if low == "from":
            info.has_from = True
        elif low == "load":
            raise QueryRefused("LOAD is not accepted: this endpoint is read-only and fetches nothing")
        elif low == "service":
            k = j + 1
            if k < len(toks) and toks[k][0] == "word" and toks[k][1].lower() == "silent":
                k += 1
            target = toks[k] if k < len(toks) else ("other", "")
            if target[0] == "iri" and target[1][1:-1] in allow_service:
                info.service.append(target[1][1:-1])
                continue
            if not allow_service:
                raise QueryRefused("SERVICE is not allowed on this endpoint (federated queries are off; "
                                   "the allow_service setting lists endpoints that may be called)")
            raise QueryRefused(f"SERVICE {target[1]} is not allowed; allowed endpoints (written as full "
                               f"<IRI>s): {', '.join(allow_service)}")
    return info
