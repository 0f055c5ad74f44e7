"""Pages of the site shell that are not the endpoint: search by name (``/search``) and the list of views
(``/views``). The server (:mod:`culturegraph.server`) mounts them with its own page renderer; search runs in
the thread pool on the facade's search index (:mod:`culturegraph.search`)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

if TYPE_CHECKING:
    from .api import CultureGraph

MAX_QUERY = 200  # characters of a search; longer input is cut, never an error
#: the shell's own words (the data's labels follow the same language choice)
SHELL_UI = {
    "en": {"tagline": "ASEAN-Korea cultural cooperation knowledge graph", "search": "Search",
           "search_hint": "a name: organisation, person, programme, place…", "explore": "Explore",
           "query": "Query", "data": "Data", "no_match": "No name matches.", "closest": "Closest names:",
           "views_intro": "Networks and timelines drawn from the graph; each works offline and prints as a brief.",
           "language": "language"},
    "ko": {"tagline": "한-아세안 문화 협력 지식 그래프", "search": "검색",
           "search_hint": "이름: 기관, 인물, 사업, 장소…", "explore": "둘러보기", "query": "질의", "data": "데이터",
           "no_match": "일치하는 이름이 없습니다.", "closest": "가장 가까운 이름:",
           "views_intro": "그래프에서 그린 네트워크와 연표입니다. 모두 오프라인으로 열리고 요약본으로 인쇄됩니다.",
           "language": "언어"},
    "id": {"tagline": "Graf pengetahuan kerja sama budaya ASEAN-Korea", "search": "Cari",
           "search_hint": "nama: organisasi, orang, program, tempat…", "explore": "Jelajahi", "query": "Kueri",
           "data": "Data", "no_match": "Tidak ada nama yang cocok.", "closest": "Nama terdekat:",
           "views_intro": "Jaringan dan linimasa dari graf; semuanya berfungsi luring dan dapat dicetak sebagai "
                          "ringkasan.",
           "language": "bahasa"},
}
KIND_NAMES = {
    "en": {"organisation": "Organisations", "person": "People", "series": "Programmes with editions",
           "edition": "Editions and meetings", "event": "Events", "programme": "Programmes", "project": "Projects",
           "fund": "Funds", "agreement": "Agreements and documents", "designated-year": "Designated years",
           "site": "Heritage sites", "city": "Cities", "country": "Countries", "venue": "Venues",
           "theme": "Themes", "session": "Sessions"},
    "ko": {"organisation": "기관", "person": "인물", "series": "정기 사업", "edition": "회차·회의", "event": "행사",
           "programme": "사업", "project": "프로젝트", "fund": "기금", "agreement": "협약·문서",
           "designated-year": "지정 교류의 해", "site": "유산 유적지", "city": "도시", "country": "국가",
           "venue": "행사장", "theme": "주제", "session": "세션"},
    "id": {"organisation": "Organisasi", "person": "Orang", "series": "Program berkala", "edition": "Edisi dan rapat",
           "event": "Acara", "programme": "Program", "project": "Proyek", "fund": "Dana",
           "agreement": "Perjanjian dan dokumen", "designated-year": "Tahun yang ditetapkan",
           "site": "Situs warisan", "city": "Kota", "country": "Negara", "venue": "Tempat", "theme": "Tema",
           "session": "Sesi"},
}


def site_routes(cg: CultureGraph, page: Callable[..., Response], request_lang: Callable[[Request], str]
                ) -> list[Route]:
    """``/search`` and ``/views``, rendered with the server's ``page`` (templates, language, shell)."""

    def search_answer(request: Request) -> Response:
        text = request.query_params.get("q", "")[:MAX_QUERY].strip()
        lang = request_lang(request)
        res = cg.search(text, lang=lang, limit=50) if text else None
        accept = request.headers.get("accept", "")
        if request.query_params.get("format") == "json" or ("application/json" in accept and "html" not in accept):
            body = res.as_json() if res is not None else {"query": "", "hits": [], "suggestions": []}
            return JSONResponse(body, headers={"Vary": "Accept"})
        names = KIND_NAMES.get(lang, KIND_NAMES["en"])
        groups = [(names.get(kind, kind), hits) for kind, hits in res.groups()] if res is not None else []
        resp = page("server/search.html", request, q=text, groups=groups,
                    suggestions=res.suggestions if res is not None else [])
        resp.headers["Vary"] = "Accept"
        return resp

    async def search(request: Request) -> Response:
        return await run_in_threadpool(search_answer, request)

    previews: dict[tuple[str, str], bytes] = {}
    lock = threading.Lock()

    def preview_png(preset: str, lang: str) -> bytes:
        """A small picture of a view: its printable brief, drawn at thumbnail size once and kept (the graph
        does not change while the server runs)."""
        key = (preset, lang)
        with lock:
            if key in previews:
                return previews[key]
        import io

        from .brief import figure
        from .network import view_for

        buf = io.BytesIO()
        figure(view_for(cg, preset, lang=lang)).savefig(buf, format="png", dpi=24)
        with lock:
            previews[key] = buf.getvalue()
        return previews[key]

    def preview_answer(request: Request) -> Response:
        from .network import presets

        preset = request.path_params["preset"]
        if preset not in presets() or preset == "ego":
            from .errors import NotFound

            raise NotFound(f"no view preset {preset!r} with a preview")
        return Response(preview_png(preset, request_lang(request)), media_type="image/png",
                        headers={"Cache-Control": "max-age=3600"})

    async def preview(request: Request) -> Response:
        return await run_in_threadpool(preview_answer, request)

    def views_index(request: Request) -> Response:
        from .network import TITLES, presets

        lang = request_lang(request)
        shown = [{"name": p.name, "title": TITLES.get(lang, {}).get(p.name, p.title), "description": p.description}
                 for p in presets().values() if p.name != "ego"]
        return page("server/views.html", request, views=shown)

    return [Route("/search", search, methods=["GET", "HEAD"]),
            Route("/views", views_index, methods=["GET", "HEAD"]),
            Route("/views/{preset}/preview.png", preview, methods=["GET", "HEAD"])]

