"""One networkx graph per view preset, built from the :class:`~culturegraph.netindex.Index`.

Participations are collapsed into edges (person/organisation → event, labelled by role; person →
organisation, "affiliation at the time"), each keeping the statement it comes from and its sources, so
``culturegraph path`` can explain a connection and every tooltip can cite it. Nodes and edges are added in
sorted order, so writers that follow insertion order (GraphML, GEXF, JSON) give the same bytes every run.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from itertools import combinations
from typing import TYPE_CHECKING

import networkx as nx

from .netindex import CGNS, EDITION_CLASSES, EVENT_CLASSES, Index

if TYPE_CHECKING:
    from .network import ViewOptions

AFFILIATION = CGNS + "affiliationAtTime"
THEME = CGNS + "theme"
PARTY = CGNS + "party"
BROADER = "http://www.w3.org/2004/02/skos/core#broader"
HOST_COUNTRY = CGNS + "hostCountry"
PARTICIPATING = CGNS + "participatingCountry"
PART_OF_EDITION = CGNS + "partOfEdition"
PART_OF_SERIES = CGNS + "partOfSeries"
PART_OF_PROGRAMME = CGNS + "partOfProgramme"
PHASE_OF = CGNS + "phaseOf"
HOST_CITY = CGNS + "hostCity"
LOCATION = "https://schema.org/location"
#: The rows of the field overview: what runs over the years.
PROGRAMME_CLASSES = ("ForumSeries", "Series", "Programme", "Project", "DesignatedYear")
OCCASION = CGNS + "occasion"
ROW_RELATIONS = (PART_OF_SERIES, PART_OF_PROGRAMME, PHASE_OF, OCCASION)
#: Which row an occurrence linked to several is drawn in (lowest first).
ROW_PREFERENCE = {"ForumSeries": 0, "Series": 0, "Project": 1, "Programme": 2, "DesignatedYear": 3}
NATIONALITY = "https://schema.org/nationality"
ORG_COUNTRY = CGNS + "country"
DATED_EVENTS = EVENT_CLASSES - {"ForumSeries", "Series", "Programme"}

Statement = tuple[str, str, str, tuple[str, ...]]  # subject, relation label, object, source IRIs


class Builder:
    """Collects nodes and merged undirected edges, then emits a graph in sorted order."""

    def __init__(self, idx: Index, lang: str, *, keep: set[str] | None = None):
        """``keep``: only these nodes (and edges between two of them) are drawn; an edge to a node outside
        still adds its years to the end inside, so a node looks the same as in the whole graph."""
        self.idx = idx
        self.lang = lang
        self.keep = keep
        self.nodes: dict[str, set[int]] = {}
        self.edges: dict[tuple[str, str], dict] = {}
        self._relation_labels: dict[str, str] = {}

    def node(self, iri: str, years: Iterable[int | None] = ()) -> None:
        if self.keep is not None and iri not in self.keep:
            return
        ys = self.nodes.setdefault(iri, set())
        own = self.idx.year(iri) if self.idx.types.get(iri) in DATED_EVENTS else None
        ys.update(y for y in (own, *years) if y is not None)

    def edge(self, s: str, o: str, relation: str, sources: tuple[str, ...] = (), *,
             years: Iterable[int | None] = (), weight: int | None = None, statement: bool = True) -> dict:
        """Add (or merge into) the edge s–o; ``relation`` is an IRI (labelled here) or a ready label. Returns
        the edge's attributes to add to (a throwaway dict for an edge with an end outside ``keep``)."""
        rel = self._relation_labels.get(relation)
        if rel is None:  # a handful of relations over hundreds of thousands of edges: label each once
            rel = self.idx.label(relation, self.lang) if relation.startswith(("http://", "https://")) else relation
            self._relation_labels[relation] = rel
        ys = {y for y in years if y is not None}
        for end in (s, o):
            if self.idx.types.get(end) in DATED_EVENTS and (y := self.idx.year(end)) is not None:
                ys.add(y)
        self.node(s, ys)
        self.node(o, ys)
        if self.keep is not None and (s not in self.keep or o not in self.keep):
            return {"relations": set(), "years": set(), "statements": set(), "weight": 0, "source_iris": set()}
        key = (s, o) if s < o else (o, s)
        e = self.edges.setdefault(key, {"relations": set(), "years": set(), "statements": set(), "weight": 0,
                                        "source_iris": set()})
        e["relations"].add(rel)
        e["years"].update(ys)
        e["source_iris"].update(sources)
        if statement:
            e["statements"].add((s, rel, o, tuple(sorted(sources))))
        e["weight"] = weight if weight is not None else len(e["statements"])
        return e

    def graph(self, o: ViewOptions | None = None) -> nx.Graph:
        """The graph in sorted order. When ``o`` says the view will be grouped (:func:`will_group`), nodes
        leave out their sources and the links come as ``graph["pairs"]`` (u, v, weight, years), without
        sources or statements: grouping keeps only labels, types, countries, years and weights, and citing
        and copying every edge of a 40,000-node graph cost seconds at a million triples."""
        idx = self.idx
        lean = o is not None and will_group(o, (idx.types.get(n, "Group") for n in self.nodes))
        g = nx.Graph()
        for iri in sorted(self.nodes):
            start, end = idx.dates.get(iri, (None, None))
            g.add_node(iri, label=idx.label(iri, self.lang), type=idx.types.get(iri, "Group"),
                       years=sorted(self.nodes[iri]), start=start, end=end, iri=iri, id=idx.record_id(iri),
                       sources=[] if lean else self.source_list(idx.sources.get(iri, ())),
                       country=self.country(iri) or "")
        if lean:  # grouping only sums weights and years: hand the links over as plain tuples (see group_nodes)
            g.graph["pairs"] = [(u, v, e["weight"] or 1, sorted(e["years"]))
                                for (u, v), e in sorted(self.edges.items())]
            return g
        for (u, v), e in sorted(self.edges.items()):
            rels = sorted(e["relations"])
            g.add_edge(u, v, relations=rels, label=", ".join(rels), years=sorted(e["years"]),
                       weight=e["weight"] or 1, statements=sorted(e["statements"]),
                       sources=self.source_list(e["source_iris"]),
                       **{k: val for k, val in e.items() if k in ("events", "sessions")})
        return g

    def source_list(self, iris: Iterable[str]) -> list[tuple[str, str]]:
        info = self.idx.source_info
        return sorted({(info.get(s, ("", "", ""))[0] or s, info.get(s, ("", s, ""))[1] or s) for s in iris})

    def country(self, iri: str) -> str | None:
        """The country a node belongs to, for grouping: its own, its host country, nationality or city's."""
        idx = self.idx
        t = idx.types.get(iri)
        if t == "Country":
            return iri
        for _s, p, o in links_from(idx, iri):
            if p in (ORG_COUNTRY, NATIONALITY, HOST_COUNTRY) and idx.types.get(o) == "Country":
                return o
        for _s, _p, o in links_from(idx, iri):
            if idx.types.get(o) == "City" and t in ("Organisation", "City", "Venue", "Edition", "PrecursorEvent",
                                                     "SeriesEdition", "Fund"):
                return self.country(o)
        return None


