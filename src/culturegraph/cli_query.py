"""``culturegraph query`` and ``culturegraph queries``: run named queries, ``.rq`` files or SPARQL text,
locally or on any SPARQL 1.1 endpoint, and print the answer as a table, CSV, TSV, JSON or Markdown.

Only click and the standard library are imported at module level (``culturegraph --help`` lists these
commands); the facade, pyoxigraph and SPARQLWrapper are imported when a command runs.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .cli import handle_errors, make_graph, root_option, store_options

if TYPE_CHECKING:
    from .api import QueryResult
    from .queries import NamedQuery

FORMATS = ("table", "csv", "tsv", "json", "md")
CELL_WIDTH = 60  # widest cell of the aligned text table (longer text is cut with …)


@click.command("query", short_help="Run a named query, a .rq file or SPARQL text.")
@click.argument("query", required=False, metavar="NAME|FILE.rq")
@click.option("--sparql", "sparql_text", metavar="TEXT", help="SPARQL text to run instead of NAME or FILE.")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a parameter (repeatable); values are checked against the declared type.")
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="table (aligned, labels instead of IRIs), csv / tsv / json (SPARQL 1.1 results), md.")
@click.option("--endpoint", metavar="URL", help="Run on this SPARQL 1.1 endpoint instead of the local graph.")
@click.option("--lang", metavar="en|ko|id", help="Label language: requested, then en, then any.")
@click.option("--limit", type=click.IntRange(min=0), default=None,
              help="Most rows to print (default: the max_rows setting); a cut is reported on stderr.")
@root_option
@store_options
@handle_errors
def query_cmd(query: str | None, sparql_text: str | None, params: tuple[str, ...], fmt: str,
              endpoint: str | None, lang: str | None, limit: int | None, root: str | None) -> None:
    """Run a named query (NAME, one of `culturegraph queries`), a query file (FILE.rq, same header
    format) or the text given with --sparql, on the local graph or on --endpoint, and print the result.

    Parameters are bound as typed RDF terms, never pasted into the query text:

        culturegraph query sessions-in-order --param year=2025 --lang ko

        culturegraph query sources-of -p entity=person:lee-kyogu -f csv

        culturegraph query host-cities --endpoint http://127.0.0.1:7878/query
    """
    from .errors import QueryError
    from .queries import run_remote

    if (query is None) == (sparql_text is None):
        raise click.UsageError("give exactly one of NAME, FILE.rq or --sparql TEXT")
    values = _parse_params(params)
    cg = make_graph(root)
    nq = _resolve(cg, query, sparql_text, values, lang)
    cap = limit if limit is not None else cg.settings.max_rows
    try:
        if endpoint:
            res = run_remote(endpoint, nq, values, lang=lang, limit=cap, timeout=cg.settings.query_timeout,
                             base_iri=cg.settings.base_iri)
        else:
            res = cg.run_named(nq, values, lang=lang, limit=cap)
    except QueryError as exc:  # engines list every expected token; one line is enough here
        raise QueryError(_one_line(str(exc))) from None
    click.echo(render(res, fmt), nl=False)
    if res.truncated:
        click.echo(f"note: result cut at {len(res.rows)} rows (raise --limit or the max_rows setting)",
                   err=True)


@click.command("queries", short_help="List the named queries: name, title, parameters.")
@click.option("--json", "as_json", is_flag=True, help="Print the metadata as JSON.")
@click.option("--cq", "only_cq", is_flag=True, help="Only the competency questions.")
@root_option
@handle_errors
def queries_cmd(as_json: bool, only_cq: bool, root: str | None) -> None:
    """List the named queries of queries/ with their title and parameters (name:type=default)."""
    cg = make_graph(root)
    found = [q for q in cg.named_queries() if q.cq or not only_cq]
    if as_json:
        click.echo(json.dumps([q.meta() for q in found], ensure_ascii=False, indent=2))
        return
    rows = [["name", "title", "parameters"]]
    for q in found:
        ps = " ".join(f"{p.name}:{p.type}" + (f"={p.default}" if p.default is not None else "")
                      for p in q.params)
        rows.append([q.name, q.title, ps])
    click.echo(_aligned(rows), nl=False)


@click.command("search", short_help="Find records by name, in any language (typos and accents forgiven).")
@click.argument("text")
@click.option("--lang", default=None, metavar="LANG", help="Language of the labels shown (default: en).")
@click.option("--limit", type=click.IntRange(1, 500), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON.")
@root_option
@handle_errors
def search_cmd(text: str, lang: str | None, limit: int, as_json: bool, root: str | None) -> None:
    """Find records (organisations, people, programmes, editions, places …) whose names match TEXT."""
    res = make_graph(root).search(text, lang=lang, limit=limit)
    if as_json:
        click.echo(json.dumps(res.as_json(), ensure_ascii=False, indent=2))
        return
    if not res.hits:
        closest = ", ".join(f"{h.label} ({h.id})" for h in res.suggestions)
        click.echo(f"no name matches {text!r}" + (f"; closest: {closest}" if closest else ""), err=True)
        raise SystemExit(1)
    rows = [["kind", "id", "label", "matched name"]]
    for kind, hits in res.groups():
        rows += [[kind, h.id.split("/", 1)[-1], h.label, h.matched if h.matched != h.label else ""] for h in hits]
    click.echo(_aligned([[_cut(c) for c in r] for r in rows]), nl=False)


def _one_line(message: str) -> str:
    """An engine's error message on one line, without the character-class dump of a parser."""
    message = re.sub(r"\['A' \.\.= 'Z'[^\]]*\]", "a name", " ".join(message.split()))
    return message if len(message) <= 400 else message[:399] + "…"


