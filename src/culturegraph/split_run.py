"""A sorted listing computed as two halves on two threads, then merged: ``# split: ?var`` in a named query.

Oxigraph evaluates one query on one core, and releases the GIL while it does. A listing such as
``keynote-speakers`` sorts every row on a first key that is an integer (a forum year), so its rows fall
apart by that key into two independent halves: rows whose key is even, and all the others. Each half
is the same query with one more ``FILTER`` at the end of its WHERE group; the two run at once, and since
rows with equal keys always land in the same half, merging the halves on the first key alone gives an
order the whole query could have given (ties keep their engine order). Measured at 1M triples on 2
cores, plain pyoxigraph: 220–250 → 135–165 ms for ``keynote-speakers``; it pays only where a half
costs well under the whole, since each half still walks every candidate before its filter
(``docs/decisions.md``). pyoxigraph has no parallel evaluation of its own, hence this module.

What makes it exact rather than approximate:

- the two filters are complements for *every* row — ``COALESCE(FLOOR(?v / 2) * 2 = ?v, true)`` and its
  negation: an unbound key, an IRI or a string makes the comparison an error, which ``COALESCE`` turns
  into ``true``, so such a row goes to the first half and never to neither or both;
- :func:`split_plan` accepts only a SELECT whose top-level ``ORDER BY`` starts with ``?v`` ascending,
  with no top-level ``GROUP BY``, ``HAVING``, ``LIMIT`` or ``OFFSET``, and (for ``DISTINCT``/``REDUCED``)
  ``?v`` in the projection, so that a duplicate never spans the halves; the named query's header is
  checked when it is loaded;
- the merge needs a Python key with SPARQL's order: it is built only when every key in both halves is an
  ``xsd:integer`` or unbound (unbound sorts first); otherwise the whole query is run instead.
"""

from __future__ import annotations

import contextlib
import functools
import re
import threading
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib.term import Node

from .errors import QueryError
from .gcpause import paused_gc
from .queries import Token, select_clause, tokenize, where_brace
from .store import OxigraphEngine, QueryData, check_service
from .tsv_rows import tsv_lines


@dataclass(frozen=True)
class SplitPlan:
    """The two texts to run and how to read them back."""

    var: str
    halves: tuple[str, str]
    added: bool  # ?var was put into the projection for the merge (and is dropped from the result)


def split_plan(sparql: str, var: str) -> SplitPlan | str:
    """The two halves of ``sparql`` split on ``?var``, or why it cannot be split (a message)."""
    tokens = tokenize(sparql)
    try:
        open_at = where_brace(sparql)
    except QueryError:
        return "no WHERE group"
    opened = next(i for i, t in enumerate(tokens) if t.start == open_at)
    close = next((i for i in range(opened + 1, len(tokens)) if tokens[i].depth == 0 and tokens[i].text == "}"),
                 None)
    if close is None:
        return "the WHERE group is not closed"
    clause = select_clause(tokens)  # after any PREFIX/BASE lines
    if clause is None:
        return "only a SELECT query can be split"
    modifiers = tokens[close + 1:]
    words = [t.text.upper() for t in modifiers if t.kind == "word"]
    for bad in ("GROUP", "HAVING", "LIMIT", "OFFSET"):
        if bad in words:
            return f"a query with a top-level {bad} cannot be split"
    if not _orders_first_by(modifiers, var):
        return f"the query's ORDER BY must start with ?{var} (ascending)"
    projected = any(t.kind == "var" and t.text[1:] == var for t in clause) or any(t.text == "*" for t in clause)
    distinct = bool(clause) and clause[0].kind == "word" and clause[0].text.upper() in ("DISTINCT", "REDUCED")
    if not projected and distinct:
        return f"?{var} must be selected in a SELECT {clause[0].text.upper()}"
    if not any(t.kind == "var" and t.text[1:] == var for t in tokens[opened:close]):
        return f"?{var} does not occur in the WHERE group"
    at = tokens[close].start
    test = f"FLOOR(?{var} / 2) * 2 = ?{var}"
    first = sparql[:at] + f" FILTER(COALESCE({test}, true)) " + sparql[at:]
    second = sparql[:at] + f" FILTER(!COALESCE({test}, true)) " + sparql[at:]
    if not projected:  # the merge reads ?var: select it first (right after SELECT), drop it afterwards
        where = clause[0].start if clause else at
        first, second = (t[:where] + f"?{var} " + t[where:] for t in (first, second))
    return SplitPlan(var, (first, second), added=not projected)


