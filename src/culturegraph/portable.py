"""Named-query text for other SPARQL stores: parameters written into the query as terms.

Locally, parameters become a ``VALUES`` block opening the WHERE group (:func:`culturegraph.queries.inject_values`),
which Oxigraph plans with. Virtuoso 7 cannot compile that form: a variable fixed by ``VALUES`` (or by
``BIND``) and then used in a triple pattern stops its compiler with ``SP031 … no SPART_VARR_FIXED``. Writing
the term in place of the variable is the form every store evaluates the same way, so queries sent to an
endpoint (:func:`culturegraph.queries.run_remote`) are bound this way.

Hand-written because no SPARQL library rewrites query text while keeping its layout (rdflib's algebra
loses it, and its serialiser is incomplete); it reads the text with the same tokenizer as the guard and the
header checks (:func:`culturegraph.sparql_guard.tokenize`), so a string or comment that looks like a
variable is never touched.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as ox

from .errors import QueryError
from .queries import sparql_term
from .sparql_guard import tokenize

_CLAUSE_END = {"WHERE", "FROM", "{"}
_MODIFIER_END = {"{", "}", "LIMIT", "OFFSET", "HAVING", "VALUES"}


def substitute_terms(text: str, bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """``text`` with every parameter variable written as its term.

    In a ``SELECT`` list a bare parameter becomes ``(term AS ?name)``, so the column stays; after
    ``GROUP BY`` or ``ORDER BY`` it becomes ``(term)``; anywhere else the term itself.

    >>> substitute_terms('SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?o', {"o": ox.Literal("x")})
    'SELECT ?s ("x" AS ?o) WHERE { ?s ?p "x" } ORDER BY ("x")'

    :raises QueryError: a parameter that the query assigns (``AS ?name``) or lists in ``VALUES``.
    """
    if not bindings:
        return text
    out: list[str] = []
    pos = 0
    clause = ""  # "select" (projection), "modifier" (GROUP BY / ORDER BY) or ""
    parens = 0
    previous = ""
    values_head = False  # between VALUES and its "{"
    for t in tokenize(text):
        word = t.text.upper() if t.kind == "name" else t.text
        if word == "SELECT":
            clause, parens = "select", 0
        elif word in ("GROUP", "ORDER") or (word == "BY" and previous in ("GROUP", "ORDER")):
            clause, parens = "modifier", 0
        elif (clause == "select" and word in _CLAUSE_END) or (clause == "modifier" and word in _MODIFIER_END):
            clause = ""
        if word == "VALUES":
            values_head = True
        elif word == "{":
            values_head = False
        if t.kind == "op" and t.text == "(":
            parens += 1
        elif t.kind == "op" and t.text == ")":
            parens -= 1
        name = t.text[1:]
        if t.kind == "var" and name in bindings:
            if previous == "AS" or values_head:
                raise QueryError(f"cannot bind ?{name}: the query assigns it")
            term = sparql_term(bindings[name])
            if clause == "select" and parens == 0:
                term = f"({term} AS {t.text})"
            elif clause == "modifier" and parens == 0:
                term = f"({term})"
            out.append(text[pos:t.start])
            out.append(term)
            pos = t.start + len(t.text)
        previous = word
    out.append(text[pos:])
    return "".join(out)

