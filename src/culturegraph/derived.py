"""Materialised analytics: statements derived from the data once, at load/build time.

Questions such as "which organisations took part in the same editions, and how often" are global
self-joins; asked at query time they take 15 s at 1M triples and minutes at 5M even in Oxigraph
(``../shared/PERFORMANCE.md``). This module answers them in one linear pass over the quads and writes the
answers into their own named graph ``{base}graph/derived``, so queries become index lookups:

- **agent–edition participation** — every person or organisation that took part (``cg:participant`` of a
  participation, or ``cg:party`` to an agreement) in an edition, directly or in one of its sessions, related
  (side) events or agreements (``schema:superEvent`` chains are followed):
  ``?agent cg:tookPartIn ?edition`` plus an n-ary ``cg:EditionParticipation`` node
  ``{base}id/derived/edition-participation/{agent-id}/{edition-id}`` with ``cg:participationAgent``,
  ``cg:participationEdition``, every ``cg:participationRole`` and ``cg:participationCount``;
- **organisation co-participation** — a ``cg:CoParticipation`` node ``{base}id/derived/copart/{a}/{b}``
  (ids in order) for each pair of organisations that took part in at least one common edition, with both
  ``cg:coParticipant``, every ``cg:sharedEdition``, ``cg:weight`` = the number of shared editions and the
  threshold index ``cg:weightAtLeast`` 1 … weight. Each pair also carries the years of its shared editions
  (``cg:firstYear``, ``cg:lastYear``) and, at the finer grain of single events (the edition itself, a
  session, a side event, an agreement), the number of events both took part in (``cg:sharedEventCount``)
  and their first and last forum year (``cg:eventFirstYear``, ``cg:eventLastYear``);
- **participation → edition** — ``?participation cg:inEdition ?edition`` for every participation whose
  event belongs to an edition, ``?edition cg:year 2025`` for every forum event with a start date, and
  ``?item cg:forumYear 2025`` for the edition and every session, related event or agreement of it;
- per-agent summaries, per-year theme counts, speakers per nationality, label coverage and search keys:
  see :mod:`culturegraph.derived_summaries`.

Every year is the year of the forum event (the edition's ``schema:startDate``), so a side event held in
December before a January edition counts in the edition's year, as the named queries count it.

The graph is marked as derived with PROV: ``{base}graph/derived`` is a ``prov:Entity``
``prov:wasGeneratedBy`` a ``prov:Activity`` that ``prov:used`` every data graph and
``prov:wasAssociatedWith`` the culturegraph version that ran it. The output is sorted, so dumps stay
byte-identical.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from itertools import combinations

import pyoxigraph as ox

from . import __version__

CG = "https://w3id.org/culturegraph/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "https://schema.org/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"

#: look-up aids, not facts: written to ``{base}graph/index``, not ``graph/derived`` (``cg:recurrenceRank`` is
#: a sort key whose ties are broken by IRI, the key lists are denormalised strings for portable queries)
AID_PREDICATES = frozenset({CG + "searchKey", CG + "weightAtLeast", CG + "recurrenceRank", CG + "roleKeys",
                            CG + "sourceKeys", CG + "aboutKeys"})
#: every predicate of the working-aid graphs: left out of entity pages, documents and DESCRIBE
INDEX_ONLY = AID_PREDICATES | {CG + "displayLabel", CG + "displayPosition", CG + "displayTalkTitle",
                               CG + "displayLanguage", CG + "displayedProperty"}


def aid_graphs(base_iri: str) -> tuple[str, str]:
    """(the look-up index graph, the prefix of the display graphs): the working aids that the server and the
    named queries read, and that the public dumps leave out (``culturegraph-aids.nq`` carries them)."""
    return base_iri + "graph/index", base_iri + "graph/display/"


def described(triples: Iterable[ox.Triple], *, describe: bool) -> Iterator[ox.Triple]:
    """A graph result as a set: each triple once (a store evaluating over the union of the named graphs
    yields a triple once per graph that states it), and for ``DESCRIBE`` without the working-aid vocabulary
    (:data:`INDEX_ONLY`): a description says what the data states, not the server's look-up keys."""
    seen: set[ox.Triple] = set()
    for t in triples:
        if (describe and t.predicate.value in INDEX_ONLY) or t in seen:
            continue
        seen.add(t)
        yield t