def will_group(o: ViewOptions, types: Iterable[str]) -> bool:
    """Whether :func:`~culturegraph.network.build_view` will group a projection whose nodes have these
    classes: more nodes than ``o.detail_limit`` once the ``--type`` filter is applied."""
    if o.detail_limit is None:
        return False
    return sum(1 for t in types if not o.types or t in o.types) > o.detail_limit


def least_weight(weights: list[int], min_weight: int | None, limit: int | None) -> int | None:
    """The least weight a link needs to be drawn: ``min_weight`` when given, else, with more than ``limit``
    links, the least weight that brings them within ``limit`` (the heaviest if ties never do), else None."""
    import bisect

    if min_weight is not None or limit is None or len(weights) <= limit:
        return min_weight
    weights = sorted(weights)
    levels = sorted(set(weights))
    return next((w for w in levels if len(weights) - bisect.bisect_left(weights, w) <= limit), levels[-1])


def links_from(idx: Index, s: str) -> list[tuple[str, str, str]]:
    """The links whose subject is ``s`` (``idx.links`` is sorted, so this is a bisection)."""
    import bisect

    i = bisect.bisect_left(idx.links, (s, "", ""))
    out = []
    while i < len(idx.links) and idx.links[i][0] == s:
        out.append(idx.links[i])
        i += 1
    return out


