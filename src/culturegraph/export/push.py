"""``culturegraph push``: load the dataset into any SPARQL 1.1 store.

The Graph Store HTTP Protocol first: N-Triples chunks to ``?graph=IRI`` (or ``?default``), or N-Quads
chunks to the service URL itself so every record keeps its named graph. When the store has no usable Graph
Store endpoint (404, 405 or 415 on the first chunk) the same chunks go as SPARQL Update ``INSERT DATA``.
Failed requests (connection errors, 5xx, 429) are retried with exponential backoff; at the end a
``COUNT`` query checks that the store holds what was sent. Standard library HTTP only (``urllib``), with
Basic and Digest authentication (Virtuoso's ``-auth`` endpoints use Digest).
"""

from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..errors import ExportError

if TYPE_CHECKING:
    from ..api import CultureGraph

FALLBACK_STATUSES = (404, 405, 415)
#: known Graph Store endpoint path → (update path, query path), relative to the same prefix
KNOWN_STORES: tuple[tuple[str, str, str], ...] = (
    ("/store", "/update", "/query"),  # Oxigraph
    ("/data", "/update", "/query"),  # Fuseki (/ds/data)
    ("/rdf-graphs/service", "/statements", ""),  # GraphDB (/repositories/X/…)
    ("/sparql-graph-crud-auth", "/sparql-auth", "/sparql"),  # Virtuoso, authenticated
    ("/sparql-graph-crud", "/sparql", "/sparql"),  # Virtuoso
)


class PushError(ExportError):
    """The store refused the data, could not be reached, or does not hold what was sent."""

    http_status = 502


@dataclass
class PushResult:
    """What was sent, how, and what the store holds afterwards."""

    method: str  # "gsp" or "update"
    sent: int  # statements sent
    requests: int
    expected: int  # statements the target should hold
    count: int | None  # what the COUNT query found (None: not verified)
    target: str  # graph IRI, "default" or "named graphs"
    warnings: list[str]


def guess_endpoints(store: str) -> tuple[str | None, str | None]:
    """The SPARQL Update and query endpoints that usually sit beside a Graph Store endpoint.

    >>> guess_endpoints("http://127.0.0.1:7878/store")
    ('http://127.0.0.1:7878/update', 'http://127.0.0.1:7878/query')
    >>> guess_endpoints("http://localhost:7200/repositories/cg/rdf-graphs/service")
    ('http://localhost:7200/repositories/cg/statements', 'http://localhost:7200/repositories/cg')
    """
    parts = urllib.parse.urlsplit(store)
    for suffix, update, query in KNOWN_STORES:
        if parts.path.rstrip("/").endswith(suffix):
            prefix = parts.path.rstrip("/")[: -len(suffix)]
            return (urllib.parse.urlunsplit(parts._replace(path=prefix + update, query="")),
                    urllib.parse.urlunsplit(parts._replace(path=prefix + query, query="")))
    return None, None


class _Client:
    def __init__(self, auth: str | None, urls: list[str], timeout: float, retries: int, backoff: float):
        handlers: list[urllib.request.BaseHandler] = []
        self.basic: str | None = None
        if auth:
            user, sep, password = auth.partition(":")
            if not sep:
                raise PushError("--auth must be user:password")
            # Basic credentials go with every request; a Digest challenge (Virtuoso) is answered by the handler,
            # whose header replaces this one.
            self.basic = "Basic " + base64.b64encode(auth.encode("utf-8")).decode("ascii")
            mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in urls:
                mgr.add_password(None, url, user, password)
            handlers.append(urllib.request.HTTPDigestAuthHandler(mgr))
        self.opener = urllib.request.build_opener(*handlers)
        self.timeout, self.retries, self.backoff = timeout, retries, backoff
        self.requests = 0

    def send(self, method: str, url: str, body: bytes | None, content_type: str | None,
             accept: str | None = None) -> tuple[int, bytes]:
        """(status, body); 4xx is returned, connection errors / 5xx / 429 are retried, then raised."""
        headers = {k: v for k, v in (("Content-Type", content_type), ("Accept", accept)) if v}
        for attempt in range(self.retries + 1):
            req = urllib.request.Request(url, data=body, method=method, headers=headers)
            if self.basic:
                req.add_unredirected_header("Authorization", self.basic)
            self.requests += 1
            try:
                with self.opener.open(req, timeout=self.timeout) as resp:
                    return resp.status, resp.read()
            except urllib.error.HTTPError as exc:
                status, text = exc.code, exc.read()
                if status < 500 and status != 429:
                    return status, text
                problem = f"HTTP {status}: {text[:200].decode('utf-8', 'replace')}"
            except (urllib.error.URLError, OSError) as exc:
                problem = str(getattr(exc, "reason", exc))
            if attempt < self.retries:
                time.sleep(self.backoff * 2**attempt)
        raise PushError(f"{method} {url} failed after {self.retries + 1} attempts: {problem}")


def _with_param(url: str, param: str) -> str:
    return url + ("&" if "?" in url else "?") + param


def _chunks(items: list, size: int) -> Iterable[list]:
    size = size if size > 0 else max(len(items), 1)
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _term(t: object) -> str:
    return str(t)  # pyoxigraph terms print in N-Triples syntax, which SPARQL accepts


def _insert_data(quads: list[ox.Quad], graph: str | None, default: bool) -> str:
    """``INSERT DATA`` for quads: into ``graph``, the default graph, or each quad's own named graph."""
    groups: dict[str, list[str]] = {}
    for q in quads:
        key = graph if graph else ("" if default else q.graph_name.value)  # type: ignore[union-attr]
        groups.setdefault(key, []).append(f"{_term(q.subject)} {_term(q.predicate)} {_term(q.object)} .")
    body = []
    for g, lines in groups.items():
        inner = "\n".join(lines)
        body.append(f"GRAPH <{g}> {{\n{inner}\n}}" if g else inner)
    return "INSERT DATA {\n" + "\n".join(body) + "\n}"


