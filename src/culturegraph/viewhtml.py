"""A :class:`~culturegraph.network.View` as one self-contained, offline HTML page.

Why not pyvis's HTML: pyvis 0.3.2's templates load Bootstrap and tom-select from CDNs in every
``cdn_resources`` mode (``local`` also writes a ``lib/`` folder next to the page), switch tooltips to
``innerHTML`` as soon as one title contains "href", and ``Network.from_nx`` is quadratic. Filling
``Network.nodes``/``edges`` ourselves would leave pyvis as nothing more than two lists of dicts, so we drop
it and keep only what it ships that we need: vis-network 9.1.2, vendored under ``static/vendor/vis-network``
with its licence and inlined here. The page has a Content-Security-Policy that allows only its own scripts
(by hash), no network (``connect-src 'none'``, images only from ``data:``), and draws every piece of text
with ``textContent`` (``view.js``); the data travels as JSON in a non-executable ``<script
type="application/json">`` with ``<``, ``>``, ``&``, U+2028 and U+2029 escaped.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from .network import OTHER_LINE, STYLES, View, ViewOptions, relation_colours

if TYPE_CHECKING:
    from .api import CultureGraph

SEED = 20191125  # vis-network layout.randomSeed: same data, same picture
SHORT_LABEL = 42

UI: dict[str, dict[str, str]] = {
    "en": {"search": "Search", "search_hint": "name or id", "year": "Year", "all_years": "all years",
           "only_year": "only this year", "up_to": "up to {y}", "legend": "Legend", "details": "Details",
           "click_hint": "Hover over a node or a line for a summary; click it for details and source links.",
           "matches": "{n} found", "no_match": "not found", "years": "Years", "dates": "Dates",
           "connections": "Connections", "identifier": "Id", "members": "Members", "weight": "Weight",
           "shared_events": "Shared editions", "shared_sessions": "Shared sessions and side events",
           "statements": "Statements", "sources": "Sources", "more": "… and {n} more",
           "noscript": "This view needs JavaScript. `culturegraph viz … --table FILE.csv` writes the same nodes "
                       "and edges as a table.",
           "size_degree": "Node size: number of connections (weighted).",
           "size_betweenness": "Node size: betweenness centrality (how often a node lies on shortest paths).",
           "edge_note": "Line width: weight (for organisations, the number of shared editions); zoom in to "
                        "read line labels.",
           "lines": "Lines", "other_lines": "other relations",
           "all_editions": "all editions", "size_word_degree": "number of connections",
           "size_word_betweenness": "betweenness centrality",
           "brief_note": "Data: culturegraph, sources dated up to {date}. Node size: {size}; line width: weight. "
                         "Sources: every node and line rests on public documents ({n} cited in this view) — see "
                         "the interactive view or the --table CSV for each one.",
           "counts": "{nodes} nodes, {edges} edges.",
           "about": "Data: culturegraph, sources dated up to {date}. Every node and line lists the public "
                    "sources that state it (click it).",
           "grouped": "This view has {n} nodes, more than the limit of {limit}: nodes are grouped by {key}. "
                      "Narrow it (years, theme, country, classes) to see individual nodes.",
           "thinned": "Only the strongest links are drawn: {shown} of {total}, those of weight {w} or more "
                      "(at most {limit} are drawn unless a minimum weight is chosen). Node sizes count every "
                      "link."},
    "ko": {"search": "검색", "search_hint": "이름 또는 ID", "year": "연도", "all_years": "전체 연도",
           "only_year": "해당 연도만", "up_to": "{y}년까지", "legend": "범례", "details": "상세 정보",
           "click_hint": "노드나 선 위에 마우스를 올리면 요약이, 클릭하면 상세 정보와 출처 링크가 보입니다.",
           "matches": "{n}건", "no_match": "결과 없음", "years": "연도", "dates": "날짜",
           "connections": "연결 수", "identifier": "ID", "members": "구성", "weight": "가중치",
           "shared_events": "함께 참여한 회차", "shared_sessions": "함께 참여한 세션·연계 행사",
           "statements": "진술", "sources": "출처", "more": "… 외 {n}건",
           "noscript": "이 화면에는 JavaScript가 필요합니다. `culturegraph viz … --table FILE.csv`로 같은 "
                       "노드와 엣지를 표로 받을 수 있습니다.",
           "size_degree": "노드 크기: 연결 수(가중).",
           "size_betweenness": "노드 크기: 매개 중심성.",
           "edge_note": "선 굵기: 가중치(기관의 경우 함께 참여한 회차 수). 확대하면 선 이름이 보입니다.",
           "lines": "선", "other_lines": "기타 관계",
           "all_editions": "전체 회차", "size_word_degree": "연결 수", "size_word_betweenness": "매개 중심성",
           "brief_note": "데이터: culturegraph, {date}까지의 출처. 노드 크기: {size}; 선 굵기: 가중치. "
                         "출처: 모든 노드와 선은 공개 문서에 근거합니다(이 화면에서 {n}건 인용). "
                         "각 출처는 대화형 화면이나 --table CSV에서 볼 수 있습니다.",
           "counts": "노드 {nodes}개, 엣지 {edges}개.",
           "about": "데이터: culturegraph, {date}까지의 출처. 모든 노드와 선은 이를 진술하는 공개 출처를 "
                    "보여 줍니다(클릭).",
           "grouped": "노드가 {n}개로 한도 {limit}개를 넘어 {key} 기준으로 묶었습니다. 연도·주제·국가·"
                      "클래스로 좁히면 개별 노드가 보입니다.",
           "thinned": "가장 강한 연결만 그렸습니다: 전체 {total}개 중 가중치 {w} 이상인 {shown}개 (최소 가중치를 "
                      "정하지 않으면 최대 {limit}개). 노드 크기는 모든 연결을 셉니다."},
    "id": {"search": "Cari", "search_hint": "nama atau id", "year": "Tahun", "all_years": "semua tahun",
           "only_year": "hanya tahun ini", "up_to": "sampai {y}", "legend": "Legenda", "details": "Rincian",
           "click_hint": "Arahkan kursor ke simpul atau garis untuk ringkasan; klik untuk rincian dan tautan "
                         "sumber.",
           "matches": "{n} ditemukan", "no_match": "tidak ditemukan", "years": "Tahun", "dates": "Tanggal",
           "connections": "Koneksi", "identifier": "Id", "members": "Anggota", "weight": "Bobot",
           "shared_events": "Edisi bersama", "shared_sessions": "Sesi dan acara terkait bersama",
           "statements": "Pernyataan", "sources": "Sumber", "more": "… dan {n} lainnya",
           "noscript": "Tampilan ini memerlukan JavaScript. `culturegraph viz … --table FILE.csv` menulis simpul "
                       "dan sisi yang sama sebagai tabel.",
           "size_degree": "Ukuran simpul: jumlah koneksi (berbobot).",
           "size_betweenness": "Ukuran simpul: sentralitas keantaraan.",
           "edge_note": "Tebal garis: bobot (untuk organisasi, jumlah edisi bersama); perbesar untuk membaca "
                        "label garis.",
           "lines": "Garis", "other_lines": "relasi lain",
           "all_editions": "semua edisi", "size_word_degree": "jumlah koneksi",
           "size_word_betweenness": "sentralitas keantaraan",
           "brief_note": "Data: culturegraph, sumber bertanggal hingga {date}. Ukuran simpul: {size}; tebal garis: "
                         "bobot. Sumber: setiap simpul dan garis bersandar pada dokumen publik ({n} dikutip dalam "
                         "tampilan ini) — lihat tampilan interaktif atau CSV --table untuk masing-masing.",
           "counts": "{nodes} simpul, {edges} sisi.",
           "about": "Data: culturegraph, sumber bertanggal hingga {date}. Setiap simpul dan garis mencantumkan "
                    "sumber publik yang menyatakannya (klik).",
           "grouped": "Tampilan ini memiliki {n} simpul, melebihi batas {limit}: simpul dikelompokkan menurut "
                      "{key}. Persempit (tahun, tema, negara, kelas) untuk melihat simpul satu per satu.",
           "thinned": "Hanya hubungan terkuat yang digambar: {shown} dari {total}, yang berbobot {w} atau lebih "
                      "(paling banyak {limit} kecuali bobot minimum dipilih). Ukuran simpul menghitung semua "
                      "hubungan."},
}

#: Legend glyphs (18×18 SVG paths) matching the vis-network shapes.
GLYPHS = {
    "star": "M9 1l2.2 5.3 5.8.5-4.4 3.8 1.3 5.6L9 13.3 4.1 16.2l1.3-5.6L1 6.8l5.8-.5z",
    "triangle": "M9 2l7 13H2z", "triangleDown": "M2 3h14L9 16z", "square": "M3 3h12v12H3z",
    "hexagon": "M5 2h8l4 7-4 7H5L1 9z", "diamond": "M9 1l8 8-8 8-8-8z",
    "dot": "M9 2a7 7 0 1 0 .01 0z", "ellipse": "M9 4c4.4 0 8 2.2 8 5s-3.6 5-8 5-8-2.2-8-5 3.6-5 8-5z",
}


def ui_strings(lang: str) -> dict[str, str]:
    """The page's own words in ``lang`` (en, ko, id; anything else falls back to English)."""
    return UI.get((lang or "en").split("-")[0].lower(), UI["en"])