def _orders_first_by(modifiers: list[Token], var: str) -> bool:
    """True when the tokens after the WHERE group start their ORDER BY with ``?var`` or ``ASC(?var)``."""
    def word(t: Token, w: str) -> bool:
        return t.kind == "word" and t.text.upper() == w

    def is_var(t: Token) -> bool:
        return t.kind == "var" and t.text[1:] == var

    for i in range(len(modifiers) - 1):
        if word(modifiers[i], "ORDER") and word(modifiers[i + 1], "BY"):
            rest = modifiers[i + 2:i + 6]
            if rest and is_var(rest[0]):
                return True
            return (len(rest) == 4 and word(rest[0], "ASC") and rest[1].text == "(" and is_var(rest[2])
                    and rest[3].text == ")")
    return False


_INTEGER_CELL = re.compile(r"[+-]?[0-9]+")


def merge_keys(cells: list[str]) -> list[float] | None:
    """SPARQL's ascending order of TSV cells as Python numbers — when every cell is unbound (``""``, sorts
    first: minus infinity) or an ``xsd:integer``; else None. The TSV writer puts a literal bare only when
    its lexical form is Turtle's number syntax (ASCII, no spaces), so a cell ``int()`` reads is an
    ``xsd:integer`` and its value; anything else is quoted, bracketed or has a dot or an exponent."""
    try:
        return list(map(int, cells))  # the usual case, in C: every key bound
    except ValueError:
        pass
    out: list[float] = []
    for cell in cells:
        if cell == "":
            out.append(float("-inf"))
        elif _INTEGER_CELL.fullmatch(cell):
            out.append(int(cell))
        else:
            return None
    return out


def merge(first: list[list[str]], first_keys: list[float], second: list[list[str]],
          second_keys: list[float]) -> list[list[str]]:
    """Two lists of rows, each in order of its keys and with no key in both, as one list in key order
    (rows with equal keys keep their order: they all come from one list). A stable sort of the two runs
    is one linear merge in C."""
    rows = first + second
    keys = first_keys + second_keys
    return [rows[i] for i in sorted(range(len(rows)), key=keys.__getitem__)]


def run_halves(engine: OxigraphEngine, plan: SplitPlan, *, prefixes: dict[str, str],
               substitutions: dict[str, Node] | None = None, limit: int | None = None) -> QueryData | None:
    """Both halves of ``plan`` at once on ``engine``'s store, one on a second thread, merged on the split
    variable; None when they cannot be merged exactly or a half fails, so the caller runs the whole query
    (which then reports any error as ``engine.query`` does)."""
    for half in plan.halves:
        check_service(half, engine.allow_service)
    subs = {ox.Variable(k): engine._ox(v) for k, v in (substitutions or {}).items()} or None
    out: list[tuple[list[str], list[str], str] | None] = [None, None]

    def run(i: int) -> None:  # the evaluation and the TSV writer release the GIL
        with contextlib.suppress(Exception):  # any failure: the caller runs the whole text, which reports it
            res = engine.store.query(plan.halves[i], prefixes=prefixes, use_default_graph_as_union=True,
                                     substitutions=subs)  # type: ignore[arg-type]
            if isinstance(res, ox.QuerySolutions):
                out[i] = ([v.value for v in res.variables], *tsv_lines(res, limit))

    other = threading.Thread(target=run, args=(1,), name="culturegraph-split")
    other.start()
    try:
        run(0)
    finally:
        other.join()
    if out[0] is None or out[1] is None or out[0][0] != out[1][0]:
        return None
    variables = out[0][0]
    at = variables.index(plan.var)
    with paused_gc():  # tens of thousands of lists and terms, all kept
        first = [line.split("\t") for line in out[0][1]]
        second = [line.split("\t") for line in out[1][1]]
        first_keys = merge_keys([row[at] for row in first])
        second_keys = merge_keys([row[at] for row in second])
        if first_keys is None or second_keys is None:
            return None
        merged = merge(first, first_keys, second, second_keys)
        cut = limit is not None and 0 <= limit < len(merged)
        truncated = bool(out[0][2] or out[1][2] or cut)
        if cut:
            merged = merged[:limit]
        if plan.added:
            variables = variables[:at] + variables[at + 1:]
            for row in merged:
                del row[at]
        rows = engine._rows.convert_cells(merged) if variables else [()] * len(merged)
    return QueryData("select", variables, rows, truncated=truncated)


@functools.lru_cache(maxsize=256)
def cached_plan(sparql: str, var: str) -> SplitPlan | str:
    """:func:`split_plan`, kept per text (a named query is run with the same few texts again and again)."""
    return split_plan(sparql, var)