# ---------------------------------------------------------------------------- scope (event filters)
def scope(idx: Index, o: ViewOptions) -> set[str] | None:
    """Events a view may use under --from/--to/--theme/--country (None = no event filter).

    Years: events whose year (or their edition's) is in range. Theme: events tagged with the theme or a
    narrower one, plus their editions. Country: editions the country hosted or took part in, plus their
    sessions, side events and agreements.
    """
    if o.year_from is None and o.year_to is None and not o.theme and not o.country:
        return None
    events = {e for e, t in idx.types.items() if t in DATED_EVENTS}
    if o.year_from is not None or o.year_to is not None:
        lo, hi = o.year_from or -9999, o.year_to or 9999
        events = {e for e in events if (y := idx.year(e)) is not None and lo <= y <= hi}
    if o.theme:
        themes = narrower_closure(idx, o.theme)
        tagged = {s for s, p, t in idx.links if p == THEME and t in themes}
        tagged |= {f for e in tagged if (f := idx.forum_event(e))}
        events &= tagged
    if o.country:
        hosts = {s for s, p, c in idx.links if p in (HOST_COUNTRY, PARTICIPATING) and c == o.country}
        events = {e for e in events if idx.forum_event(e) in hosts}
    return events


def narrower_closure(idx: Index, theme: str) -> set[str]:
    out, todo = {theme}, [theme]
    while todo:
        t = todo.pop()
        for s, p, b in idx.links:
            if p == BROADER and b == t and s not in out:
                out.add(s)
                todo.append(s)
    return out


def _ok(events: set[str] | None, e: str) -> bool:
    return events is None or e in events


# ---------------------------------------------------------------------------- presets
EdgeSpec = tuple[str, str, str, tuple[str, ...], tuple[int | None, ...]]  # s, o, relation, sources, years


def _entity_parts(idx: Index, o: ViewOptions) -> tuple[Iterable[str], list[EdgeSpec]]:
    """The entity graph's nodes and edges before they are merged (shared by the entity and ego presets)."""
    events = scope(idx, o)

    def allowed(n: str) -> bool:
        return idx.types.get(n) not in DATED_EVENTS or _ok(events, n)

    edges: list[EdgeSpec] = []
    for s, p, t in idx.links:
        if allowed(s) and allowed(t):
            if events is not None and not (s in events or t in events) and not _both_kept(idx, s, t, events):
                continue
            edges.append((s, t, p, idx.statement_sources(s, p, t), ()))
    for part in idx.participations:
        if not allowed(part.event):
            continue
        y = idx.year(part.event)
        edges.append((part.agent, part.event, part.role or CGNS + "participant", part.sources, (y,)))
        if part.affiliation:
            edges.append((part.agent, part.affiliation, AFFILIATION, part.sources, (y,)))
    return (idx.types if events is None else events), edges


def _entity_builder(idx: Index, lang: str, nodes: Iterable[str], edges: list[EdgeSpec],
                    keep: set[str] | None = None) -> Builder:
    b = Builder(idx, lang, keep=keep)
    for n in nodes:
        b.node(n)
    for s, t, p, sources, years in edges:
        b.edge(s, t, p, sources, years=years)
    return b


