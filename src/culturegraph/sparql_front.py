"""``/sparql`` query operations as a plain ASGI app in front of Starlette (:func:`culturegraph.server.create_app`
puts it there).

Why: an ASK on the real data at 16 connections kept the server's main process at a full core, about half of
it in Starlette's layers (the error middleware, CORS and hardening middlewares, the exception middleware, the
router, a ``Request`` and a ``Response``, each wrapping ``send``); decisions.md, 2026-12-05, has the numbers.

What it does: a GET, HEAD or POST to ``/sparql`` is read here (:func:`culturegraph.sparql_protocol.read_query`)
and answered by the app's own ``answer`` (the same function the Starlette route calls). Everything else goes
to the Starlette app untouched, before a byte of the body is read: other paths, other methods (OPTIONS, and
PUT … for their 405), a GET without ``query`` (the service description) and a browser's GET (its redirect to
the query page). Errors are rendered by the app's error handler and sent through the app's own middlewares,
as the general path does; a successful answer gets the headers those middlewares would add —
:func:`culturegraph.http_limits.harden` and CORS ``*`` (``tests/test_server_front.py`` compares the two paths
byte for byte).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette

from .errors import CultureGraphError
from .http_limits import CSP, harden
from .sparql_protocol import ProtocolRequest, read_query

Headers = list[tuple[bytes, bytes]]
#: the app's answer to a query operation: response headers and body, or None to leave it to the app
Answer = Callable[[str, ProtocolRequest, "str | None"], Awaitable["tuple[Headers, bytes] | None"]]
_METHODS = frozenset({"GET", "HEAD", "POST"})


class SparqlFront:
    """ASGI app: ``/sparql`` query operations answered here, everything else by ``app``.

    :param app: the ASGI app behind it: the Starlette app, whose router still has a ``/sparql`` route for
        what is left to it.
    :param answer: ``(method, request, Accept) -> (headers, body)``, or None for a request the app handles.
    :param on_error: the app's exception handler (``(Request, exc) -> Response``).
    :param middleware: the app's user middlewares, to send error responses through.
    """

    def __init__(self, app: Any, answer: Answer, on_error: Callable[[Any, Exception], Awaitable[Any]],
                 middleware: list[Any], *, max_body: int, timeout: float | None, path: str = "/sparql"):
        from starlette.middleware.cors import CORSMiddleware

        self.app, self.answer, self.on_error, self.middleware = app, answer, on_error, middleware
        self.max_body, self.timeout, self.path = max_body, timeout, path
        cors = next(CORSMiddleware(app, *args, **kw) for cls, args, kw in middleware if cls is CORSMiddleware)
        if not cors.allow_all_origins or cors.allow_credentials:  # what _finish copies from CORSMiddleware.send
            raise ValueError("SparqlFront copies CORS '*' without credentials only")
        self.cors = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in cors.simple_headers.items()]
        self.csp = CSP.encode("ascii")

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"] != self.path or scope["method"] not in _METHODS:
            await self.app(scope, receive, send)
            return
        accept = ctype = length = origin = None
        for key, value in scope["headers"]:  # the first of each, as Starlette's Headers.get
            if key == b"accept":
                accept = value.decode("latin-1") if accept is None else accept
            elif key == b"content-type":
                ctype = value.decode("latin-1") if ctype is None else ctype
            elif key == b"content-length":
                length = value.decode("latin-1") if length is None else length
            elif key == b"origin":
                origin = value if origin is None else origin
        from starlette.requests import ClientDisconnect

        method = scope["method"]
        try:
            preq = await read_query(method, scope["query_string"], ctype, length, receive, self.max_body,
                                    self.timeout)
            answered = None if preq is None else await self.answer(method, preq, accept)
        except CultureGraphError as exc:
            await self._error(scope, receive, send, exc)
            return
        except ClientDisconnect:  # nobody left to answer
            return
        if answered is None:  # nothing read from the body: the app answers it as any other request
            await self.app(scope, receive, send)
            return
        headers, body = answered
        await send({"type": "http.response.start", "status": 200, "headers": self._finish(headers, origin)})
        await send({"type": "http.response.body", "body": body})

    def _finish(self, headers: Headers, origin: bytes | None) -> Headers:
        """What ``CORSMiddleware.send`` (all origins, no credentials) and ``HardeningHeaders`` add."""
        if origin is not None:
            for key, value in self.cors:
                _set(headers, key, value)
        _set(headers, b"vary", b", ".join([*(v for k, v in headers if k == b"vary"), b"Origin"]))
        return harden(headers, self.csp)

    async def _error(self, scope: dict[str, Any], receive: Any, send: Any, exc: Exception) -> None:
        """``exc`` as the app's error handler renders it, through the app's middlewares."""
        from starlette.requests import Request

        app = await self.on_error(Request(scope, receive), exc)
        for cls, args, kwargs in reversed(self.middleware):
            app = cls(app, *args, **kwargs)
        await app(scope, receive, send)


def _set(headers: Headers, key: bytes, value: bytes) -> None:
    """``headers[key] = value`` as Starlette's ``MutableHeaders`` does it: the first one replaced in place,
    any others dropped, or appended."""
    found = [i for i, (k, _) in enumerate(headers) if k == key]
    for i in reversed(found[1:]):
        del headers[i]
    if found:
        headers[found[0]] = (key, value)
    else:
        headers.append((key, value))


class FrontedApp(Starlette):
    """A Starlette app that hands each request to its :attr:`front` first, when it has one."""

    front: SparqlFront | None = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if self.front is None:
            await super().__call__(scope, receive, send)
        else:
            await self.front(scope, receive, send)

    async def behind(self, scope: Any, receive: Any, send: Any) -> None:
        """The Starlette app itself (what the front passes requests on to)."""
        await super().__call__(scope, receive, send)
