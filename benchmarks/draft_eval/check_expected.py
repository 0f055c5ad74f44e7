"""Check the draft evaluation set: every fact in ``expected/*.yaml`` must be in the built graph.

Run from the project root::

    .venv/bin/python -m benchmarks.draft_eval.check_expected [--root PATH] [-v]

For each expected file it checks, with SPARQL through the project's facade (``CultureGraph.query``):

- the event exists (an edition of a series, or a related event);
- ``series``: the event is part of it (``cg:partOfSeries``, or ``cg:partOfProgramme`` for a related event);
- ``ordinal``, ``start``, ``end``: the asserted ``cg:ordinal``, ``schema:startDate``, ``schema:endDate``
  (readings kept only as ``alternatives`` in the data are not asserted and do not count);
- ``city``, ``country``, ``venue``: ``cg:hostCity`` / ``schema:location``, ``cg:hostCountry`` (or the
  country of that city), ``cg:venue``;
- ``organisations`` and ``people``: a participation (``cg:inEvent``) in the event or one of its sessions
  (``cg:partOfEdition``) with that participant and role key (``skos:notation`` of the role); with
  ``role: null`` any participation, or the agent being the recorded affiliation of one
  (``cg:affiliationAtTime``); a stated ``position`` needs a ``cg:positionAtTime`` on such a
  participation, and where the data holds the position in the article's language the two must agree
  (one contains the other, after normalising case, punctuation and width);
- ``sessions``: each title is an official title (``rdfs:label`` that is not a ``cg:gloss``) of a session of
  the event, and where the data numbers the sessions (``cg:order``) the article's order agrees.

It also checks the articles themselves, so that the set stays what the README says: every named entity
(event or its series, city, country, venue, organisations, people) occurs in the article under one of the
names the data holds for it (``rdfs:label``, ``skos:altLabel``, ``skos:prefLabel``, any language), every
stated position and session title occurs in the article, the article's date is a date, a stated year
appears in the text unless ``year_inferred`` says it comes from the dateline, and every article has exactly
one expected file.

Prints each mismatch as ``file: field: message`` and exits 1 if there is any.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import unicodedata
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ARTICLES = HERE / "articles"
EXPECTED = HERE / "expected"
ID = "https://w3id.org/culturegraph/id/"

# the kinds an id in an expected file may resolve to, in the order they are tried
EVENT_KINDS = ("edition", "event")
AGENT_KINDS = ("organisation", "fund", "person", "country")
PLACE_KINDS = {"city": ("city",), "country": ("country",), "venue": ("venue",)}
SERIES_KINDS = ("series", "programme")

LANGUAGES = {"id", "ko", "en", "ja"}
KEYS = {"article", "language", "article_date", "event", "series", "ordinal", "start", "end", "year_inferred",
        "city", "country", "venue", "organisations", "people", "sessions"}
REQUIRED = ("article", "language", "event")
ID_RE = re.compile(r"^[a-z0-9-]+$")

# English function words dropped before comparing names ("Ministry of Foreign Affairs of the Republic of
# Korea" is the data's "Ministry of Foreign Affairs (Republic of Korea)" in running text)
STOPWORDS = {"of", "the"}


# ---------------------------------------------------------------------------------------------- text
class _Text(HTMLParser):
    """The visible text of an HTML page (script and style left out)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def article_text(path: Path) -> str:
    raw = path.read_text(encoding="utf-8")
    if path.suffix.lower() in (".html", ".htm"):
        parser = _Text()
        parser.feed(raw)
        return " ".join(parser.parts)
    return raw


def norm(s: str) -> str:
    """NFKC, case-folded, punctuation to spaces, English function words dropped, spaces collapsed."""
    s = unicodedata.normalize("NFKC", s).casefold()
    s = "".join(ch if ch.isalnum() else " " for ch in s)
    return " ".join(w for w in s.split() if w not in STOPWORDS)


def occurs(name: str, text_norm: str) -> bool:
    """Whether ``name`` occurs in the normalised text. A Latin-script name must not start or end inside a
    Latin word ("ACC" is not found in "ACCESS"); other scripts are matched as substrings (Korean particles
    and Japanese kana attach to names)."""
    n = norm(name)
    if not n:
        return False
    if n.isascii():
        return re.search(r"(?<![a-z0-9])" + re.escape(n) + r"(?![a-z0-9])", text_norm) is not None
    return n in text_norm


def agree(a: str, b: str) -> bool:
    x, y = norm(a), norm(b)
    return bool(x) and bool(y) and (x in y or y in x)