def push(cg: CultureGraph, store: str, *, graph: str | None = None, default_graph: bool = False,
         replace: bool = False, auth: str | None = None, chunk: int = 5000, update: str | None = None,
         query: str | None = None, verify: bool = True, retries: int = 3, backoff: float = 0.5,
         timeout: float = 120.0, progress: Callable[[int], None] | None = None) -> PushResult:
    """Send the dataset (ontology + data) to ``store``; see the module docstring. ``progress(n)`` is called
    after each chunk with the number of statements it held. Raises :class:`PushError`."""
    if graph and default_graph:
        raise PushError("give either --graph or --default-graph, not both")
    guessed_update, guessed_query = guess_endpoints(store)
    update, query = update or guessed_update, query or guessed_query
    client = _Client(auth, [u for u in (store, update, query) if u], timeout, retries, backoff)
    if graph or default_graph:
        triples = sorted({q.triple for q in cg.ox_quads}, key=str)
        items = [ox.Quad(t.subject, t.predicate, t.object) for t in triples]
        target = graph or "default"
        url = _with_param(store, "graph=" + urllib.parse.quote(graph, safe="") if graph else "default")
        fmt, ctype = ox.RdfFormat.N_TRIPLES, "application/n-triples"
    else:
        items = sorted(set(cg.ox_quads), key=str)
        target, url, fmt, ctype = "named graphs", store, ox.RdfFormat.N_QUADS, "application/n-quads"
    if chunk > 0 and len(items) > chunk and any(isinstance(t, ox.BlankNode) for q in items
                                               for t in (q.subject, q.object)):
        raise PushError("the data has blank nodes, which cannot be split across requests: use --chunk 0")
    method = "gsp"
    if replace:
        _clear(client, cg, store, update, graph, default_graph, items)
    for i, part in enumerate(_chunks(items, chunk)):
        if method == "gsp":
            data = ox.serialize(part, format=fmt)
            verb = "PUT" if replace and i == 0 and target != "named graphs" else "POST"
            status, text = client.send(verb, url, data, ctype)
            if i == 0 and status in FALLBACK_STATUSES:
                if not update:
                    raise PushError(f"{verb} {url}: HTTP {status}: no Graph Store endpoint here; give the SPARQL "
                                    "Update URL with --update to use INSERT DATA instead")
                method = "update"
            elif status >= 300:
                raise PushError(f"{verb} {url}: HTTP {status}: {text[:300].decode('utf-8', 'replace')}")
        if method == "update":
            assert update is not None
            body = _insert_data(part, graph, default_graph).encode("utf-8")
            status, text = client.send("POST", update, body, "application/sparql-update")
            if status >= 300:
                raise PushError(f"POST {update}: HTTP {status}: {text[:300].decode('utf-8', 'replace')}")
        if progress:
            progress(len(part))
    result = PushResult(method, len(items), client.requests, len(items), None, target, [])
    if verify:
        if not query:
            raise PushError("cannot verify: give the SPARQL query URL with --query (or use --no-verify)")
        result.count = _count(client, query, graph, default_graph, cg.settings.base_iri)
        if result.count < result.expected:
            raise PushError(f"verification failed: the store holds {result.count:,} statements in {target}, "
                            f"{result.expected:,} were sent")
        if result.count > result.expected:
            result.warnings.append(f"the store holds {result.count - result.expected:,} more statements in {target} "
                                   "than were sent (use --replace to replace them)")
    return result


def _clear(client: _Client, cg: CultureGraph, store: str, update: str | None, graph: str | None,
           default_graph: bool, items: list[ox.Quad]) -> None:
    """Empty what the push replaces: the graph / default graph (done by PUT of the first chunk, or by
    ``DROP`` when falling back), or every named graph of the data."""
    if graph or default_graph:
        if update:
            what = f"GRAPH <{graph}>" if graph else "DEFAULT"
            client.send("POST", update, f"DROP SILENT {what}".encode(), "application/sparql-update")
        return
    graphs = sorted({q.graph_name.value for q in items if isinstance(q.graph_name, ox.NamedNode)})
    if update:
        for part in _chunks(graphs, 500):
            text = " ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in part)
            status, body = client.send("POST", update, text.encode("utf-8"), "application/sparql-update")
            if status >= 300:
                raise PushError(f"POST {update}: HTTP {status}: {body[:300].decode('utf-8', 'replace')}")
        return
    for g in graphs:
        status, body = client.send("DELETE", _with_param(store, "graph=" + urllib.parse.quote(g, safe="")), None, None)
        if status >= 300 and status != 404:
            raise PushError(f"DELETE graph {g}: HTTP {status}: {body[:300].decode('utf-8', 'replace')}")


def _count(client: _Client, query: str, graph: str | None, default_graph: bool, base: str) -> int:
    if graph:
        sparql = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    elif default_graph:
        sparql = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    else:
        sparql = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                  f'FILTER(STRSTARTS(STR(?g), "{base}graph/")) }}')
    body = urllib.parse.urlencode({"query": sparql}).encode()
    status, text = client.send("POST", query, body, "application/x-www-form-urlencoded",
                               accept="application/sparql-results+json")
    if status >= 300:
        raise PushError(f"count query at {query}: HTTP {status}: {text[:300].decode('utf-8', 'replace')}")
    try:
        return int(json.loads(text)["results"]["bindings"][0]["n"]["value"])
    except (ValueError, KeyError, IndexError) as exc:
        raise PushError(f"count query at {query}: unexpected answer {text[:200]!r}") from exc