def entity_graph(idx: Index, o: ViewOptions) -> nx.Graph:
    """Every entity and every statement between two entities; participations become role edges."""
    return _entity_builder(idx, o.lang, *_entity_parts(idx, o)).graph(o)


def _both_kept(idx: Index, s: str, t: str, events: set[str]) -> bool:
    """Under an event filter, a link between two non-events stays (e.g. city → country)."""
    return idx.types.get(s) not in DATED_EVENTS and idx.types.get(t) not in DATED_EVENTS


def organisation_graph(idx: Index, o: ViewOptions) -> nx.Graph:
    """Organisations linked when they take part in the same edition; weight = number of shared editions.

    An organisation takes part in an event when it is a participant, the affiliation of a participant, or
    a party to an agreement; sessions, side events and agreements count for their edition.
    """
    events = scope(idx, o)
    took: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))  # org -> edition -> events
    why: dict[tuple[str, str], set[str]] = defaultdict(set)  # (org, edition) -> source IRIs

    def took_part(org: str, event: str, sources: tuple[str, ...]) -> None:
        if idx.types.get(org) != "Organisation" or not _ok(events, event):
            return
        forum = idx.forum_event(event)
        if forum is None or not _ok(events, forum):
            return
        took[org][forum].add(event)
        why[(org, forum)].update(sources)

    for part in idx.participations:
        took_part(part.agent, part.event, part.sources)
        if part.affiliation:
            took_part(part.affiliation, part.event, part.sources)
    for s, p, org in idx.links:
        if p == PARTY:
            took_part(org, s, idx.statement_sources(s, p, org))
    b = Builder(idx, o.lang)
    for org in sorted(took):
        b.node(org, (idx.year(f) for f in took[org]))
    by_edition: dict[str, list[str]] = defaultdict(list)
    for org in sorted(took):
        for forum in took[org]:
            by_edition[forum].append(org)
    rel = {"ko": "같은 회차 참여", "id": "ikut dalam edisi yang sama"}.get(o.lang, "took part in the same edition")
    if will_group(o, ("Organisation" for _ in took)):
        # every organisation is a node, so this view will be grouped by country; grouping sums pair
        # weights per pair of groups, which the edition cliques give directly (n × m per edition) without
        # the millions of pairs a million triples make (see group_nodes)
        g = b.graph(o)
        g.graph["cliques"] = [(tuple(sorted(by_edition[f])), idx.year(f)) for f in sorted(by_edition)]
        return g
    # pairs first (cheap appends), then one edge per pair: at scale most of the cost was merging the same
    # edge once per shared edition
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    for forum in sorted(by_edition, key=lambda f: (idx.year(f) or 0, f)):
        for a, c in combinations(sorted(by_edition[forum]), 2):
            shared[(a, c)].append(forum)
    label = functools.lru_cache(maxsize=None)(lambda x: idx.label(x, o.lang))

    def event_name(forum: str) -> str:
        name, year = label(forum), str(idx.year(forum) or "")
        return name if year in name else f"{name} ({year})"

    drawn = not o.types or "Organisation" in o.types  # else --type leaves no organisation, and no link
    light = least_weight([len(f) for f in shared.values()], o.min_weight, o.edge_limit) if drawn else None
    for (a, c), forums in shared.items():
        if light is not None and len(forums) < light:  # left out by keep_strongest: no tooltip to collect
            b.edge(a, c, rel, years=[idx.year(f) for f in forums], weight=len(forums), statement=False)
            continue
        per_forum = [tuple(sorted(why[(a, f)] | why[(c, f)])) for f in forums]
        srcs = tuple(sorted({s for fs in per_forum for s in fs}))
        e = b.edge(a, c, rel, srcs, years=[idx.year(f) for f in forums], statement=False)
        e["weight"] = len(forums)
        e["events"] = [event_name(f) for f in forums]
        e["sessions"] = [label(x) for f in forums for x in sorted((took[a][f] & took[c][f]) - {f})]
        e["statements"].update((a, rel, c, fs) for fs in per_forum)
    return b.graph()


