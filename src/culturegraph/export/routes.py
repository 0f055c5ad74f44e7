"""HTTP routes that publish the release: ``/.well-known/void``, ``/catalog``, ``/context.jsonld`` and the
bundle's files under ``/release/{version}/…``. ``culturegraph serve`` mounts them with
``routes=[..., *publishing_routes(cg)]``; each answer is one call into :mod:`culturegraph.export.release`
(the bundle is built once per facade, in a worker thread)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

OFFERS = [("text/turtle", "turtle"), ("application/n-triples", "ntriples"), ("application/rdf+xml", "rdfxml"),
          ("application/ld+json", "jsonld"), ("text/plain", "ntriples"), ("text/html", "html")]
MEDIA = {"turtle": "text/turtle; charset=utf-8", "ntriples": "application/n-triples",
         "rdfxml": "application/rdf+xml", "jsonld": "application/ld+json"}


def _pick(accept: str | None) -> str | None:
    """The format for an Accept header (quality values honoured; Turtle when anything goes)."""
    from ..sparql_protocol import negotiate

    return negotiate(accept, OFFERS)


def publishing_routes(cg: Any, page: Any = None) -> list[Route]:
    """Starlette routes for the release description and files of ``cg``; with the server's ``page`` renderer,
    browsers (``Accept: text/html``) get the catalogue and the VoID description as a page."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import PlainTextResponse, Response
    from starlette.routing import Route

    from .jsonld import context_document
    from .release import catalog_document, default_version, release_files, void_document

    def described(which: str):
        render = void_document if which == "void" else catalog_document

        async def endpoint(request: Request) -> Response:
            fmt = _pick(request.headers.get("accept"))
            if fmt is None:
                return PlainTextResponse("406 Not Acceptable: " + ", ".join(MEDIA.values()) + "\n", status_code=406)
            if fmt == "html":
                if page is None:
                    return PlainTextResponse("406 Not Acceptable: " + ", ".join(MEDIA.values()) + "\n",
                                             status_code=406)
                from .catalog_page import summary

                facts = await run_in_threadpool(summary, cg, which)
                resp = page("server/catalog.html", request, which=which, facts=facts)
                resp.headers["Vary"] = "Accept"
                return resp
            body = await run_in_threadpool(render, cg, fmt)
            return Response(body, media_type=MEDIA[fmt], headers={"Vary": "Accept"})

        return endpoint

    async def context(request: Request) -> Response:
        return Response(context_document(cg.settings.base_iri), media_type="application/ld+json")

    async def release_file(request: Request) -> Response:
        version, path = request.path_params["version"], request.path_params["path"]
        files = await run_in_threadpool(release_files, cg)
        if version != default_version(cg) or path not in files:
            return PlainTextResponse(f"404 Not Found: no release file {version}/{path}\n", status_code=404)
        from ..export.describe import FILE_TYPES

        ext = path.removesuffix(".gz").rsplit(".", 1)[-1]
        media = "application/gzip" if path.endswith(".gz") else FILE_TYPES.get(ext, ("text/plain", ""))[0]
        return Response(files[path], media_type=media)

    return [
        Route("/.well-known/void", described("void"), methods=["GET", "HEAD"]),
        Route("/catalog", described("catalog"), methods=["GET", "HEAD"]),
        Route("/context.jsonld", context, methods=["GET", "HEAD"]),
        Route("/release/{version}/{path:path}", release_file, methods=["GET", "HEAD"]),
    ]
