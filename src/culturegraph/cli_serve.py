"""``culturegraph serve``: the SPARQL endpoint, query page and linked-data pages in one process.

``--get PATH`` sends one request through the app in-process (no socket) and prints the response, like
datasette's ``serve --get``: a quick check and a cheap test of the whole stack.
"""

from __future__ import annotations

import asyncio
import importlib.util
import socket
import sys
from typing import Any

import click

from .cli import handle_errors, make_graph, root_option, store_options


@click.command("serve", short_help="Serve the SPARQL endpoint, the query page and the entity pages.")
@root_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port (0 = any free port).")
@click.option("--workers", type=int, default=None, help="Query worker processes (setting query_workers).")
@click.option("--timeout", type=float, default=None, help="Seconds before a query is stopped (query_timeout).")
@click.option("--max-rows", type=int, default=None, help="Most rows returned per query (max_rows).")
@click.option("--queue", "queue_limit", type=int, default=None,
              help="Requests that may wait for a busy worker before a 503 (default: 8 per worker).")
@click.option("--get", "get_path", default=None, metavar="PATH",
              help="Send one GET request for PATH through the app without a socket, print the body, exit.")
@click.option("--accept", default=None, help="With --get: the Accept header to send.")
@click.option("--access-log", is_flag=True, help="Log every request.")
@store_options
@handle_errors
def serve_cmd(root: str | None, host: str, port: int, workers: int | None, timeout: float | None,
              max_rows: int | None, queue_limit: int | None, get_path: str | None, accept: str | None,
              access_log: bool) -> None:
    """Load the data (from data/ and ontology/, no build step needed) and serve it:

    \b
      /             query page: editor, named queries, results table, downloads
      /sparql       SPARQL 1.1 Protocol endpoint (read-only; GET, POST form, POST direct)
      /id/KIND/ID   entity pages: HTML, or Turtle / JSON-LD / N-Triples / RDF/XML by Accept

    Queries run in worker processes without network access, with a time limit, a memory limit, a row
    and a byte limit on results and a request size limit (docs/security.md).
    """
    from .server import create_app

    cg = make_graph(root, query_workers=workers if workers is not None else (1 if get_path else None),
                    query_timeout=timeout, max_rows=max_rows)
    # load now (the prebuilt dist/ dump when the data is unchanged): data errors are reported before
    # anything listens
    cg.engine  # noqa: B018
    app = create_app(cg, cg.settings, queue_limit=queue_limit, notice=lambda line: click.echo(line, err=True))
    if get_path is not None:
        status, _headers, body = asyncio.run(request_in_process(app, get_path, accept))
        sys.stdout.buffer.write(body)
        if body and not body.endswith(b"\n"):
            sys.stdout.buffer.write(b"\n")
        sys.stdout.flush()
        if status >= 400:
            sys.exit(1)
        return
    sock = bind(host, port)
    import uvicorn

    # a page rendered in the thread pool holds the GIL; the event loop gets it back within 1 ms instead of
    # 5: a cheap query's p95 beside a client looping on the heaviest entity page at 1M went 14.8 -> 3.4 ms
    # (that page: 49 -> 39 a second). decisions.md, 2026-12-05.
    sys.setswitchinterval(0.001)
    actual = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"culturegraph: {len(cg.store):,} quads from {cg.root}")
    click.echo(f"serving http://{shown}:{actual}/  (SPARQL endpoint http://{shown}:{actual}/sparql; "
               "Ctrl-C stops)")
    from .http_limits import timed_protocol

    # uvloop and httptools where installed: 1.5x the requests per second of asyncio and h11 (decisions.md)
    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    config = uvicorn.Config(app, log_level="warning", access_log=access_log, lifespan="on", loop=loop,
                            timeout_graceful_shutdown=5, http=timed_protocol(cg.settings.client_timeout))
    uvicorn.Server(config).run(sockets=[sock])


def bind(host: str, port: int) -> socket.socket:
    """A listening socket, or one readable error when the address is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto=IPPROTO_TCP: asyncio only sets TCP_NODELAY on accepted sockets that say they are TCP; without
    # it every response waits ~40 ms for a delayed ACK (Nagle).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror} "
                                   "(use --port to pick another port, or --port 0 for any free one)") from exc
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


async def request_in_process(app: Any, path: str, accept: str | None = None, method: str = "GET",
                             body: bytes = b"") -> tuple[int, list[tuple[str, str]], bytes]:
    """Run the app's start-up, send one request through it (no socket), shut it down again."""
    from urllib.parse import urlsplit

    parts = urlsplit(path)
    headers = [(b"host", b"localhost")]
    if accept:
        headers.append((b"accept", accept.encode("latin-1")))
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
             "scheme": "http", "path": parts.path or "/", "raw_path": (parts.path or "/").encode(),
             "query_string": parts.query.encode(), "root_path": "", "headers": headers,
             "server": ("localhost", 80), "client": ("127.0.0.1", 0)}
    sent = False
    status = 500
    out_headers: list[tuple[str, str]] = []
    chunks: list[bytes] = []

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.Event().wait()  # no disconnect until the response is complete
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
            out_headers.extend((k.decode("latin-1"), v.decode("latin-1")) for k, v in message["headers"])
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    async with app.router.lifespan_context(app):
        await app(scope, receive, send)
    return status, out_headers, b"".join(chunks)