# ---------------------------------------------------------------------------------------------- graph
class Graph:
    def __init__(self, root: Path) -> None:
        from culturegraph.api import CultureGraph

        self.cg = CultureGraph(str(root))
        self._kind: dict[str, str | None] = {}
        self._labels: dict[str, list[str]] = {}
        self.role_keys = {str(r[0]) for r in self.rows(
            "SELECT ?k WHERE { ?r skos:inScheme cg:RoleScheme ; skos:notation ?k }")}

    def rows(self, sparql: str) -> list[tuple[Any, ...]]:
        return self.cg.query(sparql).rows

    def ask(self, sparql: str) -> bool:
        return bool(self.cg.query(sparql).boolean)

    def iri(self, rid: str, kinds: tuple[str, ...]) -> str | None:
        """The IRI of the record ``rid`` among ``kinds`` (the first kind under which it exists)."""
        for kind in kinds:
            iri = f"{ID}{kind}/{rid}"
            if iri not in self._kind:
                self._kind[iri] = kind if self.ask(f"ASK {{ <{iri}> a ?t }}") else None
            if self._kind[iri]:
                return iri
        return None

    def labels(self, iri: str) -> list[str]:
        if iri not in self._labels:
            self._labels[iri] = [str(r[0]) for r in self.rows(
                f"SELECT DISTINCT ?l WHERE {{ <{iri}> rdfs:label|skos:altLabel|skos:prefLabel ?l }}")]
        return self._labels[iri]

    def values(self, iri: str, prop: str) -> list[str]:
        return [str(r[0]) for r in self.rows(f"SELECT ?v WHERE {{ <{iri}> {prop} ?v }}")]


def tree(ev: str) -> str:
    """A graph pattern binding ?x to the event or one of its sessions."""
    return f"{{ BIND(<{ev}> AS ?x) }} UNION {{ ?x cg:partOfEdition <{ev}> }}"


