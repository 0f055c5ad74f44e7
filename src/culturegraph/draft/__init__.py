"""``culturegraph draft``: a reviewable draft of records from a news article or press release.

The article (plain text or HTML, Indonesian, Korean, English or Japanese; never fetched) becomes a source
record and an edition record — ordinal, dates, city, country, venue, series, participants with their roles,
sessions — in the data folder's own YAML. Names are linked to the records the graph already holds
(:mod:`.linker`); every drafted fact cites the article and is ``confidence: low``, and every record is
``drafted: true`` until a person has reviewed it. What the article does not state stays absent. Checking a
draft as if merged and merging it: :mod:`.merge`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .dates import article_date, find_dates
from .extract import new_bodies, new_people, official, ordinal, position, roles, sentences, session_titles
from .linker import Mention, name_index
from .text import LANGUAGES, Article, DraftError, read_article, read_bytes

if TYPE_CHECKING:
    from ..api import CultureGraph

__all__ = ["LANGUAGES", "Draft", "DraftError", "draft_article"]


@dataclass
class Linked:
    """A record of the graph the article names: its id, the text that matched, the score, a role."""

    id: str
    text: str
    score: float
    role: str | None = None
    role_text: str | None = None
    position: str | None = None


@dataclass
class Draft:
    """What the drafter read from one article (see :meth:`to_yaml` for the file it writes)."""

    article: Article
    source: dict[str, Any]
    event: str | None = None  # the edition's id: an existing one, or the one proposed
    event_exists: bool = False
    series: Linked | None = None
    ordinal: tuple[int, str] | None = None
    start: date | None = None
    end: date | None = None
    date_text: str = ""
    year_inferred: bool = False
    city: Linked | None = None
    country: Linked | None = None
    venue: Linked | None = None
    organisations: list[Linked] = field(default_factory=list)
    people: list[Linked] = field(default_factory=list)
    sessions: list[str] = field(default_factory=list)
    session_themes: list[list[str]] = field(default_factory=list)  # theme ids each session title names
    forum: bool = False  # its series' editions are forum events: written as edition + sessions
    themes: list[Linked] = field(default_factory=list)
    new_people: list[tuple[str, int]] = field(default_factory=list)
    new_bodies: list[tuple[str, int]] = field(default_factory=list)

    def to_yaml(self) -> str:
        """The draft in the data folder's YAML, with what each link matched as comments."""
        from .render import render

        return render(self)