def is_aid_graph(graph: str, base_iri: str) -> bool:
    """Whether the graph IRI ``graph`` is one of the working-aid graphs (:func:`aid_graphs`)."""
    index, display = aid_graphs(base_iri)
    return graph == index or graph.startswith(display)

# predicates the pass reads → a short tag
_READ = {
    RDF_TYPE: "type",
    CG + "participant": "participant",
    CG + "role": "role",
    CG + "inEvent": "inEvent",
    CG + "partOfEdition": "edition",
    CG + "relatedEdition": "edition",
    SCHEMA + "superEvent": "super",
    CG + "theme": "theme",
    SCHEMA + "startDate": "start",
    CG + "party": "party",
    CG + "affiliationAtTime": "affiliation",
    CG + "positionAtTime": "shown",
    CG + "talkTitle": "shown",
    RDFS_LABEL: "label",
    SKOS + "altLabel": "alt",
    SKOS + "notation": "notation",
    SKOS + "broader": "broader",
    SKOS + "member": "member",
    SCHEMA + "nationality": "nationality",
    DCTERMS + "source": "source",
    CG + "publisherName": "publisher",
    CG + "about": "about",
    DCTERMS + "language": "language",
}
_CLASSES = {CG + "ForumEvent": "forum", CG + "Person": "agent", CG + "Organisation": "org",
            CG + "Session": "dated", CG + "RelatedEvent": "dated"}


