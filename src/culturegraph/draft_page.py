"""``/draft``: paste a news article in the browser and get the reviewable draft that ``culturegraph draft``
writes (:mod:`culturegraph.draft`), to read on the page or download as YAML. Nothing is stored and nothing
is fetched; the article's address only goes into the source record."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .sparql_protocol import read_body

if TYPE_CHECKING:
    from .api import CultureGraph

MAX_ARTICLE = 100_000  # characters of a pasted article; an announcement is a few thousand


def draft_routes(cg: CultureGraph, page: Callable[..., Response]) -> list[Route]:
    """``GET /draft`` (the form) and ``POST /draft`` (the draft, as a page or ``format=yaml``)."""
    st = cg.settings

    async def draft(request: Request) -> Response:
        if request.method in ("GET", "HEAD"):
            return page("server/draft.html", request, text="", url="", article_lang="auto")
        body = await read_body(request, st.max_body_bytes, st.client_timeout)
        return await run_in_threadpool(answer, request, body)

    def answer(request: Request, body: bytes) -> Response:
        from .draft import LANGUAGES, DraftError, draft_article

        form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
        text = form.get("text", [""])[0][:MAX_ARTICLE]
        url = form.get("url", [""])[0].strip()[:2000]
        lang = form.get("article_lang", ["auto"])[0]
        lang = lang if lang in (*LANGUAGES, "auto") else "auto"
        keep = {"text": text, "url": url, "article_lang": lang}
        if not text.strip():
            return page("server/draft.html", request, 422, error="the article is empty: paste its text", **keep)
        try:
            d = draft_article(cg, Path("pasted article"), url=url or None, lang=lang, content=text.encode("utf-8"))
        except DraftError as exc:
            return page("server/draft.html", request, 422, error=str(exc).removeprefix("pasted article: "), **keep)
        yaml = d.to_yaml()
        if form.get("format", [""])[0] == "yaml":
            name = (d.event or "article") + ".yaml"
            return Response(yaml.encode("utf-8"), media_type="application/yaml; charset=utf-8",
                            headers={"Content-Disposition": f'attachment; filename="{name}"'})
        summary = {"event": d.event, "exists": d.event_exists, "language": d.article.language,
                   "organisations": len(d.organisations), "people": len(d.people),
                   "new": len(d.new_people) + len(d.new_bodies)}
        return page("server/draft.html", request, draft=yaml, summary=summary, **keep)

    return [Route("/draft", draft, methods=["GET", "HEAD", "POST"])]