# ---------------------------------------------------------------------------------------------- input
def _parse_params(params: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{item!r}: expected NAME=VALUE", param_hint="--param")
        out[name.strip()] = value
    return out


def _resolve(cg: Any, query: str | None, sparql_text: str | None, values: dict[str, str],
             lang: str | None) -> NamedQuery:
    """The NamedQuery for a name, a file or text; ad-hoc queries get the parameters they are given."""
    from dataclasses import replace

    from .errors import QueryError
    from .queries import Param, find, load_queries, parse_query

    if sparql_text is not None:
        nq = parse_query(sparql_text, name="sparql", file="--sparql")
    elif query is not None and (query.endswith(".rq") or "/" in query or Path(query).is_file()):
        path = Path(query)
        if not path.is_file():
            raise QueryError(f"{query}: no such query file")
        nq = parse_query(path.read_text(encoding="utf-8"), name=path.stem, file=query)
    else:
        return find(load_queries(cg.queries_dir, root=cg.root), query or "")
    # An ad-hoc query binds what it is given: <…> as an IRI, anything else as a string (declare types
    # with '# param:' lines for more); --lang fills ?lang when the text uses it.
    extra = [Param(n, "iri" if v.startswith("<") and v.endswith(">") else "string")
             for n, v in sorted(values.items()) if nq.param(n) is None]
    if lang is not None and nq.param("lang") is None and "lang" not in values and "?lang" in nq.sparql:
        extra.append(Param("lang", "lang"))
    return replace(nq, params=nq.params + tuple(extra)) if extra else nq


# ---------------------------------------------------------------------------------------------- output
def render(res: QueryResult, fmt: str) -> str:
    """The result as text in ``fmt`` (one of :data:`FORMATS`), ending with a newline."""
    from .errors import QueryError

    if res.kind == "graph":
        if fmt == "json":
            raise QueryError("CONSTRUCT/DESCRIBE results print as N-Triples; drop --format json")
        return "".join(f"{s.n3()} {p.n3()} {o.n3()} .\n"
                       for s, p, o in sorted(res.triples or [], key=lambda t: tuple(x.n3() for x in t)))
    if res.kind == "ask":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": bool(res.boolean)}) + "\n"
        if fmt in ("csv", "tsv"):
            raise QueryError("ASK results have no CSV/TSV form; use --format json or table")
        return ("true" if res.boolean else "false") + "\n"
    if fmt == "csv":
        return _csv(res)
    if fmt == "tsv":
        return _tsv(res)
    if fmt == "json":
        return _json(res)
    header, rows = _display(res)
    if fmt == "md":
        return _markdown(header, rows)
    return _aligned([header, *[[_cut(c) for c in r] for r in rows]])


def _csv(res: QueryResult) -> str:
    """SPARQL 1.1 CSV: plain values (IRIs, lexical forms, ``_:`` blank nodes), CRLF line ends."""
    import csv
    import io

    from rdflib import BNode

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(res.variables)
    for row in res.rows:
        w.writerow(["" if t is None else (f"_:{t}" if isinstance(t, BNode) else str(t)) for t in row])
    return buf.getvalue()


def _tsv(res: QueryResult) -> str:
    """SPARQL 1.1 TSV: ``?var`` header, terms in Turtle syntax (rdflib's ``n3``) with tabs escaped."""
    lines = ["\t".join("?" + v for v in res.variables)]
    for row in res.rows:
        lines.append("\t".join("" if t is None else t.n3().replace("\t", "\\t") for t in row))
    return "\n".join(lines) + "\n"


def _json(res: QueryResult) -> str:
    """SPARQL 1.1 JSON results. Written here rather than with rdflib's serializer, whose bytes change
    when orjson is installed; this output is indented and the same everywhere."""
    from rdflib import BNode, Literal

    def term(t: Any) -> dict[str, str]:
        if isinstance(t, Literal):
            d = {"type": "literal", "value": str(t)}
            if t.language:
                d["xml:lang"] = t.language
            elif t.datatype is not None:
                d["datatype"] = str(t.datatype)
            return d
        return {"type": "bnode" if isinstance(t, BNode) else "uri", "value": str(t)}

    bindings = [{v: term(t) for v, t in zip(res.variables, row, strict=True) if t is not None}
                for row in res.rows]
    doc = {"head": {"vars": res.variables}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def _display(res: QueryResult) -> tuple[list[str], list[list[str]]]:
    """Columns for people: an IRI column ``x`` with a ``xLabel`` column is shown as its label (headed
    ``x``); other IRIs as prefixed names; literals as their text."""
    from rdflib import URIRef

    from .namespaces import all_prefixes

    spaces = sorted(all_prefixes().items(), key=lambda kv: -len(kv[1]))

    def text(t: Any) -> str:
        if t is None:
            return ""
        if isinstance(t, URIRef):
            s = str(t)
            for prefix, ns in spaces:
                if s.startswith(ns) and len(s) > len(ns):
                    return f"{prefix}:{s[len(ns):]}"
            return s
        return " ".join(str(t).split())

    variables = res.variables
    labelled = {v for v in variables if v + "Label" in variables}
    header: list[str] = []
    picks: list[tuple[int, int | None]] = []
    for i, v in enumerate(variables):
        if v in labelled:
            continue
        base = v[: -len("Label")] if v.endswith("Label") and v[: -len("Label")] in labelled else None
        header.append(base or v)
        picks.append((i, variables.index(base) if base else None))
    rows = []
    for row in res.rows:
        rows.append([text(row[i]) or (text(row[j]) if j is not None else "") for i, j in picks])
    return header, rows


def _width(s: str) -> int:
    """Columns ``s`` takes in a terminal (East Asian wide characters count two)."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in s)


def _cut(s: str) -> str:
    if _width(s) <= CELL_WIDTH:
        return s
    out, w = "", 0
    for c in s:
        w += _width(c)
        if w > CELL_WIDTH - 1:
            break
        out += c
    return out + "…"


def _aligned(rows: list[list[str]]) -> str:
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]

    def line(cells: list[str]) -> str:
        return "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [line(rows[0]), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in rows[1:]]
    return "\n".join(out) + "\n"


def _markdown(header: list[str], rows: list[list[str]]) -> str:
    def cell(s: str) -> str:
        return s.replace("\\", "\\\\").replace("|", "\\|")

    out = ["| " + " | ".join(cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(cell(c) for c in r) + " |" for r in rows]
    return "\n".join(out) + "\n"
