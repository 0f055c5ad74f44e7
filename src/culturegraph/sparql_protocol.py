"""The SPARQL 1.1 Protocol, read-only: request parsing, content negotiation, the service description.

Nothing here runs a query. :func:`read_request` turns an HTTP request into a :class:`ProtocolRequest`
(or raises a :class:`~culturegraph.errors.CultureGraphError` carrying the right HTTP status), and
:func:`choose_format` picks the result serialisation from ``format=`` or ``Accept``.
"""

from __future__ import annotations

import asyncio
import functools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from .errors import CultureGraphError, QueryError, QueryRefused

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.types import Receive


class ProtocolError(CultureGraphError):
    """A request the protocol does not allow; ``http_status`` is set per instance."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        self.http_status = status
        self.headers = headers or {}
        super().__init__(message)


@dataclass(frozen=True)
class Format:
    """One serialisation: ``key`` (used in ``format=`` and by the workers), media type, file extension."""

    key: str
    media_type: str
    extension: str
    label: str


RESULT_FORMATS: dict[str, Format] = {f.key: f for f in (
    Format("json", "application/sparql-results+json", "srj", "JSON"),
    Format("xml", "application/sparql-results+xml", "srx", "XML"),
    Format("csv", "text/csv", "csv", "CSV"),
    Format("tsv", "text/tab-separated-values", "tsv", "TSV"),
)}
GRAPH_FORMATS: dict[str, Format] = {f.key: f for f in (
    Format("turtle", "text/turtle", "ttl", "Turtle"),
    Format("ntriples", "application/n-triples", "nt", "N-Triples"),
    Format("jsonld", "application/ld+json", "jsonld", "JSON-LD"),
    Format("rdfxml", "application/rdf+xml", "rdf", "RDF/XML"),
)}

# Media types clients send, in the server's order of preference, for each kind of result.
RESULT_OFFERS: list[tuple[str, str]] = [
    ("application/sparql-results+json", "json"), ("application/sparql-results+xml", "xml"),
    ("text/csv", "csv"), ("text/tab-separated-values", "tsv"),
    ("application/json", "json"), ("application/xml", "xml"), ("text/xml", "xml"),
]
GRAPH_OFFERS: list[tuple[str, str]] = [
    ("text/turtle", "turtle"), ("application/n-triples", "ntriples"), ("application/ld+json", "jsonld"),
    ("application/rdf+xml", "rdfxml"), ("application/x-turtle", "turtle"), ("application/turtle", "turtle"),
    ("text/n3", "turtle"), ("text/plain", "ntriples"), ("application/json", "jsonld"),
    ("application/xml", "rdfxml"), ("text/xml", "rdfxml"),
]
# ``format=`` values (SPARQLWrapper sends json, xml, csv, tsv, turtle, n3, rdf, rdf+xml, json-ld).
_FORMAT_ALIASES: dict[str, tuple[str | None, str | None]] = {
    # alias: (result format key, graph format key)
    "json": ("json", "jsonld"), "srj": ("json", None), "xml": ("xml", "rdfxml"), "srx": ("xml", None),
    "csv": ("csv", None), "tsv": ("tsv", None),
    "turtle": (None, "turtle"), "ttl": (None, "turtle"), "n3": (None, "turtle"),
    "nt": (None, "ntriples"), "ntriples": (None, "ntriples"), "n-triples": (None, "ntriples"),
    "jsonld": (None, "jsonld"), "json-ld": (None, "jsonld"),
    "rdf": (None, "rdfxml"), "rdfxml": (None, "rdfxml"), "rdf+xml": (None, "rdfxml"),
}


def weighted(header: str | None) -> list[tuple[str, float]]:
    """``[(element, q)]`` of a comma-separated header with quality values (``Accept``, ``Accept-Language``):
    each element lower-cased, its ``q`` clamped to 0–1 (0 when unreadable), other parameters dropped.

    Hand-written because it is twenty lines: the libraries that do it (werkzeug, python-mimeparse) are
    not otherwise needed here.

    >>> weighted("ko-KR, en;q=0.8, id;q=x")
    [('ko-kr', 1.0), ('en', 0.8), ('id', 0.0)]
    """
    out = []
    for part in (header or "").split(","):
        pieces = [p.strip() for p in part.split(";")]
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        out.append((pieces[0].lower(), q))
    return out


@functools.lru_cache(maxsize=256)
def parse_accept(header: str | None) -> tuple[tuple[str, float], ...]:
    """``[(media range, q)]`` from an Accept header. An absent header, or one without a single well-formed
    range (``Accept: ,``), accepts anything; ill-formed elements are skipped. Clients send the same few
    headers again and again, so answers are remembered.

    >>> parse_accept("text/turtle;q=0.5, application/ld+json")
    (('text/turtle', 0.5), ('application/ld+json', 1.0))
    >>> parse_accept(" ; , ")
    (('*/*', 1.0),)
    """
    return tuple((m, q) for m, q in weighted(header) if _RANGE.fullmatch(m)) or (("*/*", 1.0),)


_RANGE = re.compile(r"[a-z0-9!#$&^_.+*-]+/[a-z0-9!#$&^_.+*-]+|\*")


def negotiate(accept: str | None, offers: list[tuple[str, str]]) -> str | None:
    """The offer the client prefers (q-value of the most specific matching range; ties → server order).

    >>> negotiate("text/csv;q=0.9, */*;q=0.1", RESULT_OFFERS)
    'csv'
    >>> negotiate("image/png", RESULT_OFFERS) is None
    True
    """
    ranges = parse_accept(accept)
    best: tuple[float, int] | None = None
    choice = None
    for pos, (mtype, key) in enumerate(offers):
        q = _quality(mtype, ranges)
        if q > 0 and (best is None or (q, -pos) > best):
            best, choice = (q, -pos), key
    return choice


def quality(accept: str | None, mtype: str) -> float:
    """How much the client wants ``mtype`` (0 = not at all)."""
    return _quality(mtype, parse_accept(accept))


def _quality(mtype: str, ranges: tuple[tuple[str, float], ...]) -> float:
    main = mtype.split("/")[0]
    found: tuple[int, float] | None = None
    for rng, q in ranges:
        if rng == mtype:
            spec = 2
        elif rng == f"{main}/*":
            spec = 1
        elif rng == "*/*":
            spec = 0
        else:
            continue
        if found is None or spec > found[0]:
            found = (spec, q)
    return found[1] if found else 0.0


ASK_FORMATS = ("json", "xml")  # SPARQL 1.1 defines no CSV or TSV form of a boolean


def choose_format(kind: str, fmt_param: str | None, accept: str | None) -> Format:
    """The serialisation for a result of ``kind`` (``select``, ``ask`` or ``graph``).

    :raises ProtocolError: 406 when neither ``format=`` nor ``Accept`` names something we can produce.
    """
    graph = kind in ("graph", "construct", "describe")
    table, offers = (GRAPH_FORMATS, GRAPH_OFFERS) if graph else (RESULT_FORMATS, RESULT_OFFERS)
    if kind == "ask":
        table = {k: f for k, f in RESULT_FORMATS.items() if k in ASK_FORMATS}
        offers = [o for o in RESULT_OFFERS if o[1] in ASK_FORMATS]
    if fmt_param:
        name = fmt_param.strip().lower()
        alias = _FORMAT_ALIASES.get(name)
        key = (alias[1] if graph else alias[0]) if alias else dict(offers).get(name)
        if kind == "ask" and (key in ("csv", "tsv") or name in ("text/csv", "text/tab-separated-values")):
            raise ProtocolError(406, f"format={fmt_param!r}: an ASK result has no CSV or TSV form (the SPARQL "
                                "1.1 CSV and TSV result formats define none); use json or xml")
        if key is None or key not in table:
            types = ", ".join(f.media_type for f in table.values())
            raise ProtocolError(406, f"format={fmt_param!r} is not available for this query; use one of "
                                f"{', '.join(table)} (or the media types {types})")
        return table[key]
    key = negotiate(accept, offers)
    if key is None:
        what = "an ASK query (a boolean has no CSV or TSV form)" if kind == "ask" else "this query"
        raise ProtocolError(406, f"nothing in Accept: {accept!r} can be produced for {what}; available: "
                            f"{', '.join(f.media_type for f in table.values())}")
    return table[key]


@functools.lru_cache(maxsize=256)
def formats_for(fmt_param: str | None, accept: str | None) -> tuple[dict[str, str], dict[str, str]]:
    """The format key for each result kind (``select``, ``ask``, ``graph``) the client accepts, and the
    406 message of each kind it accepts nothing for: the query's form, known only once it is read, picks.
    Remembered per (``format=``, ``Accept``): treat the dicts as read-only."""
    keys: dict[str, str] = {}
    refusals: dict[str, str] = {}
    for kind in ("select", "ask", "graph"):
        try:
            keys[kind] = choose_format(kind, fmt_param, accept).key
        except ProtocolError as exc:
            refusals[kind] = str(exc)
    return keys, refusals


@dataclass
class ProtocolRequest:
    """A query operation: the query text and the protocol dataset (None = not given)."""

    query: str
    default_graphs: list[str] | None = None
    named_graphs: list[str] | None = None
    params: dict[str, list[str]] = field(default_factory=dict)

    def first(self, name: str) -> str | None:
        """The first value of a request parameter (``format``, ``lang`` …)."""
        values = self.params.get(name)
        return values[0] if values else None


def _multi(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for k, v in pairs:
        out.setdefault(k, []).append(v)
    return out


def _qs(raw: bytes | str) -> dict[str, list[str]]:
    data = raw.decode("latin-1") if isinstance(raw, bytes) else raw
    try:
        return _multi(parse_qsl(data, keep_blank_values=True, encoding="utf-8", errors="strict"))
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, "the request parameters are not valid percent-encoded UTF-8") from exc


async def read_body(request: Request, limit: int, timeout: float | None = None) -> bytes:
    """The request body of a Starlette request: :func:`receive_body`."""
    return await receive_body(request.receive, request.headers.get("content-length"), limit, timeout)


async def receive_body(receive: Receive, declared: str | None, limit: int,
                       timeout: float | None = None) -> bytes:
    """The body from an ASGI ``receive``, refusing (413) anything larger than ``limit`` bytes before reading
    it all (``declared``: the Content-Length header), and (408) a body that has not all arrived within
    ``timeout`` seconds.

    :raises ClientDisconnect: the client went away first (as Starlette's ``Request.stream`` does).
    """
    from starlette.requests import ClientDisconnect

    if declared and declared.isdigit() and int(declared) > limit:
        raise ProtocolError(413, f"request body of {int(declared):,} bytes is larger than the "
                            f"{limit:,} bytes this endpoint accepts (setting max_body_bytes)")
    chunks, size = [], 0
    try:
        async with asyncio.timeout(timeout):
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    raise ClientDisconnect()
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > limit:
                    raise ProtocolError(413, f"request body is larger than the {limit:,} bytes this endpoint "
                                        "accepts (setting max_body_bytes)")
                chunks.append(chunk)
                if not message.get("more_body", False):
                    break
    except TimeoutError:
        raise ProtocolError(408, f"the request body did not arrive within {timeout:g} s (setting "
                            "client_timeout)", {"Connection": "close"}) from None
    return b"".join(chunks)


async def read_request(request: Request, max_body: int, timeout: float | None = None) -> ProtocolRequest | None:
    """:func:`read_query` for a Starlette request."""
    headers = request.headers
    return await read_query(request.method, request.scope["query_string"], headers.get("content-type"),
                            headers.get("content-length"), request.receive, max_body, timeout)


async def read_query(method: str, query_string: bytes, content_type: str | None, content_length: str | None,
                     receive: Receive, max_body: int,
                     timeout: float | None = None) -> ProtocolRequest | None:
    """Parse a protocol request from its parts; None for a GET without ``query`` (the service description).
    A GET or HEAD never calls ``receive``.

    :raises ProtocolError: 400 (several queries, bad encoding, missing or wrong Content-Type is 415),
        405 (method), 408 (slow body), 413 (body too large).
    :raises QueryRefused: 403 for any update operation.
    """
    url_params = _qs(query_string)
    if method in ("GET", "HEAD"):
        params = url_params
        if "update" in params:
            raise QueryRefused("SPARQL updates are not accepted: this endpoint is read-only "
                               "(and the protocol never allows an update by GET)")
        if "query" not in params:
            return None
    elif method == "POST":
        mtype, _, ctparams = (content_type or "").partition(";")
        mtype = mtype.strip().lower()
        charset = _charset(ctparams)
        if mtype == "application/sparql-update":
            raise QueryRefused("SPARQL updates are not accepted: this endpoint is read-only")
        if not mtype:
            raise ProtocolError(400, "a POST must say its Content-Type: application/x-www-form-urlencoded "
                                "(query=…) or application/sparql-query (the query as the body)")
        if mtype not in ("application/x-www-form-urlencoded", "application/sparql-query"):
            raise ProtocolError(415, f"Content-Type {mtype} is not accepted; use "
                                "application/x-www-form-urlencoded or application/sparql-query")
        if charset not in (None, "utf-8", "utf8"):
            raise ProtocolError(400, f"charset={charset} is not accepted: SPARQL requests are UTF-8")
        body = await receive_body(receive, content_length, max_body, timeout)
        if mtype == "application/x-www-form-urlencoded":
            params = {**url_params, **_qs(body)}
            if "update" in params:
                raise QueryRefused("SPARQL updates are not accepted: this endpoint is read-only")
            if "query" not in params:
                raise ProtocolError(400, "the form has no query= field")
        else:
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ProtocolError(400, f"the query is not valid UTF-8 (byte {exc.start})") from exc
            if "query" in url_params:
                raise ProtocolError(400, "a direct POST carries the query in its body, not in query=")
            params = {**url_params, "query": [text]}
    else:
        raise ProtocolError(405, f"method {method} is not allowed; use GET or POST",
                            {"Allow": "GET, POST, HEAD, OPTIONS"})
    queries = params.get("query", [])
    if len(queries) != 1:
        raise ProtocolError(400, f"exactly one query= is allowed, got {len(queries)}")
    if "\x00" in queries[0]:
        raise QueryError("the query contains a NUL character")
    return ProtocolRequest(queries[0], params.get("default-graph-uri"), params.get("named-graph-uri"), params)


def _charset(ctparams: str) -> str | None:
    for param in ctparams.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None


SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS_NS = "http://www.w3.org/ns/formats/"
_FORMAT_IRIS = {
    "json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML", "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV", "turtle": "Turtle", "ntriples": "N-Triples", "jsonld": "JSON-LD",
    "rdfxml": "RDF_XML",
}


def service_description(endpoint: str, base_iri: str, triples: int, graphs: list[str],
                        federated: bool = False) -> list:
    """The W3C SPARQL 1.1 Service Description of this endpoint as pyoxigraph triples."""
    import pyoxigraph as ox

    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    void = "http://rdfs.org/ns/void#"

    def sd(local: str) -> ox.NamedNode:
        return ox.NamedNode(SD + local)

    svc = ox.NamedNode(endpoint)
    dataset, default = ox.BlankNode("dataset"), ox.BlankNode("defaultGraph")
    out = [
        ox.Triple(svc, rdf_type, sd("Service")),
        ox.Triple(svc, sd("endpoint"), svc),
        ox.Triple(svc, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(svc, sd("feature"), sd("UnionDefaultGraph")),
        ox.Triple(svc, sd("feature"), sd("BasicFederatedQuery")) if federated else None,
        ox.Triple(svc, sd("defaultEntailmentRegime"),
                  ox.NamedNode("http://www.w3.org/ns/entailment/Simple")),
        ox.Triple(svc, sd("defaultDataset"), dataset),
        ox.Triple(dataset, rdf_type, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default),
        ox.Triple(default, rdf_type, sd("Graph")),
        ox.Triple(default, ox.NamedNode(void + "triples"), ox.Literal(str(triples), datatype=ox.NamedNode(
            "http://www.w3.org/2001/XMLSchema#integer"))),
        ox.Triple(dataset, ox.NamedNode("http://purl.org/dc/terms/source"), ox.NamedNode(base_iri)),
    ]
    for key in sorted(_FORMAT_IRIS):
        out.append(ox.Triple(svc, sd("resultFormat"), ox.NamedNode(FORMATS_NS + _FORMAT_IRIS[key])))
    for i, g in enumerate(sorted(graphs)):
        node = ox.BlankNode(f"g{i}")
        out += [ox.Triple(dataset, sd("namedGraph"), node), ox.Triple(node, sd("name"), ox.NamedNode(g))]
    return [t for t in out if t is not None]