def theme_graph(idx: Index, o: ViewOptions) -> nx.Graph:
    """Themes ↔ the events tagged with them (sessions linked to their edition), broader themes, and
    co-occurrence (two themes on the same event; weight = number of such events)."""
    events = scope(idx, o)
    b = Builder(idx, o.lang)
    tagged: dict[str, set[str]] = defaultdict(set)
    for s, p, t in idx.links:
        if p == THEME and idx.types.get(s) in DATED_EVENTS and _ok(events, s):
            tagged[s].add(t)
            b.edge(s, t, p, idx.statement_sources(s, p, t))
    for s in sorted(tagged):
        parent = idx.forum_event(s)
        if parent and parent != s and _ok(events, parent):
            b.edge(s, parent, PART_OF_EDITION if idx.types.get(s) == "Session" else CGNS + "relatedEdition",
                   idx.sources.get(s, ()))
    themes = {t for ts in tagged.values() for t in ts}
    if events is None:
        themes |= set(idx.of_type("Theme"))
    for s, p, t in idx.links:
        if p == BROADER and s in themes and t in themes:
            b.edge(s, t, p, idx.statement_sources(s, p, t), statement=True)
    co = {"ko": "함께 다뤄짐", "id": "muncul bersama"}.get(o.lang, "co-occurs")
    pairs: dict[tuple[str, str], set[str]] = defaultdict(set)
    for ev, ts in tagged.items():
        for a, c in combinations(sorted(ts), 2):
            pairs[(a, c)].add(ev)
    for (a, c), evs in sorted(pairs.items()):
        e = b.edge(a, c, co, tuple(sorted({s for ev in evs for s in idx.sources.get(ev, ())})),
                   years=[idx.year(ev) for ev in evs], statement=False)
        e["weight"] = len(evs) + len(e["statements"])
        e.setdefault("events", []).extend(sorted(idx.label(ev, o.lang) for ev in evs))
    for t in themes:
        b.node(t)
    return b.graph(o)


def country_graph(idx: Index, o: ViewOptions) -> nx.Graph:
    """Editions (and the precursor) ↔ their host and participating countries."""
    events = scope(idx, o)
    b = Builder(idx, o.lang)
    for s, p, c in idx.links:
        if p in (HOST_COUNTRY, PARTICIPATING) and idx.types.get(s) in EDITION_CLASSES and _ok(events, s):
            b.edge(s, c, p, idx.statement_sources(s, p, c))
    for e in idx.of_type(*EDITION_CLASSES):
        if _ok(events, e):
            b.node(e)
    return b.graph(o)


def people_graph(idx: Index, o: ViewOptions) -> nx.Graph:
    """People ↔ the editions they took part in (roles in sessions and side events count for the edition)
    ↔ the organisations they represented at the time."""
    events = scope(idx, o)
    b = Builder(idx, o.lang)
    for part in idx.participations:
        if idx.types.get(part.agent) != "Person" or not _ok(events, part.event):
            continue
        y = idx.year(part.event)
        forum = idx.forum_event(part.event)
        role = idx.label(part.role, o.lang) if part.role else idx.label(CGNS + "participant", o.lang)
        if forum and _ok(events, forum):
            e = b.edge(part.agent, forum, role, part.sources, years=[y], statement=False)
            e["statements"].add((part.agent, role, part.event, tuple(sorted(part.sources))))
            e["weight"] = len(e["statements"])
        else:
            b.node(part.agent, [y])
        if part.affiliation:
            b.edge(part.agent, part.affiliation, AFFILIATION, part.sources, years=[y])
    return b.graph(o)