def draft_article(cg: CultureGraph, path: Path, *, url: str | None = None, lang: str = "auto",
                  content: bytes | None = None) -> Draft:
    """Read ``path`` (or ``content``, a pasted article that ``path`` names) and draft its records.

    :raises DraftError: bad input (empty, binary, no text, a language not handled) or an article that
        announces no event (no date, series or edition named)."""
    art = read_article(path, lang) if content is None else read_bytes(content, path, lang)
    lang = art.language
    base = article_date(art.text, lang, art.date)
    mentions = name_index(cg).find(art.text)
    bounds = sentences(art.text)
    source = _source(cg, art, url, base)
    d = Draft(art, source)
    dated = [f for f in find_dates(art.text, lang, base) if not (f.year_stated and f.start == base and f.end is None
                                                                  and f.span[0] < 300)]
    if dated:
        first = dated[0]
        d.start, d.end, d.date_text, d.year_inferred = first.start, first.end, first.text, not first.year_stated
    by_kind: dict[str, list[Mention]] = {}
    line_from, line_to = _dateline(art.text, lang)
    mentions = [_where(art.text, lang, m) for m in mentions]
    for m in mentions:
        if m.entity.kind in ("city", "country", "venue") and line_from <= m.start < line_to:
            continue  # the dateline's city is where the article was written, not where the event is
        by_kind.setdefault(m.entity.kind, []).append(m)
    edition = next(iter(by_kind.get("edition", [])), None)
    series = next(iter(by_kind.get("series", [])), None)
    if series is not None:
        d.series = Linked(series.entity.id, series.text, series.score)
    if edition is None and d.start is None and series is None:
        raise DraftError(f"{path}: no event found: the article names no series or edition of the graph and "
                         "states no date")
    _event(cg, d, edition)
    found = ordinal(art.text[:1500], lang)
    if found is not None:
        d.ordinal = (int(found.value), found.text)  # type: ignore[call-overload]
    _places(cg, d, by_kind)
    # records named in full somewhere (not only by an acronym)
    seen_full = {m.entity.id for m in mentions if not re.fullmatch(r"[A-Z0-9&-]{2,6}", m.text)}
    agents = [m for m in mentions if m.entity.kind in ("organisation", "person") and not _region(art.text, m)]
    spans = [(m.start, m.end) for m in mentions]
    found_roles = roles(art.text, lang, [(m.start, m.end) for m in agents], bounds,
                        {i for i, m in enumerate(agents) if m.entity.kind == "person"})
    for kind, out in (("organisation", d.organisations), ("person", d.people)):
        named: dict[str, tuple[Mention, Any]] = {}  # in text order; a later mention may bring the role
        for i, m in enumerate(agents):
            if m.entity.kind != kind:
                continue
            role = found_roles.get(i)
            if role is None and kind == "person":
                role = official(art.text, lang, m.start, m.end)
            if m.entity.id not in named or (named[m.entity.id][1] is None and role is not None):
                named[m.entity.id] = (named[m.entity.id][0] if m.entity.id in named else m, role)
        for rid, (m, role) in named.items():
            if role is None and re.fullmatch(r"[A-Z0-9&-]{2,6}", m.text) and rid not in seen_full:
                continue  # a bare acronym with no role ("ASEAN member states"): a word, not a participant
            post = position(art.text, lang, m.start, m.end, spans) if kind == "person" else None
            out.append(Linked(rid, m.text, m.score, role.value if role else None, role.text if role else None,
                              str(post.value) if post else None))
    names = [(m.start, m.end) for m in mentions if m.entity.kind in ("series", "edition")]
    for f in session_titles(art.text, lang, names):
        title = str(f.value)
        at = art.text.find(title, f.start)
        d.sessions.append(title)
        d.session_themes.append(sorted({m.entity.id for m in mentions if m.entity.kind == "theme"
                                        and at <= m.start < at + len(title)}))
    if d.series is not None:
        d.forum = bool(cg.query(f"ASK {{ ?e cg:partOfSeries <{cg.settings.base_iri}id/series/{d.series.id}> ; "
                                "a cg:ForumEvent }").boolean)
    for m in by_kind.get("theme", []):  # topic words the theme list names
        if all(t.id != m.entity.id for t in d.themes):
            d.themes.append(Linked(m.entity.id, m.text, m.score))
    known = [(m.start, m.end) for m in mentions]
    d.new_people = [(str(f.value), f.start) for f in new_people(art.text, lang, known)]
    d.new_bodies = [(str(f.value), f.start) for f in new_bodies(art.text, lang, known + [
        (at, at + len(name)) for name, at in d.new_people])]
    return d


# the words that say "at this place" (a venue, not the organisation of the same name)
_AT_BEFORE = {"id": re.compile(r"\b(?:di|bertempat di)\s+$", re.I), "en": re.compile(r"\b(?:at|in)\s+(?:the\s+)?$",
                                                                                     re.I)}
_AT_AFTER = {"ko": re.compile(r"^\s?(?:에서|에서는)"), "ja": re.compile(r"^\s?(?:で|にて)")}


def _where(text: str, lang: str, m: Mention) -> Mention:
    """A name that is both an organisation and a venue (ACC, the National Gallery Singapore): the venue when
    the text says it happens there (``di …``, ``at …``, ``…에서``, ``…で``)."""
    venue = next((e for e in m.others if e.kind == "venue"), None)
    if m.entity.kind != "organisation" or venue is None:
        return m
    before = _AT_BEFORE.get(lang)
    after = _AT_AFTER.get(lang)
    if (before and before.search(text[max(0, m.start - 20):m.start])) or (after and after.match(text[m.end:m.end + 4])):
        return Mention(venue, m.text, m.start, m.end, m.score, (m.entity,))
    return m


# "ASEAN member states", "negara anggota ASEAN", "아세안 10개국", "ASEAN加盟国": a region, not a participant
_REGION = re.compile(r"member|anggota|negara|countries|states|nations|chairmanship|회원국|\d+\s?개국|국가들|"
                     r"加盟国|諸国|か国|カ国|各国|의장국", re.I)


def _region(text: str, m: Mention) -> bool:
    """An organisation named like its region (ASEAN) and used as the region's name, or as part of a compound
    (``한-아세안``, ``韓・ASEAN``, ``ASEAN-Korea``)."""
    if m.entity.kind != "organisation":
        return False
    before, after = text[max(0, m.start - 15):m.start], text[m.end:m.end + 15]
    return bool(_REGION.search(before + m.text + after) or re.search(r"(?:한|韓|Korea|Korsel)\s?[-–·・]\s?$", before)
                or re.match(r"^\s?[-–·・]\s?(?:Korea|ROK|한국|韓)", after))


