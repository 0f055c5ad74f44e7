"""The HTTP server: a read-only SPARQL 1.1 Protocol endpoint, a query page and linked-data pages.

``create_app(cg, settings)`` returns a Starlette app; ``culturegraph serve`` hands it to uvicorn. Routes
(modelled on oxigraph's ``cli/src/main.rs`` ``handle_request``):

====================  ==========================================================================
``/``                 the query page (named queries as examples, results table, downloads)
``/sparql``           SPARQL 1.1 Protocol query operation (GET, POST form, POST direct); without a
                      query: the service description
``/id/{kind}/{id}``   an entity: HTML or RDF by ``Accept`` (``Vary: Accept``), or a document URL
                      with an extension (``.ttl``, ``.jsonld``, ``.nt``, ``.rdf``, ``.html``)
``/-/labels``         labels of IRIs in a language (used by the query page)
``/views/{preset}``   a network view as one offline HTML page; filters as query parameters
                      (``viewhtml.render_view``: from, to, theme, country, type, entity, radius, lang, …)
``/search``           search by name (HTML, or JSON by ``Accept`` / ``format=json``); ``site_pages.py``
``/views``            the list of network views
``/static/…``         the page's CSS/JS, vendored (nothing is loaded from a CDN)
====================  ==========================================================================

Queries run in :class:`~culturegraph.query_workers.WorkerPool` processes (no network, a memory budget,
killed on timeout), which also read and check the query text; entity pages, labels and the graph store are
anchored look-ups on the facade's store, run in a thread pool. The event loop only routes. Every response
carries the hardening headers (:mod:`culturegraph.http_limits`); every error has one shape:
``{"error": {"status", "title", "detail"}}`` (plain text or an HTML page when the client asked for those).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import re
from collections.abc import AsyncIterator, Callable
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .draft_page import draft_routes
from .errors import CultureGraphError, NotFound, QueryError
from .http_limits import VIEW_CSP, HardeningHeaders
from .settings import Settings
from .site_pages import site_routes
from .sparql_front import FrontedApp, Headers, SparqlFront
from .sparql_protocol import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    ProtocolError,
    ProtocolRequest,
    formats_for,
    negotiate,
    parse_accept,
    read_body,
    read_request,
    service_description,
    weighted,
)

HERE = Path(__file__).resolve().parent
LANGS = ("en", "ko", "id")
DOC_EXTENSIONS = {"ttl": "turtle", "jsonld": "jsonld", "nt": "ntriples", "rdf": "rdfxml", "html": "html"}
ENTITY_OFFERS = [("text/html", "html"), ("application/xhtml+xml", "html"), ("text/turtle", "turtle"),
                 ("application/ld+json", "jsonld"), ("application/n-triples", "ntriples"),
                 ("application/rdf+xml", "rdfxml"), ("application/x-turtle", "turtle"),
                 ("text/plain", "ntriples"), ("application/json", "jsonld")]
TRUNCATED, ROWS = "Culturegraph-Truncated", "Culturegraph-Rows"
TRUNCATED_KEY, ROWS_KEY = TRUNCATED.lower().encode(), ROWS.lower().encode()
# each format's Content-Type as Starlette's Response writes it (text/… gets a charset)
CONTENT_TYPES = {f.media_type: (f.media_type + "; charset=utf-8" if f.media_type.startswith("text/")
                                else f.media_type).encode("latin-1")
                 for f in (*RESULT_FORMATS.values(), *GRAPH_FORMATS.values())}


def create_app(cg: Any, settings: Settings | None = None, *, queue_limit: int | None = None,
               notice: Callable[[str], None] | None = None, front: bool = True) -> Starlette:
    """The ASGI app serving ``cg`` (a :class:`~culturegraph.api.CultureGraph`).

    :param settings: limits and switches (default: ``cg.settings``): ``query_timeout``, ``max_rows``,
        ``max_response_bytes``, ``max_body_bytes``, ``client_timeout``, ``query_workers``, ``worker_memory``,
        ``allow_service``, ``base_iri``, ``default_lang``.
    :param queue_limit: requests that may wait for a busy worker pool before a 503 (default 8 per worker).
    :param notice: told once at start-up, in a sentence, of each promise the platform cannot keep (query
        workers without network isolation or memory limit).
    :param front: answer ``/sparql`` queries in :class:`~culturegraph.sparql_front.SparqlFront`, before
        Starlette's layers; False sends them through the router like every other route (the tests compare).
    """
    import jinja2

    from .export.routes import publishing_routes
    from .ldpages import Describer
    from .namespaces import all_prefixes
    from .query_workers import Job, WorkerPool

    st = settings or cg.settings
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True)
    state: dict[str, Any] = {}

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        import pyoxigraph as ox

        from .snapshot import pool_source

        # the engine's store: the prebuilt dump or on-disk store when the data is unchanged (no YAML read)
        state["describer"] = Describer(cg.store, st.base_iri, st.default_lang)
        state["graphs"] = sorted(str(g.value) for g in cg.store.named_graphs() if isinstance(g, ox.NamedNode))
        pool = WorkerPool(pool_source(cg), size=st.query_workers, timeout=st.query_timeout,
                          prefixes=all_prefixes(st.base_iri), base_iri=st.base_iri, queue_limit=queue_limit,
                          allow_service=tuple(st.allow_service), memory_mb=st.worker_memory)
        await pool.start()
        state["pool"] = pool
        # the release bundle behind /catalog and VoID, built in the background so no first request waits for it
        from .export.release import release_files

        state["warm"] = asyncio.get_running_loop().run_in_executor(None, release_files, cg)
        if notice is not None:
            for what, why in sorted(pool.notes.items()):
                if why:
                    missing = "network isolation" if what == "network" else "a memory limit"
                    notice(f"note: query workers run without {missing}: {why}")
        try:
            yield
        finally:
            await pool.close()

    def describer() -> Describer:
        return state["describer"]

    def page(name: str, request: Request, code: int = 200, path: str | None = None,
             **context: Any) -> HTMLResponse:
        from .site_pages import SHELL_UI

        lang = request_lang(request, st.default_lang)
        here = path or request.url.path
        params = {k: v for k, v in request.query_params.items() if k != "lang"}
        lang_links = {lg: here + "?" + urlencode({**params, "lang": lg}) for lg in LANGS}
        html = env.get_template(name).render(lang=lang, langs=LANGS, path=here, lang_links=lang_links,
                                             query_string=request.url.query,
                                             ui=SHELL_UI.get(lang, SHELL_UI["en"]), **context)
        return HTMLResponse(html, status_code=code)

    # ------------------------------------------------------------------ errors
    def error_response(request: Request, status: int, detail: str,
                       headers: dict[str, str] | None = None) -> Response:
        title = HTTPStatus(status).phrase
        wants = error_media(request.headers.get("accept"))
        if wants == "html":
            resp: Response = page("server/error.html", request, status, status=status, title=title, detail=detail)
        elif wants == "text":
            resp = PlainTextResponse(f"{status} {title}: {detail}\n", status_code=status)
        else:
            resp = JSONResponse({"error": {"status": status, "title": title, "detail": detail}},
                                status_code=status)
        resp.headers.update(headers or {})
        return resp

    async def on_error(request: Request, exc: Exception) -> Response:
        if isinstance(exc, CultureGraphError):
            return error_response(request, exc.http_status, str(exc), getattr(exc, "headers", None))
        if isinstance(exc, HTTPException):
            detail = exc.detail if exc.status_code != 404 else f"nothing at {request.url.path}"
            return error_response(request, exc.status_code, str(detail), dict(exc.headers or {}))
        return error_response(request, 500, f"internal error: {type(exc).__name__}")

    # ------------------------------------------------------------------ /sparql
    async def sparql(request: Request) -> Response:
        if request.method == "OPTIONS":
            return Response(status_code=204, headers={"Allow": "GET, POST, HEAD, OPTIONS"})
        preq = await read_request(request, st.max_body_bytes, st.client_timeout)
        accept = request.headers.get("accept")
        if preq is None:
            if prefers_html(accept):
                return RedirectResponse("/", status_code=303)
            if "triples" not in state:  # distinct triples of the union graph: counted once, off the event loop
                state["triples"] = await asyncio.to_thread(count_triples)
            return rdf_response(request, service_graph(request), "Service description")
        answered = await answer(request.method, preq, accept)
        if answered is None:
            return RedirectResponse("/?" + urlencode({"query": preq.query}), status_code=303)
        return raw_response(*answered)

    async def answer(method: str, preq: ProtocolRequest, accept: str | None) -> tuple[Headers, bytes] | None:
        """A query operation's response headers and body; None for a browser's GET (the route redirects
        it to the query page). Both ways in call it: the route above and :class:`SparqlFront`."""
        fmt_param = preq.first("format")
        if method == "GET" and not fmt_param and prefers_html(accept):
            return None
        for iri in (preq.default_graphs or []) + (preq.named_graphs or []):
            check_iri(iri)
        # the worker reads the query (the guard, its form) and picks the format for its form
        return await run_job(method, make_job(preq.query, fmt_param, accept, default_graphs=preq.default_graphs,
                                              named_graphs=preq.named_graphs), bool(preq.first("download")))

    def make_job(text: str, fmt_param: str | None, accept: str | None, **kw: Any) -> Job:
        keys, refusals = formats_for(fmt_param, accept)
        if len(refusals) == 3:  # nothing for any form: say so without running anything
            raise ProtocolError(406, refusals["select"])
        return Job(text, result_format=keys.get("select", "json"), ask_format=keys.get("ask", "json"),
                   graph_format=keys.get("graph", "turtle"), not_acceptable=refusals, max_rows=st.max_rows,
                   max_bytes=st.max_response_bytes, **kw)

    async def run_job(method: str, job: Job, download: bool, name: str = "results") -> tuple[Headers, bytes]:
        """Run ``job`` in a worker: the response's headers (as Starlette's ``Response`` would write them) and
        body."""
        outcome = await state["pool"].run(job)
        f = (GRAPH_FORMATS if outcome.kind == "graph" else RESULT_FORMATS)[outcome.fmt]
        headers = [(b"vary", b"Accept"), (ROWS_KEY, b"%d" % outcome.rows), (b"cache-control", b"no-store")]
        if outcome.truncated == "rows":
            headers.append((TRUNCATED_KEY, b"true; max-rows=%d" % st.max_rows))
        elif outcome.truncated:
            headers.append((TRUNCATED_KEY, b"true; max-bytes=%d" % st.max_response_bytes))
        if download:
            headers.append((b"content-disposition", f'attachment; filename="{name}.{f.extension}"'.encode("latin-1")))
        body = b"" if method == "HEAD" else outcome.body
        headers += [(b"content-length", b"%d" % len(body)), (b"content-type", CONTENT_TYPES[f.media_type])]
        return headers, body

    # ------------------------------------------------------------------ /queries (the named queries)
    async def queries_list(request: Request) -> Response:
        if prefers_html(request.headers.get("accept")):
            return RedirectResponse("/", status_code=303)
        return JSONResponse([q.meta() for q in registry()])

    async def named(request: Request) -> Response:
        from .queries import bound, find
        from .query_workers import term_spec

        q = find({nq.name: nq for nq in registry()}, request.path_params["name"])
        params = dict(request.query_params)
        fmt_param = params.pop("format", None)
        download = bool(params.pop("download", None))
        lang = params.pop("lang", None)
        bindings = q.bind(params, lang=lang, resolve=lambda rid: str(cg.iri(rid)))  # 400 on a bad parameter
        accept = request.headers.get("accept")
        if request.method == "GET" and not fmt_param and not download and prefers_html(accept):
            # a browser following a shared link gets the query page with this query chosen and run
            # (app.js reads name= and the parameters), not a results file to save, as /sparql does
            own = {k: v for k, v in params.items() if k != "name"}  # name= picks the query on the page
            page_params = {"name": q.name, **own, **({"lang": lang} if lang else {})}
            return RedirectResponse("/?" + urlencode(page_params), status_code=303)
        text, substitutions = bound(q, bindings)  # as the CLI binds them (queries.run_local)
        job = make_job(text, fmt_param, accept, drop=tuple(bindings),
                       substitutions={k: term_spec(v) for k, v in substitutions.items()} or None)
        return raw_response(*await run_job(request.method, job, download, q.name))

    def registry() -> list[Any]:
        if "registry" not in state:
            state["registry"] = list(cg.named_queries())
        return state["registry"]

    def count_triples() -> int:
        res = cg.store.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o { GRAPH ?g { ?s ?p ?o } } }")
        return int(next(iter(res))[0].value)  # type: ignore[arg-type, index]

    def service_graph(request: Request) -> list:
        endpoint = str(request.url.replace(query="", fragment=""))
        return service_description(endpoint, st.base_iri, state["triples"], state["graphs"],
                                   federated=bool(st.allow_service))

    def rdf_response(request: Request, triples: list, what: str, prefixes: dict[str, str] | None = None) -> Response:
        import pyoxigraph as ox

        key = negotiate(request.headers.get("accept"), [o for o in ENTITY_OFFERS if o[1] != "html"])
        if key is None:
            raise ProtocolError(406, f"{what} is available as " +
                                ", ".join(f.media_type for f in GRAPH_FORMATS.values()))
        formats = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
                   "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}
        if prefixes is None:
            prefixes = {"sd": "http://www.w3.org/ns/sparql-service-description#",
                        "void": "http://rdfs.org/ns/void#"}
        body = ox.serialize(triples, format=formats[key],
                            prefixes=prefixes if key in ("turtle", "rdfxml") else None) or b""
        return Response(body, media_type=GRAPH_FORMATS[key].media_type, headers={"Vary": "Accept"})

    # ------------------------------------------------------------------ /id/…
    async def entity(request: Request) -> Response:
        return await run_in_threadpool(entity_page, request)  # rendering runs off the event loop

    def entity_page(request: Request) -> Response:
        path = request.path_params["path"]
        fmt = None
        stem, dot, ext = path.rpartition(".")
        if dot and ext in DOC_EXTENSIONS and "/" in stem:
            path, fmt = stem, DOC_EXTENSIONS[ext]
        iri = st.base_iri + "id/" + path
        d = describer()
        if not is_iri(iri) or not d.exists(iri):
            raise NotFound(f"no entity {iri} in this dataset")
        headers = {"Vary": "Accept"}
        if fmt is None:
            fmt = negotiate(request.headers.get("accept"), ENTITY_OFFERS)
            if fmt is None:
                raise ProtocolError(406, "entities are available as text/html, " +
                                    ", ".join(f.media_type for f in GRAPH_FORMATS.values()))
            ext = {v: k for k, v in DOC_EXTENSIONS.items()}[fmt]
            headers["Content-Location"] = f"/id/{path}.{ext}"
        if fmt == "html":
            from .dashboard import dashboard
            from .viewhtml import ego_href

            lang = request_lang(request, st.default_lang)
            resp: Response = page("server/entity.html", request, path=f"/id/{path}", view=d.view(iri, lang),
                                  ego=ego_href(path, lang), dash=dashboard(cg, iri, lang),
                                  doc=f"/id/{path}", formats=[(k, v) for k, v in DOC_EXTENSIONS.items() if v != "html"])
        else:
            resp = Response(d.serialize(iri, fmt), media_type=GRAPH_FORMATS[fmt].media_type)
        resp.headers.update(headers)
        return resp

    # ------------------------------------------------------------------ /store (Graph Store Protocol, read-only)
    async def graph_store(request: Request) -> Response:
        return await run_in_threadpool(graph_store_answer, request)

    def graph_store_answer(request: Request) -> Response:
        """SPARQL 1.1 Graph Store HTTP Protocol, read-only: ``GET ?graph=IRI`` (one record's named graph)
        or ``GET ?default`` (the default graph: the union of all graphs, as queries see it). Anything that
        would write answers 405 (the route takes only GET and HEAD)."""
        import pyoxigraph as ox

        params = request.query_params
        if ("graph" in params) == ("default" in params):
            raise QueryError("give exactly one of ?graph=IRI or ?default (SPARQL 1.1 Graph Store Protocol)")
        if "graph" in params:
            name = params["graph"]
            check_iri(name)
            # the iterator is used up here: pyoxigraph's iterators may not be dropped on another thread
            triples = sorted({q.triple for q in cg.store.quads_for_pattern(None, None, None, ox.NamedNode(name))},
                             key=str)
            if not triples:
                raise NotFound(f"no graph {name} in this dataset")
        else:
            triples = sorted({q.triple for q in cg.store}, key=str)
        from .namespaces import all_prefixes

        prefixes = all_prefixes(st.base_iri)
        del prefixes["cgr"]  # its local names would need escaped slashes
        return rdf_response(request, triples, "a graph", prefixes)

    # ------------------------------------------------------------------ the page
    def index(request: Request) -> Response:  # a plain def: Starlette renders it in its thread pool
        return page("server/index.html", request, examples=[q.meta() | {"sparql": q.sparql} for q in registry()],
                    query=request.query_params.get("query", ""), max_rows=st.max_rows,
                    timeout=st.query_timeout, formats=list(RESULT_FORMATS.values()))

    async def labels(request: Request) -> Response:
        body = await read_body(request, st.max_body_bytes, st.client_timeout)
        return await run_in_threadpool(labels_answer, body)

    def labels_answer(body: bytes) -> Response:
        try:
            data = json.loads(body or b"{}")
            iris = [str(i) for i in data.get("iris", [])][:st.max_rows * 4]
            lang = str(data.get("lang") or st.default_lang)
        except (ValueError, AttributeError, TypeError) as exc:
            raise QueryError(f'expected JSON {{"iris": [...], "lang": "en"}}: {exc}') from exc
        d = describer()
        out: dict[str, dict[str, Any]] = {i: {"label": d.label(i, lang), "href": d.href(i)}
                                          for i in iris if i.startswith("http")}
        for i, info in out.items():  # a place with coordinates can be drawn on the query page's map
            where = d.coordinates(i)
            if where is not None:
                info["lat"], info["long"] = where
        return JSONResponse(out)

    # ------------------------------------------------------------------ /views/… (network views: viewhtml.py)
    from .viewhtml import PageCache

    view_pages = PageCache(cg)

    async def views(request: Request) -> Response:
        params = dict(request.query_params)
        fmt = params.pop("format", None)
        if fmt in ("table", "csv"):  # the view's accessible alternative: its nodes and links as a table
            return await run_in_threadpool(view_table, request, request.path_params["preset"], params, fmt)
        body, status = await run_in_threadpool(view_pages, request.path_params["preset"], params)
        # a drawn view brings its own policy (inline scripts allowed by hash); an error page gets the server's
        headers = {"Content-Security-Policy": VIEW_CSP} if status == 200 else None
        return Response(body, status_code=status, media_type="text/html; charset=utf-8", headers=headers)

    def view_table(request: Request, preset: str, params: dict[str, str], fmt: str) -> Response:
        from .brief import table_bytes
        from .network import build_view
        from .viewhtml import options_from_params

        view = build_view(cg, options_from_params(preset, params))
        if fmt == "csv":
            return Response(table_bytes(view), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": f'attachment; filename="{preset}.csv"'})
        g = view.graph
        nodes = sorted(({"label": d.get("full_label", d["label"]), "type": d.get("type_label", d["type"]),
                         "years": " ".join(map(str, d.get("years", []))), "href": f"/id/{d['id']}" if d.get("id")
                         else None} for _, d in g.nodes(data=True)), key=lambda r: (r["type"], r["label"]))
        links = sorted(({"from": g.nodes[u].get("full_label", g.nodes[u]["label"]), "relation": d.get("label", ""),
                         "to": g.nodes[v].get("full_label", g.nodes[v]["label"]),
                         "years": " ".join(map(str, d.get("years", []))), "weight": d.get("weight", 1)}
                        for u, v, d in g.edges(data=True)), key=lambda r: (r["from"], r["to"]))
        back = "/views/" + preset + ("?" + urlencode(params) if params else "")
        return page("server/view_table.html", request, title=view.title, subtitle=view.subtitle, nodes=nodes,
                    links=links, back=back, csv=back + ("&" if params else "?") + "format=csv")

    routes = [
        Route("/", index, methods=["GET", "HEAD"]),
        Route("/sparql", sparql, methods=["GET", "POST", "HEAD", "OPTIONS", "PUT", "DELETE", "PATCH"]),
        Route("/id/{path:path}", entity, methods=["GET", "HEAD"]),
        Route("/queries", queries_list, methods=["GET", "HEAD"]),
        Route("/queries/{name}", named, methods=["GET", "HEAD"]),
        Route("/-/labels", labels, methods=["POST"]),
        Route("/views/{preset}", views, methods=["GET", "HEAD"]),
        Route("/store", graph_store, methods=["GET", "HEAD"]),
        *site_routes(cg, page, lambda request: request_lang(request, st.default_lang)),  # /search, /views
        *publishing_routes(cg, page),  # /.well-known/void, /catalog, /context.jsonld, /release/… (export/routes.py)
        *draft_routes(cg, page),  # /draft: a pasted article → its reviewable draft (draft_page.py)
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    handlers: dict[Any, Any] = {CultureGraphError: on_error, HTTPException: on_error, Exception: on_error}
    middleware = [Middleware(HardeningHeaders),
                  Middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=False,
                             allow_methods=["GET", "POST", "HEAD", "OPTIONS"],
                             allow_headers=["Accept", "Content-Type", "Accept-Language"],
                             expose_headers=[TRUNCATED, ROWS, "Content-Location"], max_age=86400)]
    app = FrontedApp(routes=routes, exception_handlers=handlers, middleware=middleware, lifespan=lifespan)
    if front:
        app.front = SparqlFront(app.behind, answer, on_error, middleware, max_body=st.max_body_bytes,
                                timeout=st.client_timeout)
    return app


def raw_response(headers: Headers, body: bytes) -> Response:
    """A 200 response with exactly these headers."""
    resp = Response(body)
    resp.raw_headers = headers
    return resp


def check_iri(iri: str) -> None:
    """Raise a 400 unless ``iri`` is an absolute IRI (graph names in ``default-graph-uri`` …)."""
    import pyoxigraph as ox

    try:
        ox.NamedNode(iri)
    except ValueError as exc:
        raise QueryError(f"not an IRI: {iri!r} ({exc})") from exc


def is_iri(text: str) -> bool:
    """True when ``text`` is an absolute IRI (an entity path with a space or ``%`` in it is not)."""
    try:
        check_iri(text)
    except QueryError:
        return False
    return True


def prefers_html(accept: str | None) -> bool:
    """True when the client's most wanted media range is explicitly ``text/html`` (a browser)."""
    return error_media(accept) == "html"


@functools.lru_cache(maxsize=256)
def error_media(accept: str | None) -> str:
    """``html``, ``text`` or ``json``: how to write an error for this Accept header."""
    ranges = parse_accept(accept)
    top = max(ranges, key=lambda r: r[1])[0]
    if top in ("text/html", "application/xhtml+xml"):
        return "html"
    if top.startswith("text/"):
        return "text"
    return "json"


def request_lang(request: Request, default: str) -> str:
    """``?lang=`` or the first language of ``Accept-Language`` or ``default``."""
    lang = request.query_params.get("lang", "").strip().lower()
    if _LANG.fullmatch(lang):
        return lang
    ranges = [(r, q) for r, q in weighted(request.headers.get("accept-language")) if q > 0 and _LANG.fullmatch(r)]
    if ranges:
        return max(ranges, key=lambda r: r[1])[0].split("-")[0]
    return default


_LANG = re.compile(r"[a-z]{2,8}(?:-[a-z0-9]{1,8})*")
