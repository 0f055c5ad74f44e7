"""``culturegraph push``: load the dataset into any SPARQL 1.1 store.

The Graph Store HTTP Protocol first: N-Triples chunks to ``?graph=IRI`` (or ``?default``), or N-Quads
chunks to the service URL itself so every record keeps its named graph. Quads are an extension of the
protocol (Oxigraph and Fuseki take them; Virtuoso answers 200 and keeps nothing), so after the first N-Quads
chunk an ``ASK`` checks that the store kept its named graphs. When the store has no usable Graph Store
endpoint, or drops the graphs, the same data goes as SPARQL Update ``INSERT DATA`` (named graphs kept);
a chunk the store refuses for its size is halved until it is accepted. Connection errors and 429/502/503/504
are retried with exponential backoff; at the end a ``COUNT`` query checks that the store holds what was sent.

Authentication: ``auto`` answers the store's challenge (Digest or Basic; Virtuoso 7 refuses a Basic login
outright and only then would challenge for Digest, so credentials are never sent before a challenge); ``basic``
sends Basic credentials with every request; ``digest`` only answers a Digest challenge. Standard library HTTP
(``urllib``), whose Basic and Digest handlers do the protocol work.
"""

from __future__ import annotations

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

#: answers to the first Graph Store request that mean "no usable Graph Store endpoint here": try SPARQL Update
FALLBACK_STATUSES = (400, 404, 405, 406, 415, 501)
#: answers that mean "this request is too big": halve the chunk (Virtuoso answers 500 for SQL it cannot compile)
TOO_BIG_STATUSES = (413, 500)
#: transient answers, retried with backoff
RETRY_STATUSES = (429, 502, 503, 504)
#: the smallest chunk tried before a refusal is final
MIN_CHUNK = 50
AUTH_SCHEMES = ("auto", "basic", "digest")
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


class _BasicAfterChallenge(urllib.request.HTTPBasicAuthHandler):
    """Basic credentials: with every request to an endpoint once it accepted them (prior auth), dropped
    again on a 401. The stock handler also counts a success by Digest as a Basic success (then sends Basic
    first, which Virtuoso refuses without a challenge) and forgets the login on any error, a 503 included."""

    def __init__(self, passwords: urllib.request.HTTPPasswordMgrWithPriorAuth):
        super().__init__(passwords)
        self.prior = passwords

    def http_response(self, req, response):  # type: ignore[no-untyped-def]
        if str(req.get_header("Authorization", "")).startswith("Basic "):
            if 200 <= response.code < 300:
                self.prior.update_authenticated(req.full_url, True)
            elif response.code == 401:
                self.prior.update_authenticated(req.full_url, False)
        return response

    https_response = http_response