def ego_graph(idx: Index, o: ViewOptions) -> nx.Graph:
    """The entity graph within ``radius`` statements of ``entity`` (the centre is marked ``center``).

    The neighbourhood is found on the bare edge list first, and only it is drawn: merging and citing every
    edge of the whole entity graph took 15 s at a million triples for a view of a few hundred nodes."""
    assert o.entity is not None
    nodes, edges = _entity_parts(idx, o)
    adjacent: dict[str, set[str]] = defaultdict(set)
    for s, t, *_ in edges:
        adjacent[s].add(t)
        adjacent[t].add(s)
    near, frontier = {o.entity}, [o.entity]
    for _ in range(o.radius):
        frontier = sorted({n for f in frontier for n in adjacent[f]} - near)
        near.update(frontier)
    keep = {n for n in near if n == o.entity or not o.types or idx.types.get(n, "Group") in o.types}
    b = _entity_builder(idx, o.lang, nodes, edges, keep)
    out = b.graph(replace(o, types=()))  # every kept node counts towards grouping, the centre included
    if o.entity not in out:
        out.add_node(o.entity, label=idx.label(o.entity, o.lang), type=idx.types[o.entity], years=[],
                     start=None, end=None, iri=o.entity, id=idx.record_id(o.entity), sources=[], country="")
    out.nodes[o.entity]["center"] = True
    return out


def field_graph(idx: Index, o: ViewOptions) -> nx.Graph:
    """Every programme — series, programme, top-level project, designated year — as a row, with what ran under
    it: the editions of a series, the events, documents and projects of a programme, the phases of a project,
    the events held for a designated year. An occurrence is drawn once, in its first row by preference (its
    series, else its project, its programme, the year it was held for), and labelled by where it was held
    (host city, else country), so the grid layout (:func:`culturegraph.layouts.grid_layout`) reads as "which
    programme ran where, when"."""
    events = scope(idx, o)
    parent = {s: target for s, rel, target in idx.links if rel == PHASE_OF}

    def top(project: str) -> str:
        seen: set[str] = set()
        while project in parent and project not in seen:
            seen.add(project)
            project = parent[project]
        return project

    rows = {n for n, t in idx.types.items() if t in PROGRAMME_CLASSES and n not in parent}
    home: dict[str, tuple[int, str, str, str]] = {}  # item -> (preference, row, relation, linked programme)
    for s, rel, target in idx.links:
        kind = idx.types.get(s)
        if rel not in ROW_RELATIONS or kind not in DATED_EVENTS or kind == "Session" or s in rows:
            continue
        row = top(target) if idx.types.get(target) == "Project" else target
        if row not in rows or not _ok(events, s):
            continue
        cand = (ROW_PREFERENCE[idx.types[row]] + (10 if rel == OCCASION else 0), row, rel, target)
        home[s] = min(home.get(s, cand), cand)
    b = Builder(idx, o.lang)
    for item, (_pref, row, rel, target) in sorted(home.items()):
        b.edge(item, row, rel, idx.statement_sources(item, rel, target))
    for row in sorted(rows):
        if row in b.nodes:
            continue
        # an umbrella programme whose events are all drawn in their series' rows would be an empty row
        if idx.types.get(row) != "Programme" and (idx.types.get(row) not in DATED_EVENTS or _ok(events, row)):
            b.node(row)
    g = b.graph(o)
    where: dict[str, str] = {}
    for s, p, place in idx.links:
        if s in g and p in (HOST_CITY, LOCATION) and idx.types.get(place) == "City":
            where.setdefault(s, idx.label(place, o.lang))
    for s, p, place in idx.links:
        if s in g and p == HOST_COUNTRY and idx.types.get(place) == "Country":
            where.setdefault(s, idx.label(place, o.lang))
    for n, d in g.nodes(data=True):
        if d["type"] not in PROGRAMME_CLASSES or n not in rows:
            # an occurrence is at its own year (the edge gave it its row's years too); a row keeps every year
            # it ran, so the slider shows it while any of it is in range
            own = idx.year(n)
            d["years"] = [own] if own is not None else []  # undated: drawn in the grid's "undated" column
            d["full_label"] = d["label"]
            d["label"] = where.get(n) or d["label"]
    return g
