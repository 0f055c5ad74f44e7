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
#: what each view shows, in the page languages (English is the presets' own, network.py)
VIEW_DESCRIPTIONS = {
    "ko": {"entity": "모든 개체(회차, 세션, 연계 행사, 협약, 인물, 기관, 장소, 주제)와 그 사이의 진술.",
           "organisations": "같은 회차에 참여한 기관끼리 이은 네트워크. 선 굵기는 함께한 회차 수.",
           "themes": "주제와 그 주제가 붙은 회차·세션, 주제의 상하 관계, 같은 행사에 함께 나온 주제.",
           "countries": "각 회차의 개최국과 참가국.",
           "people": "인물, 당시 소속 기관, 참여한 회차.",
           "field": "한-아세안 문화 협력의 모든 사업을 연도별로: 사업마다 한 줄, "
                    "회차와 행사는 해당 연도에, 개최지와 함께."},
    "id": {"entity": "Semua entitas (edisi, sesi, acara terkait, perjanjian, orang, organisasi, tempat, tema) "
                     "dan pernyataan di antaranya.",
           "organisations": "Organisasi yang terhubung karena ikut dalam edisi yang sama; "
                            "bobot = jumlah edisi bersama.",
           "themes": "Tema beserta edisi dan sesi yang memakainya, hierarki tema, dan tema yang muncul bersama.",
           "countries": "Negara tuan rumah dan negara peserta setiap edisi.",
           "people": "Orang, organisasi yang mereka wakili saat itu, dan edisi yang mereka ikuti.",
           "field": "Setiap program kerja sama budaya ASEAN-Korea menurut tahun: satu baris per program, "
                    "setiap edisi atau acara pada tahunnya, dengan tempat penyelenggaraannya."},
}
#: the shell's own words (the data's labels follow the same language choice)
SHELL_UI = {
    "en": {"tagline": "ASEAN-Korea cultural cooperation knowledge graph", "search": "Search",
           "search_hint": "a name: organisation, person, programme, place…", "explore": "Explore",
           "query": "Query", "data": "Data", "no_match": "No name matches.", "closest": "Closest names:",
           "views_intro": "Networks and timelines drawn from the graph; each works offline and prints as a brief.",
           "language": "language", "draft": "Draft from an article",
           "draft_intro": "Paste a press release or news article (Indonesian, Korean, English or Japanese) that "
                          "announces an event: you get its records as a draft to review, linked to what the graph "
                          "knows. Nothing is stored or fetched.",
           "draft_article": "Article text", "draft_url": "Address of the article", "draft_button": "Draft",
           "draft_download": "Download YAML",
           "draft_review": "Every fact cites the article and is marked confidence: low and drafted: true. Review "
                           "it against the article, then check and merge it as data/README.md shows."},
    "ko": {"tagline": "한-아세안 문화 협력 지식 그래프", "search": "검색",
           "search_hint": "이름: 기관, 인물, 사업, 장소…", "explore": "둘러보기", "query": "질의", "data": "데이터",
           "no_match": "일치하는 이름이 없습니다.", "closest": "가장 가까운 이름:",
           "views_intro": "그래프에서 그린 네트워크와 연표입니다. 모두 오프라인으로 열리고 요약본으로 인쇄됩니다.",
           "language": "언어", "draft": "기사로 초안 만들기",
           "draft_intro": "행사를 알리는 보도자료나 기사(인도네시아어, 한국어, 영어, 일본어)를 붙여 넣으면 그래프가 "
                          "아는 기록과 연결된 초안을 검토용으로 만듭니다. 아무것도 저장하거나 내려받지 않습니다.",
           "draft_article": "기사 본문", "draft_url": "기사 주소", "draft_button": "초안 만들기",
           "draft_download": "YAML 내려받기",
           "draft_review": "모든 사실은 기사를 출처로 하며 confidence: low, drafted: true로 표시됩니다. 기사와 대조해 "
                           "검토한 뒤 data/README.md대로 확인하고 병합하세요."},
    "id": {"tagline": "Graf pengetahuan kerja sama budaya ASEAN-Korea", "search": "Cari",
           "search_hint": "nama: organisasi, orang, program, tempat…", "explore": "Jelajahi", "query": "Kueri",
           "data": "Data", "no_match": "Tidak ada nama yang cocok.", "closest": "Nama terdekat:",
           "views_intro": "Jaringan dan linimasa dari graf; semuanya berfungsi luring dan dapat dicetak sebagai "
                          "ringkasan.",
           "language": "bahasa", "draft": "Draf dari artikel",
           "draft_intro": "Tempel siaran pers atau artikel berita (Indonesia, Korea, Inggris, atau Jepang) yang "
                          "mengumumkan sebuah acara: catatannya menjadi draf untuk ditinjau, terhubung dengan yang "
                          "sudah ada di graf. Tidak ada yang disimpan atau diunduh.",
           "draft_article": "Teks artikel", "draft_url": "Alamat artikel", "draft_button": "Buat draf",
           "draft_download": "Unduh YAML",
           "draft_review": "Setiap fakta mengutip artikel dan ditandai confidence: low serta drafted: true. "
                           "Tinjau dengan artikelnya, lalu periksa dan gabungkan seperti di data/README.md."},
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


# the query and entity pages' own words
SHELL_UI["en"].update({
    "named_queries": 'Named queries',
    "sparql_query": 'SPARQL query',
    "predeclared": 'prefixes such as {x} are predeclared',
    "parameters_of": 'Parameters of',
    "edit_plain": 'edit the query text to run it as plain SPARQL instead',
    "run": 'Run query',
    "labels": 'labels',
    "permalink": 'permalink',
    "download": 'download:',
    "limits": 'At most {rows} rows per query; queries stop after {secs} s.',
    "data": 'Data',
    "query_link": 'query',
    "network_view": 'network view',
    "statements": 'Statements',
    "property": 'property',
    "value": 'value',
    "sources_conf": 'sources and confidence',
    "record_sources": 'record sources',
    "sources_of_record": 'Sources of this record',
    "conflicts": 'Conflicting readings',
    "asserted": 'asserted',
    "not_asserted": 'not asserted',
    "referenced_by": 'Referenced by',
    "resource": 'resource',
    "details": 'details',
    "running": 'Running…',
    "rows_in": '{n} rows in {ms} ms',
    "row_in": '{n} row in {ms} ms',
    "show_as": 'show as ',
    "table_only": 'table only',
    "no_named": 'No named queries yet.',
})
SHELL_UI["ko"].update({
    "named_queries": '저장된 질의',
    "sparql_query": 'SPARQL 질의',
    "predeclared": '{x} 같은 접두사는 미리 선언되어 있습니다',
    "parameters_of": '매개변수:',
    "edit_plain": '질의문을 고치면 일반 SPARQL로 실행됩니다',
    "run": '질의 실행',
    "labels": '레이블',
    "permalink": '고정 링크',
    "download": '내려받기:',
    "limits": '질의당 최대 {rows}행, {secs}초가 지나면 멈춥니다.',
    "data": '데이터',
    "query_link": '질의',
    "network_view": '네트워크 보기',
    "statements": '진술',
    "property": '속성',
    "value": '값',
    "sources_conf": '출처와 신뢰도',
    "record_sources": '레코드 출처',
    "sources_of_record": '이 레코드의 출처',
    "conflicts": '서로 다른 기록',
    "asserted": '채택',
    "not_asserted": '미채택',
    "referenced_by": '이 항목을 가리키는 것',
    "resource": '자원',
    "details": '세부',
    "running": '실행 중…',
    "rows_in": '{n}행, {ms}ms',
    "row_in": '{n}행, {ms}ms',
    "show_as": '보기 방식 ',
    "table_only": '표만',
    "no_named": '저장된 질의가 아직 없습니다.',
})
SHELL_UI["id"].update({
    "named_queries": 'Kueri bernama',
    "sparql_query": 'Kueri SPARQL',
    "predeclared": 'prefiks seperti {x} sudah dideklarasikan',
    "parameters_of": 'Parameter',
    "edit_plain": 'ubah teks kueri untuk menjalankannya sebagai SPARQL biasa',
    "run": 'Jalankan kueri',
    "labels": 'label',
    "permalink": 'tautan tetap',
    "download": 'unduh:',
    "limits": 'Paling banyak {rows} baris per kueri; kueri berhenti setelah {secs} detik.',
    "data": 'Data',
    "query_link": 'kueri',
    "network_view": 'tampilan jaringan',
    "statements": 'Pernyataan',
    "property": 'properti',
    "value": 'nilai',
    "sources_conf": 'sumber dan tingkat keyakinan',
    "record_sources": 'sumber rekaman',
    "sources_of_record": 'Sumber rekaman ini',
    "conflicts": 'Bacaan yang bertentangan',
    "asserted": 'dipegang',
    "not_asserted": 'tidak dipegang',
    "referenced_by": 'Dirujuk oleh',
    "resource": 'sumber daya',
    "details": 'rincian',
    "running": 'Menjalankan…',
    "rows_in": '{n} baris dalam {ms} md',
    "row_in": '{n} baris dalam {ms} md',
    "show_as": 'tampilkan sebagai ',
    "table_only": 'tabel saja',
    "no_named": 'Belum ada kueri bernama.',
})


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
        shown = [{"name": p.name, "title": TITLES.get(lang, {}).get(p.name, p.title),
                  "description": VIEW_DESCRIPTIONS.get(lang, {}).get(p.name, p.description)}
                 for p in presets().values() if p.name != "ego"]
        return page("server/views.html", request, views=shown)

    def path_answer(request: Request) -> Response:
        """How two entities are connected (``culturegraph path``), each step with its sources."""
        from .errors import CultureGraphError

        a = request.query_params.get("from", "")[:MAX_QUERY].strip()
        b = request.query_params.get("to", "")[:MAX_QUERY].strip()
        hubs = request.query_params.get("hubs") == "1"
        steps, problem = [], ""
        if a and b:
            try:
                steps = cg.path(a, b, lang=request_lang(request), through_hubs=hubs)
            except CultureGraphError as exc:
                problem = str(exc)
        return page("server/path.html", request, a=a, b=b, hubs=hubs, steps=steps, problem=problem)

    async def path(request: Request) -> Response:
        return await run_in_threadpool(path_answer, request)

    return [Route("/search", search, methods=["GET", "HEAD"]),
            Route("/path", path, methods=["GET", "HEAD"]),
            Route("/views", views_index, methods=["GET", "HEAD"]),
            Route("/views/{preset}/preview.png", preview, methods=["GET", "HEAD"])]

