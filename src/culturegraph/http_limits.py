"""What every HTTP response carries and how long a client may take: the hardening headers, and the header
read timeout uvicorn does not have.

- :class:`HardeningHeaders` (ASGI middleware) adds ``X-Content-Type-Options: nosniff`` and
  ``Referrer-Policy: no-referrer`` to every response, and the server's Content-Security-Policy to every
  HTML response that does not bring its own (the network views bring theirs: their scripts are inline,
  allowed by hash); :func:`harden` is the same for a response sent without the middleware (the
  ``/sparql`` front, :mod:`culturegraph.sparql_front`).
- :func:`timed_protocol` is uvicorn's HTTP/1.1 protocol with a deadline for a request's headers. uvicorn
  closes idle keep-alive connections, but a client that sends a header line now and then keeps its
  connection — and a slot — forever; this closes it after ``seconds`` unless the request line and headers
  have all arrived. The body has its own deadline in :func:`culturegraph.sparql_protocol.read_body`.
"""

from __future__ import annotations

from typing import Any

#: the server's own pages: scripts, styles, images and fetches from this origin only, no framing
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
#: sent with a network view, whose own <meta> policy allows its inline scripts by hash; a header adds what
#: a <meta> policy cannot say
VIEW_CSP = "frame-ancestors 'none'; base-uri 'none'; form-action 'none'; object-src 'none'"
HARDENING = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]


class HardeningHeaders:
    """ASGI middleware: the hardening headers on every HTTP response."""

    def __init__(self, app: Any, csp: str = CSP):
        self.app = app
        self.csp = csp.encode("ascii")

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_hardened(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": harden(list(message.get("headers", [])), self.csp)}
            await send(message)

        await self.app(scope, receive, send_hardened)


def harden(headers: list[tuple[bytes, bytes]], csp: bytes) -> list[tuple[bytes, bytes]]:
    """``headers`` (raw ASGI pairs, changed in place and returned) with the hardening headers it lacks, and
    ``csp`` as its Content-Security-Policy when it is HTML without one."""
    names = {k.lower() for k, _ in headers}
    headers += [(k, v) for k, v in HARDENING if k not in names]
    content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
    if content_type.startswith(b"text/html") and b"content-security-policy" not in names:
        headers.append((b"content-security-policy", csp))
    return headers


def timed_protocol(seconds: float, parser: str = "auto") -> type:
    """uvicorn's HTTP/1.1 protocol (``parser``: ``httptools``, ``h11``, or ``auto`` — httptools where
    installed) that closes a connection whose request headers are not complete ``seconds`` after it opened,
    or after its previous response."""
    base: Any = None
    if parser in ("auto", "httptools"):
        try:
            from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

            base = HttpToolsProtocol
        except ImportError:  # httptools is not installed: the pure-Python parser
            if parser == "httptools":
                raise
    if base is None:
        from uvicorn.protocols.http.h11_impl import H11Protocol

        base = H11Protocol

    class TimedProtocol(base):
        _header_timer: Any = None

        def connection_made(self, transport: Any) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def on_response_complete(self) -> None:
            self._arm()  # first: a pipelined request that super() starts disarms it again
            super().on_response_complete()

        def on_headers_complete(self) -> None:  # httptools: a request's headers are in
            super().on_headers_complete()
            self._disarm()

        def handle_events(self) -> None:  # h11: the cycle changes when a request's headers are in
            before = self.cycle
            super().handle_events()
            if self.cycle is not before:
                self._disarm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def _arm(self) -> None:
            self._disarm()
            self._header_timer = self.loop.call_later(seconds, self._too_slow, self.cycle)

        def _disarm(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def _too_slow(self, cycle: Any) -> None:
            self._header_timer = None
            idle = cycle is None or cycle.response_complete  # not while a (pipelined) request runs
            if self.cycle is cycle and idle and not self.transport.is_closing():
                self.transport.close()

    return TimedProtocol