def safe_json(obj: Any) -> str:
    """JSON that cannot end a ``<script>`` element or open a comment: ``<``, ``>``, ``&`` and (by
    ``ensure_ascii``) U+2028/U+2029 are ``\\u`` escapes; keys sorted for byte-identical output."""
    text = json.dumps(obj, ensure_ascii=True, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@cache
def _asset(package: str, name: str) -> str:
    return resources.files(package).joinpath(*name.split("/")).read_text(encoding="utf-8")


def vendored(name: str) -> str:
    """A vendored vis-network file; refuses one that could close its inline element early."""
    text = _asset("culturegraph", f"static/vendor/vis-network/{name}")
    low = text.lower()
    if "</script" in low or "</style" in low or "<!--" in low:
        raise ValueError(f"vendored {name} contains a sequence that would end its inline element")
    return text


def _short(label: str) -> str:
    return label if len(label) <= SHORT_LABEL else label[: SHORT_LABEL - 1].rstrip() + "…"


def view_data(view: View) -> dict[str, Any]:
    """Everything the page script needs, as plain JSON-able data (sorted)."""
    g = view.graph
    ui = ui_strings(view.options.lang)
    sources: list[tuple[str, str]] = sorted({tuple(s) for _, d in g.nodes(data=True) for s in d.get("sources", ())}
                                            | {tuple(s) for *_, d in g.edges(data=True) for s in d.get("sources", ())})
    src_index = {s: i for i, s in enumerate(sources)}
    nodes = []
    for n, d in g.nodes(data=True):
        style = STYLES.get(d["type"], STYLES["Group"])
        nodes.append({
            "id": n, "label": d["label"], "short": _short(d["label"]), "type": d["type"],
            "typeLabel": d.get("type_label", d["type"]), "shape": style.shape, "color": style.color,
            "value": d.get("size", 1), "degree": d.get("degree", 0), "years": d.get("years", []),
            "start": d.get("start"), "end": d.get("end"), "rid": d.get("id", ""),
            "sources": [src_index[tuple(s)] for s in d.get("sources", ())],
            **({"members": d["members"]} if d.get("members") else {}),
            **({"center": True} if d.get("center") else {}),
        })
    uniform = len({tuple(d.get("relations", ())) for *_, d in g.edges(data=True)}) == 1
    colours = relation_colours(view)
    edges = []
    for u, v, d in g.edges(data=True):
        label = d.get("label", "")
        if uniform:
            # One relation everywhere (organisations: "took part in the same edition") says nothing per
            # line: the legend names it and the line shows its weight instead.
            label = str(d["weight"]) if d.get("weight", 1) > 1 else ""
        elif d.get("weight", 1) > 1 and view.preset.name != "entity":
            label = f"{label} ×{d['weight']}"
        rels = d.get("relations", [])
        edges.append({
            "from": u, "to": v, "label": _short(label), "relations": rels,
            "color": next((colours[r][0] for r in rels if r in colours), OTHER_LINE),
            "weight": d.get("weight", 1), "years": d.get("years", []),
            "events": d.get("events", []), "sessions": sorted(set(d.get("sessions", []))),
            "statements": [f"{_lbl(g, s)} → {rel} → {_lbl(g, o)}" for s, rel, o, _ in d.get("statements", [])],
            "sources": [src_index[tuple(s)] for s in d.get("sources", ())],
        })
    n = g.number_of_nodes()
    options = vis_options(n, g.number_of_edges())
    if view.positions:
        for node in nodes:
            node["x"], node["y"] = view.positions[node["id"]]
        options["physics"]["enabled"] = False
    if not view.axis:
        # the centre of an ego view and the biggest nodes keep a readable label at the first, zoomed-out
        # picture (elsewhere labels appear as one zooms in): a big view no longer opens as unnamed dots
        ranked = sorted(nodes, key=lambda nd: (-nd["value"], nd["label"], nd["id"]))
        for node in ranked[:READABLE_LABELS] + [nd for nd in nodes if nd.get("center")]:
            node["readable"] = True
    if view.axis:  # grid layout: the rows' names readable at the first zoom, and the years above the grid
        for node in nodes:
            if not g.nodes[node["id"]].get("full_label"):
                node["font"] = {"size": 30}
                node["fixedFont"] = True
            else:
                node["label"] = g.nodes[node["id"]]["full_label"]  # the tooltip names it; the line shows where
        nodes += [{"id": f"axis-{text}", "label": text, "short": text, "type": "Axis", "typeLabel": "",
                   "shape": "text", "color": "#46515c", "value": 1, "degree": 0, "years": [], "start": None,
                   "end": None, "rid": "", "sources": [], "x": x, "y": y, "axis": True, "font": {"size": 30},
                   "fixedFont": True} for text, x, y in view.axis]
    return {"nodes": nodes, "edges": edges, "sources": [list(s) for s in sources], "years": view.years,
            "ui": ui, "options": options}


def _lbl(g, iri: str) -> str:
    return g.nodes[iri]["label"] if iri in g else iri.rstrip("/").rsplit("/", 1)[-1]


def vis_options(n: int, m: int) -> dict[str, Any]:
    """vis-network options: seeded layout, physics that stabilises (then the page turns it off)."""
    # forceAtlas2 costs ~45 ms per iteration at 1,500 nodes / 4,000 edges in headless Chromium on 2 cores:
    # fewer iterations (and no overlap avoidance) for big views keep stabilisation under ~3 s.
    iterations = max(60, min(1000, 150_000 // max(n + m, 1)))
    spread = 1.6 if n <= 60 else 1.0  # small views get more room: long labels need it
    return {
        "autoResize": True,
        "layout": {"randomSeed": SEED, "improvedLayout": n <= 150},
        "physics": {
            "enabled": True, "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -80 * spread, "centralGravity": 0.012,
                                 "springLength": 110 * spread,
                                 "springConstant": 0.06, "damping": 0.5, "avoidOverlap": 0.6 if n <= 500 else 0.0},
            "stabilization": {"enabled": True, "iterations": iterations, "updateInterval": 50, "fit": True},
            "minVelocity": 1.0, "timestep": 0.5,
        },
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": n > 400,
                        "hideEdgesOnZoom": n > 800, "keyboard": {"enabled": True, "bindToWindow": False},
                        "multiselect": True},
        "nodes": {
            "scaling": {"min": 8, "max": 42, "label": {"enabled": True, "min": 12, "max": 20, "drawThreshold": 7,
                                                       "maxVisible": 28}},
            "font": {"face": "Noto Sans, Noto Sans CJK KR, Apple SD Gothic Neo, Malgun Gothic, Arial, sans-serif",
                     "color": "#1d232a", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "borderWidth": 1,
        },
        "edges": {
            "smooth": False, "selectionWidth": 2, "hoverWidth": 1.5,
            "color": {"color": "#a3adb8", "highlight": "#1d232a", "hover": "#1d232a", "inherit": False},
            "font": {"size": 11, "color": "#46515c", "strokeWidth": 3, "strokeColor": "#ffffff", "align": "middle",
                     "face": "Noto Sans, Noto Sans CJK KR, Arial, sans-serif"},
            # line labels only once zoomed in (font × scale ≥ 12): the overview stays readable
            "scaling": {"min": 1, "max": 8, "label": {"enabled": False, "drawThreshold": 13}},
        },
    }


def _hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


#: nodes whose labels stay readable at the first, zoomed-out picture (the biggest, and an ego view's centre)
READABLE_LABELS = 12
#: the links back to the site on a served view page
SITE_NAV = {"en": {"explore": "All views", "search": "Search", "query": "Query", "table": "As a table"},
            "ko": {"explore": "모든 보기", "search": "검색", "query": "질의", "table": "표로 보기"},
            "id": {"explore": "Semua tampilan", "search": "Cari", "query": "Kueri", "table": "Sebagai tabel"}}


def render_html(view: View, *, served: bool = False, table_href: str = "") -> bytes:
    """The page as UTF-8 bytes: same view, same bytes (no timestamps, sorted data). ``served``: the page is
    the server's ``/views/…``, so it gets links back to the site (a file written by ``viz`` has none: they
    would point nowhere)."""
    import jinja2
    from markupsafe import Markup

    env = jinja2.Environment(loader=jinja2.PackageLoader("culturegraph", "templates"), autoescape=True,
                             keep_trailing_newline=True)
    ui = ui_strings(view.options.lang)
    vis_js = vendored("vis-network.min.js")
    view_js = _asset("culturegraph", "templates/views/view.js")
    g = view.graph
    legend = [{"label": label, "count": count, "color": STYLES[cls].color, "path": GLYPHS[STYLES[cls].shape],
               "type": cls} for cls, label, count in view.legend]
    colours = relation_colours(view)
    lines = [{"label": r, "color": c, "count": n, "key": c} for r, (c, n) in colours.items()]
    others = sum(1 for *_, d in g.edges(data=True) if not any(r in colours for r in d.get("relations", ())))
    if others:
        lines.append({"label": ui["other_lines"], "color": OTHER_LINE, "count": others, "key": OTHER_LINE})
    banner = ""
    if view.grouped:
        key = {"type": {"ko": "클래스", "id": "kelas"}.get(view.options.lang, "class"),
               "country": {"ko": "국가", "id": "negara"}.get(view.options.lang, "country")}[view.grouped]
        banner = ui["grouped"].format(n=f"{view.original_nodes:,}", limit=f"{view.node_limit:,}", key=key)
    if view.hidden_edges:
        shown = g.number_of_edges()
        banner = " ".join(filter(None, (banner, ui["thinned"].format(
            shown=f"{shown:,}", total=f"{shown + view.hidden_edges:,}", w=view.min_weight,
            limit=f"{view.edge_limit:,}"))))
    page = env.get_template("views/network.html").render(
        lang=(view.options.lang or "en"), title=view.title, subtitle=view.subtitle, ui=ui,
        timeline=view.timeline, years=view.years, legend=legend, lines=lines, banner=banner,
        size_note=ui["size_" + view.options.size_by], edge_note=ui["edge_note"],
        counts=ui["counts"].format(nodes=f"{g.number_of_nodes():,}", edges=f"{g.number_of_edges():,}"),
        about=ui["about"].format(date=view.data_date or "—"),
        script_hashes=Markup(" ".join(_hash(s) for s in (vis_js, view_js))),
        vis_css=Markup(vendored("vis-network.css")), view_css=Markup(_asset("culturegraph",
                                                                             "templates/views/view.css")),
        vis_js=Markup(vis_js), view_js=Markup(view_js), data_json=Markup(safe_json(view_data(view))),
        served=served, nav=SITE_NAV.get(view.options.lang, SITE_NAV["en"]), table_href=table_href,
    )
    return page.encode("utf-8")


# ---------------------------------------------------------------------------- HTTP entry point
PARAMS = ("from", "to", "theme", "country", "type", "entity", "radius", "lang", "size", "group", "min_weight")


def options_from_params(preset: str, params: Mapping[str, str]) -> ViewOptions:
    """Query parameters (``from``, ``to``, ``theme``, ``country``, ``type``, ``entity``, ``radius``, ``lang``,
    ``size``, ``group``, ``min_weight``) as :class:`ViewOptions`; raises :class:`ViewError` on a bad value."""
    from .network import ViewError

    unknown = sorted(set(params) - set(PARAMS))
    if unknown:
        raise ViewError(f"unknown view parameter(s): {', '.join(unknown)}; known: {', '.join(PARAMS)}")

    def integer(name: str) -> int | None:
        raw = (params.get(name) or "").strip()
        if not raw:
            return None
        try:
            return int(raw)
        except ValueError:
            raise ViewError(f"parameter {name!r} must be a whole number (got {raw!r})") from None

    lang = (params.get("lang") or "en").strip() or "en"
    if lang not in UI:
        raise ViewError(f"parameter 'lang' must be one of {', '.join(UI)} (got {lang!r})")
    return ViewOptions(
        preset=preset, year_from=integer("from"), year_to=integer("to"), theme=params.get("theme") or None,
        country=params.get("country") or None, types=tuple(t for t in (params.get("type") or "").split(",") if t),
        entity=params.get("entity") or None, radius=integer("radius") or 1, lang=lang,
        size_by=params.get("size") or "degree", group=params.get("group") or "auto",
        min_weight=integer("min_weight"),
    )


def render_view(cg: CultureGraph, preset: str, params: Mapping[str, str]) -> tuple[bytes, int]:
    """For the HTTP server's ``/views/<preset>``: ``(html_bytes, status)``. Errors become a small escaped
    HTML page with the error's HTTP status (400 bad parameter, 404 unknown preset/entity, 413 too large)."""
    from .errors import CultureGraphError
    from .network import build_view

    try:
        from urllib.parse import urlencode

        table = f"/views/{preset}?" + urlencode({**params, "format": "table"})
        return render_html(build_view(cg, options_from_params(preset, params)), served=True, table_href=table), 200
    except CultureGraphError as exc:
        return error_page(str(exc), exc.http_status), exc.http_status


class PageCache:
    """The last few view pages a server drew, by preset and parameters. A view of a million-triple graph
    takes seconds to draw, and the graph cannot change while a server runs (its index is read once too),
    so the same request gives the same bytes. Errors are not kept."""

    def __init__(self, cg: CultureGraph, size: int = 8):
        import threading
        from collections import OrderedDict

        self.cg, self.size = cg, size
        self.pages: OrderedDict[tuple, bytes] = OrderedDict()
        self.lock = threading.Lock()

    def __call__(self, preset: str, params: Mapping[str, str]) -> tuple[bytes, int]:
        key = (preset, tuple(sorted(params.items())))
        with self.lock:
            if key in self.pages:
                self.pages.move_to_end(key)
                return self.pages[key], 200
        body, status = render_view(self.cg, preset, params)
        if status == 200:
            with self.lock:
                self.pages[key] = body
                while len(self.pages) > self.size:
                    self.pages.popitem(last=False)
        return body, status


#: IRI kinds ({base}id/{kind}/{id}) whose resources are nodes of the entity graph, so have an ego view.
EGO_KINDS = frozenset({"edition", "session", "event", "agreement", "series", "programme", "organisation", "person",
                       "theme", "country", "city", "venue"})


def ego_href(path: str, lang: str = "en", radius: int = 1) -> str | None:
    """The server link to the ego view of an entity page's path (``organisation/kofice`` or
    ``/id/organisation/kofice``), or None when that kind of resource is not drawn (sources, claims …).

    >>> ego_href("/id/organisation/kofice", "ko")
    '/views/ego?entity=organisation%2Fkofice&radius=1&lang=ko'
    """
    from urllib.parse import urlencode

    short = path.removeprefix("/").removeprefix("id/")
    kind, _, rest = short.partition("/")
    if kind not in EGO_KINDS or not rest or "/" in rest:
        return None
    return "/views/ego?" + urlencode({"entity": short, "radius": radius, "lang": lang if lang in UI else "en"})


def error_page(message: str, status: int) -> bytes:
    """A minimal page for a view that could not be drawn (message escaped)."""
    from markupsafe import escape

    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>View error {status}</title>'
            f'</head><body><h1>View error {status}</h1><p>{escape(message)}</p>'
            f'<p>Presets: {", ".join(_preset_names())}. Parameters: {", ".join(PARAMS)}.</p></body></html>'
            ).encode()


def _preset_names() -> list[str]:
    from .network import PRESET_NAMES

    return list(PRESET_NAMES)