def _dateline(text: str, lang: str) -> tuple[int, int]:
    """Where a dateline is (``JAKARTA, 20 Oktober 2024 —``, ``서울=``, ``SEOUL (Yonhap) —``) in the first
    lines: the place before its dash or ``=``; (0, 0) when there is none."""
    offset = 0
    for line in text.splitlines(keepends=True)[:6]:
        m = re.match(r"^(.{2,80}?)(?:\s[—–-]{1,2}\s|=)", line)
        if m and (find_dates(m.group(1), lang, None) or re.search(r"\(\w[^)]*\)\s*$|^[A-Z\s]+,", m.group(1))
                  or "=" in m.group(0)):
            return offset, offset + m.end()
        offset += len(line)
    return 0, 0


def _source(cg: CultureGraph, art: Article, url: str | None, when: date | None) -> dict[str, Any]:
    slug = re.sub(r"[^a-z0-9]+", "-", (urlsplit(url).path if url else art.path.stem).lower()).strip("-")[-40:]
    host = urlsplit(url).hostname if url else None
    rid = "draft-" + "-".join(x for x in ((host or "").removeprefix("www.").split(".")[0], slug) if x)
    out: dict[str, Any] = {"id": rid}
    if url:
        out["url"] = url
    first = next((line.strip() for line in art.text.splitlines() if line.strip()), "")
    title = art.title or (first if len(first) <= 150 and not first.endswith((".", "。", "다.")) else "")
    if title:
        out["title"] = title
    publisher = _publisher(cg, host)
    if publisher:
        out["publisher"] = publisher
    out["language"] = art.language
    if when:
        out["date"] = when.isoformat()
    return out


def _publisher(cg: CultureGraph, host: str | None) -> str | None:
    """The publisher the graph's sources from the same site name most often."""
    if not host:
        return None
    rows = cg.query("SELECT ?url ?p WHERE { ?s a cg:Source ; schema:url ?url ; cg:publisherName ?p }",
                    limit=None).rows
    names = Counter(str(p) for u, p in rows if urlsplit(str(u)).hostname == host)
    return min(names, key=lambda n: (-names[n], n)) if names else None


def _event(cg: CultureGraph, d: Draft, edition: Mention | None) -> None:
    base = cg.settings.base_iri
    if edition is not None:
        d.event, d.event_exists = edition.entity.id, True
        if d.series is None:
            rows = cg.query(f"SELECT ?s WHERE {{ <{base}id/edition/{edition.entity.id}> cg:partOfSeries ?s }}").rows
            if rows:
                d.series = Linked(str(rows[0][0]).rsplit("/", 1)[-1], edition.text, edition.score)
        return
    if d.series is None or d.start is None:
        return
    rows = cg.query(f"SELECT ?e WHERE {{ ?e cg:partOfSeries <{base}id/series/{d.series.id}> ; "
                    f"cg:startYear {d.start.year} }} ORDER BY ?e").rows
    if len(rows) == 1:
        d.event, d.event_exists = str(rows[0][0]).rsplit("/", 1)[-1], True
        return
    siblings = [str(r[0]).rsplit("/", 1)[-1] for r in cg.query(
        f"SELECT ?e ?y WHERE {{ ?e cg:partOfSeries <{base}id/series/{d.series.id}> ; cg:startYear ?y }} "
        "ORDER BY DESC(?y) ?e").rows]
    pattern = next((s for s in siblings if re.search(r"(19|20)\d{2}", s)), None)
    d.event = (re.sub(r"(19|20)\d{2}", str(d.start.year), pattern, count=1) if pattern
               else f"{d.series.id}-{d.start.year}")


def _places(cg: CultureGraph, d: Draft, by_kind: dict[str, list[Mention]]) -> None:
    base = cg.settings.base_iri
    cities = by_kind.get("city", [])
    if cities:
        c = cities[0]
        d.city = Linked(c.entity.id, c.text, c.score)
        rows = cg.query(f"SELECT ?c WHERE {{ <{base}id/city/{c.entity.id}> schema:containedInPlace ?c }}").rows
        country = str(rows[0][0]).rsplit("/", 1)[-1] if rows else None
        stated = next((m for m in by_kind.get("country", []) if m.entity.id == country
                       and min(abs(m.start - c.end), abs(c.start - m.end)) <= 40), None)  # "Kuala Lumpur, Malaysia"
        if stated is None:  # a city-state: the city's name is the country's (Singapore)
            stated = next((m for m in cities if any(e.kind == "country" and e.id == country for e in m.others)), None)
        if stated is not None:  # only a country the article names
            d.country = Linked(country or stated.entity.id, stated.text, stated.score)
    venues = by_kind.get("venue", [])
    if venues:
        d.venue = Linked(venues[0].entity.id, venues[0].text, venues[0].score)