# ---------------------------------------------------------------------------------------------- checks
class Checker:
    def __init__(self, graph: Graph, verbose: bool = False) -> None:
        self.g = graph
        self.verbose = verbose
        self.mismatches: list[str] = []
        self.facts = 0
        self.presence_only = 0

    def bad(self, name: str, field: str, msg: str) -> None:
        self.mismatches.append(f"{name}: {field}: {msg}")

    def fact(self) -> None:
        self.facts += 1

    def named(self, name: str, field: str, iri: str, text: str, also: list[str] | None = None) -> None:
        """The entity must occur in the article under a name the data holds for it."""
        names = self.g.labels(iri) + (also or [])
        if not any(occurs(n, text) for n in names):
            shown = "; ".join(sorted(set(names))[:8]) or "(no labels)"
            self.bad(name, field, f"{iri.removeprefix(ID)} is not named in the article by any of its data "
                                  f"names ({shown})")

    def check_file(self, path: Path) -> None:
        name = path.name
        try:
            exp = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as e:
            self.bad(name, "yaml", str(e).replace("\n", " "))
            return
        if not isinstance(exp, dict):
            self.bad(name, "yaml", "not a mapping")
            return
        for key in sorted(set(exp) - KEYS):
            self.bad(name, key, "unknown key")
        for key in REQUIRED:
            if not exp.get(key):
                self.bad(name, key, "missing")
        if any(not exp.get(k) for k in REQUIRED):
            return

        art = ARTICLES / exp["article"]
        if not art.is_file():
            self.bad(name, "article", f"no file articles/{exp['article']}")
            return
        if Path(exp["article"]).stem != path.stem:
            self.bad(name, "article", f"expected file and article have different names ({exp['article']})")
        text = norm(article_text(art))
        lang = exp["language"]
        if lang not in LANGUAGES:
            self.bad(name, "language", f"{lang!r} is not one of {sorted(LANGUAGES)}")

        # article date ---------------------------------------------------------------------------
        adate = exp.get("article_date")
        if adate is not None and not isinstance(adate, dt.date):
            self.bad(name, "article_date", f"{adate!r} is not a YYYY-MM-DD date")
            adate = None

        # event ------------------------------------------------------------------------------------
        ev = self.g.iri(str(exp["event"]), EVENT_KINDS)
        self.fact()
        if ev is None:
            self.bad(name, "event", f"no edition or event with id {exp['event']!r}")
            return
        series_iri = None
        if exp.get("series"):
            self.fact()
            series_iri = self.g.iri(str(exp["series"]), SERIES_KINDS)
            if series_iri is None:
                self.bad(name, "series", f"no series or programme {exp['series']!r}")
            elif not self.g.ask(f"ASK {{ <{ev}> cg:partOfSeries|cg:partOfProgramme <{series_iri}> }}"):
                self.bad(name, "series", f"{exp['event']} is not part of {exp['series']}")
            else:
                self.named(name, "series", series_iri, text)
        # the event is named by its own name or its series' name
        ev_names = self.g.labels(ev) + (self.g.labels(series_iri) if series_iri else [])
        if not any(occurs(n, text) for n in ev_names):
            self.bad(name, "event", f"the article names neither {exp['event']} nor its series by a data name")

        # ordinal and dates --------------------------------------------------------------------------
        if "ordinal" in exp:
            self.fact()
            have = [int(v) for v in self.g.values(ev, "cg:ordinal")]
            if have != [exp["ordinal"]]:
                self.bad(name, "ordinal", f"article {exp['ordinal']}, data {have or 'none'}")
        for field, prop in (("start", "schema:startDate"), ("end", "schema:endDate")):
            if field not in exp:
                continue
            self.fact()
            want = exp[field]
            if not isinstance(want, dt.date):
                self.bad(name, field, f"{want!r} is not a YYYY-MM-DD date")
                continue
            have = self.g.values(ev, prop)
            if have != [want.isoformat()]:
                self.bad(name, field, f"article {want.isoformat()}, data {have or 'none'}")
        if "end" in exp and "start" in exp and exp["end"] == exp["start"]:
            self.bad(name, "end", "same as start: omit end for a one-day event")
        inferred = exp.get("year_inferred", False)
        if not isinstance(inferred, bool):
            self.bad(name, "year_inferred", "must be true or false")
        elif isinstance(exp.get("start"), dt.date):
            year = str(exp["start"].year)
            if inferred:
                if adate is None:
                    self.bad(name, "year_inferred", "true, but the article states no date of its own")
                elif adate.year != exp["start"].year:
                    self.bad(name, "year_inferred", f"the dateline year {adate.year} is not the event's {year}")
            elif not re.search(r"(?<!\d)" + year + r"(?!\d)", text):
                self.bad(name, "year_inferred", f"false, but the year {year} does not occur in the article")

        # places -------------------------------------------------------------------------------------
        place_query = {
            "city": "ASK {{ <{ev}> cg:hostCity|schema:location <{p}> }}",
            "country": "ASK {{ {{ <{ev}> cg:hostCountry <{p}> }} UNION "
                       "{{ <{ev}> cg:hostCity|schema:location ?c . ?c schema:containedInPlace <{p}> }} }}",
            "venue": "ASK {{ <{ev}> cg:venue <{p}> }}",
        }
        for field, kinds in PLACE_KINDS.items():
            if not exp.get(field):
                continue
            self.fact()
            p = self.g.iri(str(exp[field]), kinds)
            if p is None:
                self.bad(name, field, f"no {field} with id {exp[field]!r}")
            elif not self.g.ask(place_query[field].format(ev=ev, p=p)):
                self.bad(name, field, f"{exp[field]} is not the {field} of {exp['event']} in the data")
            else:
                self.named(name, field, p, text)

        # participants -------------------------------------------------------------------------------
        for field in ("organisations", "people"):
            seen: set[tuple[str, Any]] = set()
            for entry in exp.get(field) or []:
                self.check_participant(name, field, ev, entry, lang, text, seen)

        # sessions -----------------------------------------------------------------------------------
        self.check_sessions(name, ev, exp.get("sessions") or [], text)

    def check_participant(self, name: str, field: str, ev: str, entry: Any, lang: str, text: str,
                          seen: set[tuple[str, Any]]) -> None:
        self.fact()
        if not isinstance(entry, dict) or not entry.get("id") or set(entry) - {"id", "role", "position"}:
            self.bad(name, field, f"entry {entry!r} is not {{id, role[, position]}}")
            return
        rid, role = str(entry["id"]), entry.get("role")
        if (rid, role) in seen:
            self.bad(name, field, f"{rid} with role {role} listed twice")
        seen.add((rid, role))
        if field == "organisations" and "position" in entry:
            self.bad(name, field, f"{rid}: an organisation has no position")
        kinds = ("person",) if field == "people" else ("organisation", "fund", "country")
        agent = self.g.iri(rid, kinds)
        if agent is None:
            self.bad(name, field, f"no {'/'.join(kinds)} with id {rid!r}")
            return
        self.named(name, field, agent, text)
        if role is not None and role not in self.g.role_keys:
            self.bad(name, field, f"{rid}: {role!r} is not a role key of the ontology")
            return
        if role is None:
            ok = self.g.ask(f"ASK {{ {tree(ev)} ?p cg:inEvent ?x . "
                            f"{{ ?p cg:participant <{agent}> }} UNION {{ ?p cg:affiliationAtTime <{agent}> }} }}")
            if not ok:
                self.bad(name, field, f"{rid} neither takes part in {ev.removeprefix(ID)} nor is the "
                                      f"affiliation of a participant")
        else:
            ok = self.g.ask(f"ASK {{ {tree(ev)} ?p cg:inEvent ?x ; cg:participant <{agent}> ; cg:role ?r . "
                            f"?r skos:notation ?k FILTER(STR(?k) = \"{role}\") }}")
            if not ok:
                have = sorted({str(r[0]) for r in self.g.rows(
                    f"SELECT ?k WHERE {{ {tree(ev)} ?p cg:inEvent ?x ; cg:participant <{agent}> ; cg:role ?r . "
                    f"?r skos:notation ?k }}")})
                self.bad(name, field, f"{rid}: no participation with role {role} "
                                      f"(data roles here: {', '.join(have) or 'none'})")
                return
        position = entry.get("position")
        if position is None:
            return
        self.fact()
        if not occurs(str(position), text):
            self.bad(name, field, f"{rid}: position {position!r} does not occur in the article")
        role_filter = f'?p cg:role ?r . ?r skos:notation ?k FILTER(STR(?k) = "{role}")' if role else ""
        rows = self.g.rows(f"SELECT ?pos WHERE {{ {tree(ev)} ?p cg:inEvent ?x ; cg:participant <{agent}> ; "
                           f"cg:positionAtTime ?pos . {role_filter} }}")
        if not rows:
            self.bad(name, field, f"{rid}: the article states a position, the data records none")
            return
        same_lang = [str(r[0]) for r in rows if getattr(r[0], "language", None)
                     and r[0].language.split("-")[0] == lang]
        if same_lang:
            if not any(agree(str(position), v) for v in same_lang):
                self.bad(name, field, f"{rid}: position {position!r} differs from the data's "
                                      f"{' / '.join(same_lang)}")
        else:
            self.presence_only += 1

    def check_sessions(self, name: str, ev: str, titles: list[Any], text: str) -> None:
        if not titles:
            return
        rows = self.g.rows(
            f"SELECT ?s ?l ?o WHERE {{ ?s cg:partOfEdition <{ev}> ; rdfs:label ?l . OPTIONAL {{ ?s cg:order ?o }} "
            f"FILTER NOT EXISTS {{ ?s cg:gloss ?g FILTER(STR(?g) = STR(?l) && LANG(?g) = LANG(?l)) }} }}")
        by_title: dict[str, tuple[str, int | None]] = {}
        for s, label, order in rows:
            by_title.setdefault(norm(str(label)), (str(s), int(order) if order is not None else None))
        orders: list[tuple[str, int]] = []
        for title in titles:
            self.fact()
            if not occurs(str(title), text):
                self.bad(name, "sessions", f"title {title!r} does not occur in the article")
            hit = by_title.get(norm(str(title)))
            if hit is None:
                self.bad(name, "sessions", f"{title!r} is not an official title of a session of "
                                           f"{ev.removeprefix(ID)}")
            elif hit[1] is not None:
                orders.append((str(title), hit[1]))
        for (t1, o1), (t2, o2) in pairwise(orders):
            if o2 <= o1:
                self.bad(name, "sessions", f"{t2!r} (order {o2}) comes after {t1!r} (order {o1}) in the article")

    def run(self) -> int:
        expected = sorted(EXPECTED.glob("*.yaml"))
        articles = sorted(p for p in ARTICLES.iterdir() if p.suffix in (".txt", ".html"))
        named = set()
        for path in expected:
            before = len(self.mismatches)
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
                if isinstance(data, dict):
                    named.add(data.get("article"))
            except yaml.YAMLError:
                pass
            self.check_file(path)
            status = "ok" if len(self.mismatches) == before else f"{len(self.mismatches) - before} mismatch(es)"
            if self.verbose or status != "ok":
                print(f"{path.name}: {status}")
        for art in articles:
            if art.name not in named:
                self.mismatches.append(f"articles/{art.name}: no expected file names it")
        for m in self.mismatches:
            print(m)
        print(f"{len(expected)} expected files, {len(articles)} articles, {self.facts} facts checked "
              f"({self.presence_only} positions checked for presence only: the data has no value in the "
              f"article's language), {len(self.mismatches)} mismatch(es)")
        return 1 if self.mismatches else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--root", type=Path, default=HERE.parents[1],
                    help="project root whose data/ is built and queried (default: this checkout)")
    ap.add_argument("-v", "--verbose", action="store_true", help="also list the files without mismatches")
    args = ap.parse_args(argv)
    return Checker(Graph(args.root), verbose=args.verbose).run()


if __name__ == "__main__":
    sys.exit(main())
