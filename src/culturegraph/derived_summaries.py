"""Build-time summaries for the whole-graph questions of the named queries (part of
:mod:`culturegraph.derived`, same named graph ``{base}graph/derived``).

Each answers in a linear pass what a query would otherwise aggregate over every participation or label at
query time (0.3–1.3 s at a million triples, measured in ``benchmarks/README.md``), so the query reads a few
nodes instead:

- **per agent** (on the person or organisation itself): ``cg:editionCount`` — the forum events it is
  recorded at, as participant in the event, a session, a side event or an agreement, as party to an
  agreement or (organisations) as a participant's affiliation at the time; ``cg:firstYear``,
  ``cg:lastYear``; ``cg:roleKeys`` — the ``skos:notation`` of every role it took, sorted, space-separated;
  ``cg:recurrenceRank`` — its place (1, 2, …) among all such agents ordered by ``editionCount`` descending,
  then first year, last year and IRI, so a query sorts by one integer instead of four keys;
- **theme by year** — ``cg:ThemeYearCount`` ``{base}id/derived/theme-year/{theme-id}/{year}``: items
  (edition, sessions, related events) tagged with the theme (``cg:count``), of which not the edition
  itself (``cg:partCount``), whether an edition of that year carries it (``cg:onEdition``), and items
  tagged with it or any narrower theme (``cg:rolledUpCount``);
- **speakers per nationality** — ``cg:NationalityCount`` ``{base}id/derived/nationality/{country-id}``
  (``…/unknown`` for people no source gives a nationality): people who took a speaking role (members of
  the ontology's ``cg:SpeakingRoles`` collection) and their talks;
- **label coverage** — ``cg:LabelCount`` ``{base}id/derived/label-count/{class}/{language}`` per class and
  label language (``-`` for none): resources with such a label (``cg:count``) out of ``cg:classTotal``;
- **sources per publisher** — ``cg:PublisherCount``
  ``{base}id/derived/publisher/{publisher}/{language}`` (both percent-encoded; ``-`` for no language) per
  publisher name and language of the ``cg:Source`` records: the sources (``cg:sourceCount``) and the
  distinct records and statements citing any of them (``cg:citingCount``, so one citing two of them counts
  once);
- **sorted id lists** — ``cg:sourceKeys`` on every ``cg:Reading``: the ids of its sources (the IRI after
  ``/id/source/``), sorted, space-separated; ``cg:aboutKeys`` on every ``cg:Conflict``: the ids of what it
  is about (after ``/id/``), sorted. ``GROUP_CONCAT`` has no order, and every store concatenates in its
  own, so the conflict queries read these instead and give the same string everywhere;
- **search keys** — ``cg:searchKey`` on every sourced resource of a culturegraph class: its names and
  alternative names, lower-cased, one per line. It only narrows a search (``queries/search.rq`` still
  checks each name), so it can never hide a match.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING
from urllib.parse import quote

import pyoxigraph as ox

from .derived import CG, XSD, _int, _nn, _tail

if TYPE_CHECKING:
    from .derived import Add, _Index

SPEAKING = CG + "SpeakingRoles"


def summaries(idx: _Index, base_iri: str, add: Add) -> None:
    """Add every summary of this module for the index ``idx``."""
    _agents(idx, add)
    _themes(idx, base_iri, add)
    _nationalities(idx, base_iri, add)
    _label_coverage(idx, base_iri, add)
    _publishers(idx, base_iri, add)
    _key_lists(idx, add)
    _search_keys(idx, add)


def _agents(idx: _Index, add: Add) -> None:
    editions: dict[str, set[str]] = defaultdict(set)
    roles: dict[str, set[str]] = defaultdict(set)
    for part, agent in idx.participant.items():
        event = idx.in_event.get(part)
        edition = idx.edition(event) if event else None
        if edition is None:
            continue
        editions[agent].add(edition)
        if part in idx.roles:
            roles[agent].add(idx.notation.get(idx.roles[part], _tail(idx.roles[part])))
        org = idx.affiliation.get(part)
        if org is not None:
            editions[org].add(edition)
    for agreement, org in idx.parties:
        edition = idx.edition(agreement)
        if edition is not None:
            editions[org].add(edition)
    summary: dict[str, tuple[int, int | None, int | None]] = {}
    for agent in editions:
        years = [y for y in (idx.year(e) for e in editions[agent]) if y is not None]
        summary[agent] = (len(editions[agent]), min(years, default=None), max(years, default=None))
    for rank, agent in enumerate(sorted(summary, key=lambda a: _recurrence_key(a, *summary[a])), start=1):
        count, first, last = summary[agent]
        node = _nn(agent)
        add(node, CG + "editionCount", _int(count))
        add(node, CG + "recurrenceRank", _int(rank))
        if first is not None and last is not None:
            add(node, CG + "firstYear", _int(first))
            add(node, CG + "lastYear", _int(last))
        if roles[agent]:
            add(node, CG + "roleKeys", ox.Literal(" ".join(sorted(roles[agent]))))


def _recurrence_key(agent: str, count: int, first: int | None, last: int | None) -> tuple[object, ...]:
    """The order of ``ORDER BY DESC(?editions) ?first ?last ?agent`` in SPARQL, where an unbound value
    sorts before any bound one and IRIs compare by their text (code point order, as Python's)."""
    return (-count, first is not None, first or 0, last is not None, last or 0, agent)


def _ancestors(idx: _Index, theme: str) -> set[str]:
    """``theme`` and every theme above it along ``skos:broader`` (cycles tolerated)."""
    seen, todo = {theme}, [theme]
    while todo:
        for up in idx.broader.get(todo.pop(), ()):
            if up not in seen:
                seen.add(up)
                todo.append(up)
    return seen


def _themes(idx: _Index, base_iri: str, add: Add) -> None:
    direct: dict[tuple[str, int], set[str]] = defaultdict(set)
    parts: dict[tuple[str, int], set[str]] = defaultdict(set)
    rolled: dict[tuple[str, int], set[str]] = defaultdict(set)
    on_edition: set[tuple[str, int]] = set()
    for item in sorted(idx.themes):
        edition = idx.edition(item)
        year = idx.year(item) if edition is not None else None
        if year is None:
            continue
        for theme in idx.themes[item]:
            key = (theme, year)
            direct[key].add(item)
            if item == edition:
                on_edition.add(key)
            else:
                parts[key].add(item)
            for up in _ancestors(idx, theme):
                rolled[(up, year)].add(item)
    for theme, year in sorted(rolled, key=lambda k: (_tail(k[0]), k[1], k[0])):
        key = (theme, year)
        node = _nn(f"{base_iri}id/derived/theme-year/{_tail(theme)}/{year}")
        add(node, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", _nn(CG + "ThemeYearCount"))
        add(node, CG + "countedTheme", _nn(theme))
        add(node, CG + "year", _int(year))
        add(node, CG + "count", _int(len(direct.get(key, ()))))
        add(node, CG + "partCount", _int(len(parts.get(key, ()))))
        add(node, CG + "onEdition", ox.Literal("true" if key in on_edition else "false",
                                               datatype=_nn(XSD + "boolean")))
        add(node, CG + "rolledUpCount", _int(len(rolled[key])))


def _nationalities(idx: _Index, base_iri: str, add: Add) -> None:
    speaking = idx.members.get(SPEAKING, set())
    people: dict[str, set[str]] = defaultdict(set)
    talks: dict[str, set[str]] = defaultdict(set)
    for part, agent in idx.participant.items():
        if idx.roles.get(part) not in speaking or CG + "Person" not in idx.types.get(agent, ()):
            continue
        for country in idx.nationality.get(agent) or [""]:
            people[country].add(agent)
            talks[country].add(part)
    for country in sorted(people):
        node = _nn(f"{base_iri}id/derived/nationality/{_tail(country) if country else 'unknown'}")
        add(node, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", _nn(CG + "NationalityCount"))
        if country:
            add(node, CG + "countedCountry", _nn(country))
        add(node, CG + "speakerCount", _int(len(people[country])))
        add(node, CG + "talkCount", _int(len(talks[country])))


def _label_coverage(idx: _Index, base_iri: str, add: Add) -> None:
    total: dict[str, int] = defaultdict(int)
    labelled: dict[tuple[str, str], int] = defaultdict(int)
    for subject, classes in idx.types.items():
        languages = {lang.lower() for _, lang in idx.labels.get(subject, ())}
        for cls in classes:
            if not cls.startswith(CG):
                continue
            total[cls] += 1
            for lang in languages:
                labelled[(cls, lang)] += 1
    for cls, lang in sorted(labelled):
        node = _nn(f"{base_iri}id/derived/label-count/{_tail(cls.replace('#', '/'))}/{lang or '-'}")
        add(node, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", _nn(CG + "LabelCount"))
        add(node, CG + "countedClass", _nn(cls))
        add(node, CG + "labelLanguage", ox.Literal(lang))
        add(node, CG + "count", _int(labelled[(cls, lang)]))
        add(node, CG + "classTotal", _int(total[cls]))


def _segment(term: ox.Literal | ox.NamedNode) -> str:
    """A path segment for a term: its percent-encoded text, then, unless it is a plain xsd:string, a raw
    comma (which percent-encoding never leaves) and its language, datatype or ``iri`` — one term, one
    segment."""
    text = quote(term.value, safe="")
    if isinstance(term, ox.NamedNode):
        return text + ",iri"
    if term.language:
        return text + ",@" + quote(term.language, safe="")
    if term.datatype.value != XSD + "string":
        return text + ",^^" + quote(term.datatype.value, safe="")
    return text


def _publishers(idx: _Index, base_iri: str, add: Add) -> None:
    sources: dict[tuple[ox.Literal, ox.Literal | None], set[str]] = defaultdict(set)
    citing: dict[tuple[ox.Literal, ox.Literal | None], set[str]] = defaultdict(set)
    for source, classes in idx.types.items():
        if CG + "Source" not in classes:
            continue
        for publisher in idx.publisher.get(source, ()):
            for language in idx.language.get(source) or (None,):
                key = (publisher, language)
                sources[key].add(source)
                citing[key].update(idx.cited_by.get(source, ()))
    nodes = {(_segment(p), _segment(lang) if lang is not None else "-"): (p, lang) for p, lang in sources}
    for segments in sorted(nodes):
        publisher, language = key = nodes[segments]
        node = _nn(f"{base_iri}id/derived/publisher/{segments[0]}/{segments[1]}")
        add(node, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", _nn(CG + "PublisherCount"))
        add(node, CG + "countedPublisher", publisher)
        if language is not None:
            add(node, CG + "countedLanguage", language)
        add(node, CG + "sourceCount", _int(len(sources[key])))
        add(node, CG + "citingCount", _int(len(citing[key])))


def _key_lists(idx: _Index, add: Add) -> None:
    sources: dict[str, set[str]] = defaultdict(set)
    for source, subjects in idx.cited_by.items():
        if "/id/source/" in source:
            for subject in subjects:
                if CG + "Reading" in idx.types.get(subject, ()):
                    sources[subject].add(source.split("/id/source/", 1)[1])
    for reading in sorted(sources):
        add(_nn(reading), CG + "sourceKeys", ox.Literal(" ".join(sorted(sources[reading]))))
    for conflict in sorted(idx.about):
        ids = sorted({about.split("/id/", 1)[1] for about in idx.about[conflict] if "/id/" in about})
        if ids and CG + "Conflict" in idx.types.get(conflict, ()):
            add(_nn(conflict), CG + "aboutKeys", ox.Literal(" ".join(ids)))


def _search_keys(idx: _Index, add: Add) -> None:
    for subject in sorted(idx.sourced):
        if not any(c.startswith(CG) for c in idx.types.get(subject, ())):
            continue
        names = {value.lower() for value, _ in idx.labels.get(subject, ())}
        names.update(value.lower() for value in idx.alt.get(subject, ()))
        if names:
            add(_nn(subject), CG + "searchKey", ox.Literal("\n".join(sorted(names))))
