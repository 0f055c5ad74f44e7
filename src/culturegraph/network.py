"""Network views: RDF → networkx projections with filters, a size guard and per-class styles.

The pieces:

- :mod:`culturegraph.netindex` reads the graph once (SPARQL SELECTs on the facade);
- :mod:`culturegraph.projections` turns it into one networkx graph per preset (``PRESETS`` below);
- this module applies the options (years, theme, country, classes, ego radius), sizes nodes, and groups
  nodes when a view would exceed ``settings.view_node_limit``;
- :mod:`culturegraph.viewhtml` (offline HTML), :mod:`culturegraph.brief` (PNG/SVG/CSV),
  :mod:`culturegraph.netexport` (GraphML/GEXF) and :mod:`culturegraph.netanalysis` draw or analyse a
  :class:`View`.

Node attributes: ``label``, ``type`` (class local name), ``type_label``, ``years`` (sorted ints),
``start``/``end`` (ISO dates or None), ``sources`` (``(url, title)`` pairs), ``iri``, ``size``.
Edge attributes: ``label`` (relations, joined), ``relations``, ``weight``, ``years``, ``statements``
(``(subject, relation, object, sources)``) and, for the organisation preset, ``events``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from .errors import CultureGraphError, NotFound, QueryError
from .layouts import grid_layout, timeline_layout, years_of

if TYPE_CHECKING:
    import networkx as nx

    from .api import CultureGraph
    from .netindex import Index


class ViewError(QueryError):
    """A view that cannot be drawn as asked (bad option, unknown class, too many nodes without grouping)."""

    http_status = 400


class ViewTooLarge(ViewError):
    """More nodes than ``view_node_limit`` and grouping was turned off: narrow the view with a filter."""

    http_status = 413


@dataclass(frozen=True)
class Style:
    """How one class looks: vis-network shape, matplotlib marker, colour (Okabe–Ito based, print-safe)."""

    shape: str
    marker: str
    color: str


STYLES: dict[str, Style] = {
    "Edition": Style("star", "*", "#D55E00"),
    "PrecursorEvent": Style("star", "*", "#E69F00"),
    "Session": Style("triangle", "^", "#CC79A7"),
    "RelatedEvent": Style("triangleDown", "v", "#B8860B"),
    "Agreement": Style("square", "s", "#8C564B"),
    "ForumSeries": Style("hexagon", "h", "#333333"),
    "Programme": Style("hexagon", "h", "#7F7F7F"),
    "Organisation": Style("diamond", "D", "#009E73"),
    "Person": Style("dot", "o", "#0072B2"),
    "Theme": Style("hexagon", "h", "#9467BD"),
    "Country": Style("square", "s", "#56B4E9"),
    "City": Style("dot", "o", "#17BECF"),
    "Venue": Style("dot", "o", "#A6761D"),  # not the related events' triangle: the two must not look alike
    "SeriesEdition": Style("star", "*", "#F0A35E"),
    "Series": Style("hexagon", "h", "#555555"),
    "Project": Style("square", "s", "#4E79A7"),
    "DesignatedYear": Style("triangle", "^", "#C9A227"),
    "Fund": Style("diamond", "D", "#76B7B2"),
    "HeritageSite": Style("square", "s", "#9C755F"),
    "Group": Style("ellipse", "o", "#C9D1D9"),
}


LINE_COLOURS = ("#C0504D", "#1F77B4", "#2CA02C", "#9467BD", "#E08A00", "#17A2B8", "#8C564B", "#E377C2")
OTHER_LINE = "#A3ADB8"


@dataclass(frozen=True)
class Preset:
    """A named view: how it is built, what it shows, whether it has a time axis."""

    name: str
    title: str
    description: str
    build: Callable[[Index, ViewOptions], nx.Graph]
    timeline: bool = True
    group_by: str = "type"  # node attribute used to group nodes above the node limit
    layout: str = "physics"  # physics (vis-network / spring) | timeline (editions in a row by date)


@dataclass(frozen=True)
class ViewOptions:
    """What to draw. ``types`` are class local names (``Organisation``) or kinds (``organisation``)."""

    preset: str = "entity"
    year_from: int | None = None
    year_to: int | None = None
    theme: str | None = None
    country: str | None = None
    types: tuple[str, ...] = ()
    entity: str | None = None
    radius: int = 1
    lang: str = "en"
    size_by: str = "degree"  # degree | betweenness
    group: str = "auto"  # auto | type | country | none
    min_weight: int | None = None  # draw only links of at least this weight
    #: set by :func:`build_view`: above this many nodes the view will be grouped (or refused, with
    #: group="none"), so a projection may skip per-edge details (tooltips) that grouping discards
    detail_limit: int | None = None
    #: set by :func:`build_view`: above this many links only the strongest are drawn (see keep_strongest),
    #: so a projection may skip the details of links that will be left out
    edge_limit: int | None = None


@dataclass
class View:
    """A projected, filtered, sized graph plus what a page or a brief needs to explain it."""

    graph: nx.Graph
    options: ViewOptions
    preset: Preset
    title: str
    subtitle: str
    years: list[int]
    data_date: str
    grouped: str | None = None  # attribute the nodes were grouped by, when over the limit
    original_nodes: int = 0
    node_limit: int = 1500
    positions: dict[str, tuple[float, float]] | None = None  # fixed layout (timeline presets)
    axis: list[tuple[str, float, float]] = field(default_factory=list)  # grid layout: year labels (text, x, y)
    min_weight: int | None = None  # links lighter than this were left out (asked for, or over the edge limit)
    hidden_edges: int = 0  # how many links that left out
    edge_limit: int = 5000
    legend: list[tuple[str, str, int]] = field(default_factory=list)  # (class, label, count)
    class_labels: dict[str, str] = field(default_factory=dict)
    ui_lang: str = "en"

    @property
    def timeline(self) -> bool:
        return self.preset.timeline and len(self.years) > 1

    def _repr_html_(self) -> str:
        """A notebook shows the view inline: the same offline page as ``culturegraph viz`` (notebook.py)."""
        from .notebook import repr_html

        return repr_html(self)

    def to_pyvis(self, **network_options: Any) -> Any:
        """A ``pyvis.network.Network`` filled from this view (optional extra ``notebook``; notebook.py)."""
        from .notebook import to_pyvis

        return to_pyvis(self, **network_options)


#: Preset titles and filter words in the page languages (English is the presets' own).
TITLES = {
    "ko": {"entity": "개체 그래프", "organisations": "기관 협력 네트워크", "themes": "시기별 주제", "countries": "국가",
           "people": "인물", "ego": "에고 네트워크", "field": "분야 전체 개관"},
    "id": {"entity": "Graf entitas", "organisations": "Kolaborasi organisasi", "themes": "Tema dari waktu ke waktu",
           "countries": "Negara", "people": "Orang", "ego": "Jaringan ego", "field": "Ikhtisar bidang"},
}
WORDS = {
    "en": {"theme": "theme", "country": "country", "classes": "classes", "around": "around {x} (radius {r})",
           "weight": "link weight"},
    "ko": {"theme": "주제", "country": "국가", "classes": "클래스", "around": "{x} 중심 (반경 {r})",
           "weight": "연결 가중치"},
    "id": {"theme": "tema", "country": "negara", "classes": "kelas", "around": "di sekitar {x} (radius {r})",
           "weight": "bobot hubungan"},
}


def _registry() -> dict[str, Preset]:
    from . import projections as p

    presets = [
        Preset("entity", "Entity graph", "Every entity (editions, sessions, side events, agreements, people, "
               "organisations, places, themes) and the statements between them; filter with --type.",
               p.entity_graph),
        Preset("organisations", "Organisation collaboration", "Organisations linked when they take part in "
               "the same edition (directly, via a session or side event, or through a representative); "
               "weight = shared editions.", p.organisation_graph, group_by="country"),
        Preset("themes", "Themes over time", "Themes with the editions and sessions tagged with them, the "
               "theme hierarchy, and themes that co-occur on the same event.", p.theme_graph),
        Preset("countries", "Countries", "Host and participating countries of each edition.",
               p.country_graph, layout="timeline"),
        Preset("people", "People", "People, the organisations they represented at the time, and the "
               "editions they took part in.", p.people_graph, group_by="country"),
        Preset("ego", "Ego network", "Everything within --radius 1-3 statements of --entity.", p.ego_graph,
               timeline=True),
        Preset("field", "Field overview", "Every programme of ASEAN-Korea cultural cooperation against the "
               "years: one row per series, programme, project or designated year, each edition or event at "
               "its year, labelled with where it was held.", p.field_graph, layout="grid"),
    ]
    return {x.name: x for x in presets}


PRESET_NAMES = ("entity", "organisations", "themes", "countries", "people", "ego", "field")


def presets() -> dict[str, Preset]:
    """The registered presets by name."""
    return _registry()


def get_preset(name: str) -> Preset:
    reg = _registry()
    if name not in reg:
        raise NotFound(f"no view preset {name!r}; choose one of: {', '.join(reg)}")
    return reg[name]


def normalise_types(types: tuple[str, ...] | list[str] | str | None) -> tuple[str, ...]:
    """``"organisation,person"`` / ``["Organisation"]`` → ``("Organisation", "Person")`` (checked)."""
    from .netindex import ENTITY_CLASSES

    if not types:
        return ()
    if isinstance(types, str):
        types = [types]
    by_lower = {c.lower(): c for c in ENTITY_CLASSES}
    by_lower.update({"event": "RelatedEvent", "series": "ForumSeries", "precursor": "PrecursorEvent",
                     "organization": "Organisation", "people": "Person"})
    out = []
    for raw in types:
        for part in str(raw).replace(";", ",").split(","):
            key = part.strip().lower().replace("-", "").replace("_", "")
            if not key:
                continue
            key = key[3:] if key.startswith("cg:") else key
            cls = by_lower.get(key) or by_lower.get(key.rstrip("s"))
            if cls is None:
                raise ViewError(f"unknown class {part.strip()!r} for --type; choose from: "
                                f"{', '.join(ENTITY_CLASSES)}")
            out.append(cls)
    return tuple(sorted(set(out)))


def build_view(cg: CultureGraph, options: ViewOptions) -> View:
    """Project, filter, size and (above the node limit) group one view.

    :raises NotFound: unknown preset or entity. :raises ViewError: bad option. :raises ViewTooLarge: the view
        is over ``view_node_limit`` with ``group="none"``.
    """
    from .netindex import get_index

    preset = get_preset(options.preset)
    if options.size_by not in ("degree", "betweenness"):
        raise ViewError(f"unknown size measure {options.size_by!r}; use degree or betweenness")
    if options.group not in ("auto", "type", "country", "none"):
        raise ViewError(f"unknown grouping {options.group!r}; use auto, type, country or none")
    if not 1 <= options.radius <= 3:
        raise ViewError(f"--radius must be 1, 2 or 3 (got {options.radius})")
    if (options.year_from is not None and options.year_to is not None
            and options.year_from > options.year_to):
        raise ViewError(f"--from {options.year_from} is after --to {options.year_to}")
    if options.min_weight is not None and options.min_weight < 1:
        raise ViewError(f"--min-weight must be 1 or more (got {options.min_weight})")
    if preset.name == "ego" and not options.entity:
        raise ViewError("the ego view needs --entity ID (a record id such as 'kofice', or an IRI)")
    options = replace(options, types=normalise_types(options.types))
    idx = get_index(cg)
    if options.entity:
        from .netindex import resolve_entity

        options = replace(options, entity=resolve_entity(cg, options.entity))
    if options.theme:
        options = replace(options, theme=_resolve_kind(idx, options.theme, "theme", "Theme"))
    if options.country:
        options = replace(options, country=_resolve_kind(idx, options.country.lower(), "country", "Country"))
    # over the node limit a view is grouped or, with group="none", refused: either way no details are shown
    lean = replace(options, detail_limit=cg.settings.view_node_limit, edge_limit=cg.settings.view_edge_limit)
    graph = preset.build(idx, lean)
    if options.types and preset.name != "ego":
        graph = graph.subgraph([n for n, d in graph.nodes(data=True) if d["type"] in options.types])
    graph = canonical(graph)
    class_labels = {c: cg.label(str(_cg_class(c)), options.lang) for c in STYLES if c != "Group"}
    class_labels["Group"] = {"ko": "묶음", "id": "kelompok"}.get(options.lang, "group")
    title = TITLES.get(options.lang, {}).get(preset.name, preset.title)
    view = View(graph=graph, options=options, preset=preset, title=title,
                subtitle=describe_filters(idx, options), years=years_of(graph), data_date=idx.data_date(),
                original_nodes=graph.number_of_nodes(), class_labels=class_labels, ui_lang=options.lang,
                node_limit=cg.settings.view_node_limit)
    limit = view.node_limit
    if graph.number_of_nodes() > limit:
        if options.group == "none":
            raise ViewTooLarge(
                f"the {preset.name} view has {graph.number_of_nodes():,} nodes, more than the limit of "
                f"{limit:,}: narrow it with --from/--to, --theme, --country or --type, or allow grouping")
        key = preset.group_by if options.group == "auto" else options.group
        view.graph = group_nodes(idx, graph, key, options.lang, class_labels)
        view.grouped = key
    # a projection gives links as cliques or pairs only when it knows the view will be grouped (will_group)
    assert view.grouped or not {"cliques", "pairs"} & set(graph.graph), "lean links reached an ungrouped view"
    size_nodes(view.graph, options.size_by)  # before thinning: a node's size counts all its links
    view.edge_limit = cg.settings.view_edge_limit
    view.min_weight, view.hidden_edges = keep_strongest(view.graph, options.min_weight, view.edge_limit)
    if preset.layout == "timeline" and not view.grouped:
        view.positions = timeline_layout(idx, view.graph)
    elif preset.layout == "grid" and not view.grouped:
        view.positions, view.axis = grid_layout(
            view.graph, undated_label={"ko": "연도 미상", "id": "tanpa tahun"}.get(options.lang, "undated"))
    for _n, d in view.graph.nodes(data=True):
        d["type_label"] = class_labels.get(d["type"], d["type"])
    counts: dict[str, int] = {}
    for _, d in view.graph.nodes(data=True):
        counts[d["type"]] = counts.get(d["type"], 0) + 1
    view.legend = [(c, class_labels.get(c, c), counts[c]) for c in STYLES if c in counts]
    return view


def _cg_class(local: str) -> Any:
    from .namespaces import CG

    return str(CG) + local


def _resolve_kind(idx: Index, ref: str, path: str, cls: str) -> str:
    for cand in (ref, f"{idx.base}id/{path}/{ref}", f"{idx.base}id/{ref}"):
        if idx.types.get(cand) == cls:
            return cand
    known = ", ".join(idx.record_id(i).split("/", 1)[-1] for i in idx.of_type(cls)) or "none"
    raise ViewError(f"no {path} {ref!r} in the graph; known: {known}")


def describe_filters(idx: Index, o: ViewOptions) -> str:
    """A one-line, human summary of the options (shown under the title of pages and briefs)."""
    w = WORDS.get(o.lang, WORDS["en"])
    parts = []
    if o.year_from is not None or o.year_to is not None:
        parts.append(f"{o.year_from or '…'}–{o.year_to or '…'}")
    if o.theme:
        parts.append(f"{w['theme']}: {idx.label(o.theme, o.lang)}")
    if o.country:
        parts.append(f"{w['country']}: {idx.label(o.country, o.lang)}")
    if o.types:
        parts.append(f"{w['classes']}: " + ", ".join(o.types))
    if o.entity:
        parts.append(w["around"].format(x=idx.label(o.entity, o.lang), r=o.radius))
    if o.min_weight is not None:
        parts.append(f"{w['weight']} ≥ {o.min_weight}")
    return " · ".join(parts)


def canonical(graph: nx.Graph) -> nx.Graph:
    """A copy with nodes and edges inserted in sorted order (networkx subgraph views iterate sets, whose
    order depends on ``PYTHONHASHSEED``; every writer follows insertion order)."""
    import networkx as nx

    out = nx.Graph()
    out.graph.update(graph.graph)
    for n in sorted(graph.nodes):
        out.add_node(n, **graph.nodes[n])
    for u, v in sorted(tuple(sorted(e)) for e in graph.edges):
        out.add_edge(u, v, **graph.edges[u, v])
    return out


def size_nodes(graph: nx.Graph, measure: str) -> None:
    """Set ``size`` (and ``degree``) on every node: weighted degree, or betweenness centrality."""
    import networkx as nx

    for n in graph.nodes:
        graph.nodes[n]["degree"] = graph.degree(n)
    if measure == "betweenness":
        values = nx.betweenness_centrality(graph, normalized=True) if graph.number_of_nodes() > 2 else {}
        for n in graph.nodes:
            graph.nodes[n]["size"] = round(float(values.get(n, 0.0)), 6)
    else:
        for n in graph.nodes:
            graph.nodes[n]["size"] = graph.degree(n, weight="weight") or 0


def group_nodes(idx: Index, graph: nx.Graph, key: str, lang: str, class_labels: dict[str, str]) -> nx.Graph:
    """Collapse nodes into one node per value of ``key`` (``type`` or ``country``); edges are summed."""
    import networkx as nx

    def group_of(n: str, d: dict) -> tuple[str, str]:
        if key == "country":
            c = d.get("country") or None
            return ("country:" + (idx.record_id(c) if c else "unknown"),
                    idx.label(c, lang) if c else {"ko": "국가 미상", "id": "negara tidak diketahui"}.get(
                        lang, "country unknown"))
        return "class:" + d["type"], class_labels.get(d["type"], d["type"])

    out = nx.Graph()
    members: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    years: dict[str, set[int]] = {}
    where: dict[str, str] = {}
    for n, d in sorted(graph.nodes(data=True)):
        gid, name = group_of(n, d)
        where[n] = gid
        names[gid] = name
        members.setdefault(gid, []).append(d.get("label", n))
        years.setdefault(gid, set()).update(d.get("years", ()))
    for gid in sorted(members):
        out.add_node(gid, label=f"{names[gid]} ({len(members[gid])})", type="Group", years=sorted(years[gid]),
                     start=None, end=None, sources=[], iri="", members=sorted(members[gid]))
    sums: dict[tuple[str, str], tuple[list[int], set[int]]] = {}  # group pair -> ([weight], years)

    def add(gu: str, gv: str, weight: int, years: Iterable[int]) -> None:
        if gu != gv:
            w, ys = sums.setdefault((gu, gv) if gu < gv else (gv, gu), ([0], set()))
            w[0] += weight
            ys.update(years)

    for u, v, d in graph.edges(data=True):
        add(where[u], where[v], d.get("weight", 1), d.get("years", ()))
    for u, v, weight, link_years in graph.graph.get("pairs", ()):  # a lean projection's links (Builder.graph)
        if u in where and v in where:
            add(where[u], where[v], weight, link_years)
    # a projection may give its edges as cliques (every pair of members linked once, with weight 1 and
    # the clique's year): the sum over a clique's pairs between two groups is the product of their counts
    for clique, year in graph.graph.get("cliques", ()):
        counts = Counter(where[m] for m in clique if m in where)
        present = sorted(counts)
        for i, ga in enumerate(present):
            for gb in present[i + 1:]:
                add(ga, gb, counts[ga] * counts[gb], () if year is None else (year,))
    for (a, b), (w, ys) in sorted(sums.items()):
        out.add_edge(a, b, weight=w[0], years=sorted(ys), relations=["links"], label=str(w[0]), statements=[])
    return out


def keep_strongest(graph: nx.Graph, min_weight: int | None, limit: int) -> tuple[int | None, int]:
    """Remove the links lighter than ``min_weight`` or, when none is given and there are more than ``limit``
    links, lighter than the least weight that brings them within ``limit`` (the heaviest weight if ties
    never do). Returns (the weight applied or None, links removed); what stays keeps its order."""
    from .projections import least_weight

    min_weight = least_weight([d.get("weight", 1) for *_, d in graph.edges(data=True)], min_weight, limit)
    if min_weight is None:
        return None, 0
    lighter = [(u, v) for u, v, d in graph.edges(data=True) if d.get("weight", 1) < min_weight]
    graph.remove_edges_from(lighter)
    return min_weight, len(lighter)


def relation_colours(view: View) -> dict[str, tuple[str, int]]:
    """The most frequent relations get a line colour each (legend order); the rest are grey."""
    counts: dict[str, int] = {}
    for *_, d in view.graph.edges(data=True):
        for r in d.get("relations", ()):
            counts[r] = counts.get(r, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if len(ranked) == 1:
        return {ranked[0][0]: (OTHER_LINE, ranked[0][1])}
    return {r: (LINE_COLOURS[i], c) for i, (r, c) in enumerate(ranked[: len(LINE_COLOURS)])}


def view_for(cg: CultureGraph, preset: str, **filters: Any) -> View:
    """:func:`build_view` with keyword options (the facade's ``projection`` calls this)."""
    try:
        options = ViewOptions(preset=preset, **filters)
    except TypeError as exc:
        raise ViewError(f"unknown view option: {exc}") from exc
    return build_view(cg, options)


__all__ = ["PRESET_NAMES", "STYLES", "CultureGraphError", "View", "ViewError", "ViewOptions", "ViewTooLarge",
           "build_view", "get_preset", "presets", "view_for"]