class _Client:
    def __init__(self, auth: str | None, scheme: str, urls: list[str], timeout: float, retries: int,
                 backoff: float):
        if scheme not in AUTH_SCHEMES:
            raise PushError(f"--auth-scheme must be one of {', '.join(AUTH_SCHEMES)}, not {scheme!r}")
        handlers: list[urllib.request.BaseHandler] = []
        if auth:
            user, sep, password = auth.partition(":")
            if not sep:
                raise PushError("--auth must be user:password")
            if scheme in ("auto", "basic"):
                # with prior auth, Basic goes with every request once it worked (at once for "basic")
                basic = urllib.request.HTTPPasswordMgrWithPriorAuth()
                for url in urls:
                    basic.add_password(None, url, user, password, is_authenticated=scheme == "basic")
                handlers.append(_BasicAfterChallenge(basic))
            if scheme in ("auto", "digest"):
                digest = urllib.request.HTTPPasswordMgrWithDefaultRealm()
                for url in urls:
                    digest.add_password(None, url, user, password)
                handlers.append(urllib.request.HTTPDigestAuthHandler(digest))
        self.opener = urllib.request.build_opener(*handlers)
        self.timeout, self.retries, self.backoff = timeout, retries, backoff
        self.requests = 0

    def send(self, method: str, url: str, body: bytes | None, content_type: str | None,
             accept: str | None = None) -> tuple[int, bytes]:
        """(status, body); connection errors and transient statuses are retried, then raised."""
        headers = {k: v for k, v in (("Content-Type", content_type), ("Accept", accept)) if v}
        for attempt in range(self.retries + 1):
            req = urllib.request.Request(url, data=body, method=method, headers=headers)
            self.requests += 1
            try:
                with self.opener.open(req, timeout=self.timeout) as resp:
                    return resp.status, resp.read()
            except urllib.error.HTTPError as exc:
                status, text = exc.code, exc.read()
                if status not in RETRY_STATUSES:
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
         replace: bool = False, auth: str | None = None, auth_scheme: str = "auto", chunk: int = 5000,
         update: str | None = None, query: str | None = None, verify: bool = True, retries: int = 3,
         backoff: float = 0.5, timeout: float = 120.0,
         progress: Callable[[int], None] | None = None) -> PushResult:
    """Send the dataset (ontology + data) to ``store``; see the module docstring. ``progress(n)`` is called
    after each chunk with the number of statements it held. Raises :class:`PushError`."""
    if graph and default_graph:
        raise PushError("give either --graph or --default-graph, not both")
    guessed_update, guessed_query = guess_endpoints(store)
    update, query = update or guessed_update, query or guessed_query
    client = _Client(auth, auth_scheme, [u for u in (store, update, query) if u], timeout, retries, backoff)
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
    result = PushResult("gsp", len(items), 0, len(items), None, target, [])
    if replace:
        _clear(client, cg, store, update, graph, default_graph, items)

    def fall_back(why: str) -> None:
        if not update:
            raise PushError(f"{why}; give the SPARQL Update URL with --update to use INSERT DATA instead")
        result.method = "update"
        result.warnings.append(f"{why}: sent as SPARQL Update INSERT DATA to {update}")

    done, size = 0, chunk if chunk > 0 else max(len(items), 1)
    while done < len(items):
        part = items[done:done + size]
        if result.method == "gsp":
            verb = "PUT" if replace and done == 0 and target != "named graphs" else "POST"
            status, text = client.send(verb, url, ox.serialize(part, format=fmt), ctype)
            if done == 0 and status in FALLBACK_STATUSES:
                fall_back(f"{verb} {url}: HTTP {status}, no usable Graph Store endpoint")
                continue
            if status < 300 and done == 0 and target == "named graphs" and query and not _kept(client, query,
                                                                                            part[0]):
                fall_back(f"the Graph Store endpoint {url} answered {status} to N-Quads but kept no named graph")
                continue
            where = f"{verb} {url}"
        else:
            assert update is not None
            body = _insert_data(part, graph, default_graph).encode("utf-8")
            status, text = client.send("POST", update, body, "application/sparql-update")
            where = f"POST {update}"
        if status in TOO_BIG_STATUSES and size > MIN_CHUNK:
            size = max(MIN_CHUNK, size // 2)
            result.warnings.append(f"{where}: HTTP {status} for {len(part):,} statements; chunks of {size:,} now")
            continue
        if status >= 300:
            raise PushError(f"{where}: HTTP {status}: {text[:300].decode('utf-8', 'replace')}")
        done += len(part)
        if progress:
            progress(len(part))
    result.requests = client.requests
    if verify:
        if not query:
            raise PushError("cannot verify: give the SPARQL query URL with --query (or use --no-verify)")
        result.count = _count(client, query, graph, default_graph, cg.settings.base_iri)
        result.requests = client.requests
        if result.count < result.expected:
            raise PushError(f"verification failed: the store holds {result.count:,} statements in {target}, "
                            f"{result.expected:,} were sent")
        if result.count > result.expected:
            result.warnings.append(f"the store holds {result.count - result.expected:,} more statements in {target} "
                                   "than were sent (use --replace to replace them)")
    return result


def _kept(client: _Client, query: str, quad: ox.Quad) -> bool:
    """Whether the store holds ``quad`` in its named graph (some stores drop the graph of N-Quads)."""
    sparql = (f"ASK {{ GRAPH {_term(quad.graph_name)} {{ {_term(quad.subject)} {_term(quad.predicate)} "
              f"{_term(quad.object)} }} }}")
    status, text = client.send("POST", query, urllib.parse.urlencode({"query": sparql}).encode(),
                               "application/x-www-form-urlencoded", accept="application/sparql-results+json")
    if status >= 300:
        raise PushError(f"ASK query at {query}: HTTP {status}: {text[:300].decode('utf-8', 'replace')}")
    try:
        return json.loads(text)["boolean"] is True
    except (ValueError, KeyError) as exc:
        raise PushError(f"ASK query at {query}: unexpected answer {text[:200]!r}") from exc


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