def _nn(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


_XSD_INTEGER = ox.NamedNode(XSD + "integer")


@functools.lru_cache(maxsize=4096)
def _int(n: int) -> ox.Literal:
    """An xsd:integer literal; counts and years repeat, so each is made once (pyoxigraph terms are
    immutable and a million of them cost seconds)."""
    return ox.Literal(str(n), datatype=_XSD_INTEGER)


def _tail(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


class _Index:
    """The few relations the analytics need, read in one pass (plain ``str`` keys: fast to hash)."""

    def __init__(self, quads: Iterable[ox.Quad], skip_graphs: set[str]):
        read = {_nn(k): v for k, v in _READ.items()}
        self.kind: dict[str, str] = {}
        self.participant: dict[str, str] = {}
        self.roles: dict[str, str] = {}
        self.in_event: dict[str, str] = {}
        self.edition_of: dict[str, str] = {}
        self.super: dict[str, str] = {}
        self.themes: dict[str, list[str]] = defaultdict(list)
        self.start: dict[str, str] = {}
        self.parties: list[tuple[str, str]] = []  # (agreement, organisation)
        self.affiliation: dict[str, str] = {}  # participation → organisation at the time
        self.types: dict[str, set[str]] = defaultdict(set)  # every class of every subject
        self.labels: dict[str, list[tuple[str, str]]] = defaultdict(list)  # subject → (value, language)
        # values of the displayed properties (derived_display): property → resource → literals
        self.shown: dict[str, dict[str, list[ox.Literal]]] = defaultdict(lambda: defaultdict(list))
        self.alt: dict[str, list[str]] = defaultdict(list)
        self.notation: dict[str, str] = {}
        self.broader: dict[str, list[str]] = defaultdict(list)
        self.members: dict[str, set[str]] = defaultdict(set)  # skos:Collection → members
        self.nationality: dict[str, list[str]] = defaultdict(list)
        self.sourced: set[str] = set()  # subjects with a dcterms:source
        self.cited_by: dict[str, set[str]] = defaultdict(set)  # source → subjects citing it (_:x for blank)
        self.publisher: dict[str, set[ox.Literal]] = defaultdict(set)  # source → cg:publisherName
        self.language: dict[str, set[ox.Literal]] = defaultdict(set)  # subject → dcterms:language
        self.about: dict[str, set[str]] = defaultdict(set)  # conflict → what it is about
        self.graphs: set[str] = set()
        orgs: set[str] = set()
        for q in quads:
            g = q.graph_name
            self.graphs.add(getattr(g, "value", ""))
            tag = read.get(q.predicate)
            if tag is None:
                continue
            s, o = q.subject.value, q.object.value  # type: ignore[union-attr]
            if tag == "type":
                self.types[s].add(o)
                k = _CLASSES.get(o)
                if k == "org":
                    orgs.add(s)
                elif k == "forum" or (k and s not in self.kind):
                    self.kind[s] = k
            elif tag == "participant":
                self.participant[s] = o
            elif tag == "role":
                self.roles[s] = o
            elif tag == "inEvent":
                self.in_event[s] = o
            elif tag == "edition":
                self.edition_of[s] = o
            elif tag == "super":
                self.super[s] = o
            elif tag == "theme":
                self.themes[s].append(o)
            elif tag == "start" and s not in self.start:
                self.start[s] = o
            elif tag == "party":
                self.parties.append((s, o))
            elif tag == "affiliation":
                self.affiliation[s] = o
            elif tag == "label":
                self.labels[s].append((o, getattr(q.object, "language", None) or ""))
                if isinstance(q.object, ox.Literal) and isinstance(q.subject, ox.NamedNode):
                    self.shown[RDFS_LABEL][s].append(q.object)
            elif tag == "shown":
                if isinstance(q.object, ox.Literal) and isinstance(q.subject, ox.NamedNode):
                    self.shown[q.predicate.value][s].append(q.object)
            elif tag == "alt":
                self.alt[s].append(o)
            elif tag == "notation":
                self.notation.setdefault(s, o)
            elif tag == "broader":
                self.broader[s].append(o)
            elif tag == "member":
                self.members[s].add(o)
            elif tag == "nationality":
                self.nationality[s].append(o)
            elif tag == "source":
                if isinstance(q.subject, ox.NamedNode):
                    self.sourced.add(s)
                    self.cited_by[o].add(s)
                else:
                    self.cited_by[o].add("_:" + s)
            elif tag == "publisher":
                self.publisher[s].add(q.object)  # type: ignore[arg-type]
            elif tag == "language":
                self.language[s].add(q.object)  # type: ignore[arg-type]
            elif tag == "about":
                self.about[s].add(o)
        self.orgs = orgs
        self.graphs -= skip_graphs
        self._edition_cache: dict[str, str | None] = {}

    def edition(self, event: str) -> str | None:
        """The forum event an event belongs to (itself for an edition), following up to 20 links."""
        hit = self._edition_cache.get(event, "")
        if hit != "":
            return hit
        cur: str | None = event
        for _ in range(20):
            if cur is None or self.kind.get(cur) == "forum":
                break
            cur = self.edition_of.get(cur) or self.super.get(cur)
        else:
            cur = None
        result = cur if cur is not None and self.kind.get(cur) == "forum" else None
        self._edition_cache[event] = result
        return result

    def year(self, event: str) -> int | None:
        """The year of the forum event ``event`` belongs to (its edition's start date)."""
        ed = self.edition(event)
        start = self.start.get(ed) if ed else None
        return int(start[:4]) if start and start[:4].isdigit() else None


def derive(quads: Iterable[ox.Quad], base_iri: str, sink: Callable[[ox.Quad], None] | None = None) -> list[ox.Quad]:
    """The derived quads for ``quads`` (ontology + data): the graph ``{base}graph/derived`` and the display
    graphs ``{base}graph/display/{language}`` (:mod:`culturegraph.derived_display`). With ``sink``, each
    derived quad is handed to it as it is made and none is kept (``build`` streams them to its sort; at 1M
    triples a list of the 1.4M would hold ~0.5 GB); the list returned is then empty."""
    from .derived_display import display_quads
    from .derived_summaries import summaries

    graph = _nn(base_iri + "graph/derived")
    index = _nn(aid_graphs(base_iri)[0])
    idx = _Index(quads, {base_iri + "graph/ontology", graph.value, index.value})
    out: list[ox.Quad] = []
    emit = sink or out.append
    predicates: dict[str, tuple[ox.NamedNode, ox.NamedNode]] = {}
    own_labels = False  # while the provenance is made: its labels are shown like any other

    def add(s: ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal) -> None:
        pred = predicates.get(p)
        if pred is None:  # a few dozen predicates over 1.4M quads at 1M: one term each, and its graph
            pred = predicates[p] = (_nn(p), index if p in AID_PREDICATES else graph)
        if own_labels and p == RDFS_LABEL and isinstance(o, ox.Literal):
            idx.shown[RDFS_LABEL][s.value].append(o)
        emit(ox.Quad(s, pred[0], o, pred[1]))

    by_edition = _participation(idx, base_iri, add)
    _co_participation(idx, base_iri, by_edition, add)
    summaries(idx, base_iri, add)
    own_labels = True
    _provenance(idx, base_iri, graph, add)
    activity = _nn(base_iri + "id/derived/activity")
    label = ox.Literal("look-up aids for the server and the named queries, derived at build time (not facts)",
                       language="en")
    idx.shown[RDFS_LABEL][index.value].append(label)  # shown like every other label
    for s, p, o in ((index, RDF_TYPE, _nn(PROV + "Entity")), (index, PROV + "wasGeneratedBy", activity),
                    (index, RDFS_LABEL, label)):
        emit(ox.Quad(s, _nn(p), o, index))  # described in itself: public dumps leave the graph out
    for q in display_quads(idx.shown, base_iri, index, activity):
        emit(q)
    return out


Add = Callable[[ox.NamedNode, str, "ox.NamedNode | ox.Literal"], None]


def _participation(idx: _Index, base_iri: str, add: Add) -> dict[str, list[str]]:
    """Agent → edition (with roles and the number of participations summarised) and participation →
    edition; returns the organisations of each edition."""
    roles: dict[tuple[str, str], set[str]] = defaultdict(set)
    count: dict[tuple[str, str], int] = defaultdict(int)
    for part in sorted(idx.participant):
        agent = idx.participant[part]
        event = idx.in_event.get(part)
        edition = idx.edition(event) if event else None
        if edition is None:
            continue  # series- or programme-level participation: no edition
        add(_nn(part), CG + "inEdition", _nn(edition))
        count[(agent, edition)] += 1
        if part in idx.roles:
            roles[(agent, edition)].add(idx.roles[part])
    for agreement, org in idx.parties:  # a party to an agreement signed at the edition took part in it
        edition = idx.edition(agreement)
        if edition is not None:
            count[(org, edition)] += 1
    for event in sorted(e for e, kind in idx.kind.items() if kind == "forum"):
        year = idx.year(event)
        if year is not None:  # lets a query anchored on a year start from an index look-up
            add(_nn(event), CG + "year", _int(year))
    # every item that can belong to an edition: one look-up for its forum year instead of a path to the
    # edition and a second look-up there (per row of the listings that show a year)
    items = {e for e, kind in idx.kind.items() if kind in ("forum", "dated")}
    items.update(idx.in_event.values(), idx.edition_of, (agreement for agreement, _ in idx.parties))
    for item in sorted(items):
        year = idx.year(item)
        if year is not None:
            add(_nn(item), CG + "forumYear", _int(year))
    by_edition: dict[str, list[str]] = defaultdict(list)
    for agent, edition in sorted(count):
        node = _nn(f"{base_iri}id/derived/edition-participation/{_tail(agent)}/{_tail(edition)}")
        agent_node, edition_node = _nn(agent), _nn(edition)
        add(agent_node, CG + "tookPartIn", edition_node)
        add(node, RDF_TYPE, _nn(CG + "EditionParticipation"))
        add(node, CG + "participationAgent", agent_node)
        add(node, CG + "participationEdition", edition_node)
        for role in sorted(roles[(agent, edition)]):
            add(node, CG + "participationRole", _nn(role))
        add(node, CG + "participationCount", _int(count[(agent, edition)]))
        if agent in idx.orgs:
            by_edition[edition].append(agent)
    return by_edition


def _co_participation(idx: _Index, base_iri: str, by_edition: dict[str, list[str]], add: Add) -> None:
    """Organisation pairs sharing editions (a per-edition self-join over its organisations only), and
    within them the single events both took part in."""
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    for edition in sorted(by_edition):
        members = sorted(by_edition[edition], key=_tail)
        for a, b in combinations(members, 2):
            shared[(a, b)].append(edition)
    # event grain: the organisations recorded at each event (participant or party), per event
    at_event: dict[str, set[str]] = defaultdict(set)
    for part, agent in idx.participant.items():
        event = idx.in_event.get(part)
        if event is not None and agent in idx.orgs:
            at_event[event].add(agent)
    for agreement, org in idx.parties:
        if org in idx.orgs:
            at_event[agreement].add(org)
    events: dict[tuple[str, str], set[str]] = defaultdict(set)
    for event, members_set in at_event.items():
        if idx.edition(event) is None:
            continue
        for a, b in combinations(sorted(members_set, key=_tail), 2):
            events[(a, b)].add(event)
    for (a, b), editions in sorted(shared.items(), key=lambda kv: (_tail(kv[0][0]), _tail(kv[0][1]))):
        node = _nn(f"{base_iri}id/derived/copart/{_tail(a)}/{_tail(b)}")
        add(node, RDF_TYPE, _nn(CG + "CoParticipation"))
        add(node, CG + "coParticipant", _nn(a))
        add(node, CG + "coParticipant", _nn(b))
        for e in editions:
            add(node, CG + "sharedEdition", _nn(e))
        add(node, CG + "weight", _int(len(editions)))
        for n in range(1, len(editions) + 1):  # a threshold index: "weight >= n" becomes one look-up
            add(node, CG + "weightAtLeast", _int(n))
        _years(add, node, [idx.year(e) for e in editions], "firstYear", "lastYear")
        met = events.get((a, b), set())
        add(node, CG + "sharedEventCount", _int(len(met)))
        _years(add, node, [idx.year(e) for e in met], "eventFirstYear", "eventLastYear")


def _years(add: Add, node: ox.NamedNode, years: Iterable[int | None], first: str, last: str) -> None:
    known = [y for y in years if y is not None]
    if known:
        add(node, CG + first, _int(min(known)))
        add(node, CG + last, _int(max(known)))


def _provenance(idx: _Index, base_iri: str, graph: ox.NamedNode, add: Add) -> None:
    activity = _nn(base_iri + "id/derived/activity")
    software = _nn(base_iri + "id/derived/software")
    add(graph, RDF_TYPE, _nn(PROV + "Entity"))
    add(graph, RDFS_LABEL, ox.Literal("analytics derived from the data at build time", language="en"))
    add(graph, PROV + "wasGeneratedBy", activity)
    add(activity, RDF_TYPE, _nn(PROV + "Activity"))
    add(activity, RDFS_LABEL, ox.Literal("culturegraph build-time analytics", language="en"))
    add(activity, PROV + "wasAssociatedWith", software)
    for g in sorted(idx.graphs):
        add(activity, PROV + "used", _nn(g))
    add(software, RDF_TYPE, _nn(PROV + "SoftwareAgent"))
    add(software, RDFS_LABEL, ox.Literal(f"culturegraph {__version__}", language="en"))
    add(software, SCHEMA + "softwareVersion", ox.Literal(__version__))
