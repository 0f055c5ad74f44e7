"""Synthetic, clearly fake culturegraph projects at a chosen size, deterministic from a seed.

The data is written in our own YAML data format (``docs/data-model.md``) with the repository's ontology, so
``culturegraph build --root DIR`` accepts it and every benchmark goes through the real loader. Every name
says it is synthetic ("Synthetic Person 00042"); countries use the ISO 3166 user-assigned codes XA…XZ,
URLs point to ``example.org``.

Usage::

    python -m benchmarks.synth --size 100k --out /tmp/synth-100k [--seed 7]

The size is a target for the number of data triples; the generator scales the number of editions (and the
pools of people, organisations, sources …) linearly, so the shape of the graph stays the same. Two shapes
(``--profile``):

- ``dense`` (the default, and the shape of every earlier result): 24 sessions of 5 people per edition,
  roles drawn uniformly (15 keynotes per edition) and every person from a fixed pool of 25 per edition, so
  nine people in ten appear in several editions — a stress case for the listings of people.
- ``forum``: each edition looks like an average edition of the real data — its number of
  sessions, side events and people per session, which roles people take (drawn with the real data's
  weights, so about one session participation in ten is a keynote) and how rarely a person comes back
  (one person slot in twelve names someone already named). The figures are in ``REAL``. Editions are
  smaller, so a size holds three times as many of them as in ``dense``.
"""

from __future__ import annotations

import argparse
import random
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

ROLES_PERSON = ("speaker", "panellist", "presenter", "discussant", "moderator", "keynote-speaker",
                "performer", "official-remarks")
ROLES_ORG = ("organiser", "co-organiser", "partner", "sponsor", "supporter", "host")
SESSION_KINDS = ("opening", "keynote", "session", "panel", "workshop", "performance", "closing", "remarks")
EVENT_KINDS = ("exhibition", "concert", "performance", "workshop", "meeting", "culture-week", "screening")
ORG_KINDS = ("ministry", "agency", "foundation", "intergovernmental", "university", "museum-gallery",
             "company", "association", "cultural-centre", "media", "project", "performing-group", "other")
LANGS = ("en", "ko", "id", "vi", "th", "ms")

# The real data's averages per forum event (data/editions/*.yaml, 7 events, counted on 2026-11-25), which the
# "forum" profile copies: 32 sessions, 18 side events, 57 organisations and 105 sources over 7 events; 60
# person slots in sessions, 35 in side events and 12 on the edition itself; 108 person slots name 99
# people. Roles are the person roles counted where they occur.
REAL = {
    "sessions_per_edition": 32 / 7, "people_per_session": 60 / 32, "events_per_edition": 18 / 7,
    "people_per_event": 35 / 18, "officials_per_edition": 12 / 7, "organisations_per_edition": 57 / 7,
    "sources_per_edition": 105 / 7, "returning_share": (108 - 99) / 108,
}
REAL_ROLES = {
    "edition": {"named-official": 8, "official-remarks": 2, "speaker": 1, "mc": 1},
    "session": {"speaker": 40, "keynote-speaker": 6, "presenter": 4, "opening-remarks": 3,
                "congratulatory-remarks": 3, "discussant": 2, "panellist": 1, "official-remarks": 1},
    "event": {"exhibiting-artist": 21, "performer": 3, "named-official": 2, "curator": 2, "speaker": 2,
              "mc": 2, "attendee": 1, "opening-remarks": 1, "official-remarks": 1},
}
PROFILES = ("dense", "forum")

# Data triples one edition produces in each profile (measured with the real loader at 1M; used only to turn
# a target size into a number of editions).
TRIPLES_PER_EDITION = {"forum": 548, "dense": 1_600}

SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1M": 1_000_000, "5M": 5_000_000}


def parse_size(text: str) -> int:
    """``10k`` / ``1M`` / ``250000`` → a number of triples."""
    if text in SIZES:
        return SIZES[text]
    t = text.strip().lower()
    mult = 1
    if t.endswith("k"):
        mult, t = 1_000, t[:-1]
    elif t.endswith("m"):
        mult, t = 1_000_000, t[:-1]
    return int(float(t) * mult)


@dataclass(frozen=True)
class Shape:
    """How many of each thing the project holds."""

    editions: int
    sessions_per_edition: int = 24
    people_per_session: int = 5
    events_per_edition: int = 3
    people: int = 0
    organisations: int = 0
    sources: int = 0
    themes: int = 0
    countries: int = 26
    cities: int = 0
    profile: str = "dense"
    people_per_event: int = 2
    officials_per_edition: int = 0
    # forum: the share of person slots that name someone already named (the others bring a new person, and
    # ``people`` is then the number that came out); dense: every slot picks from a pool of ``people``
    returning_share: float = 1.0

    @classmethod
    def for_triples(cls, triples: int, profile: str = "dense") -> Shape:
        """The shape whose data has about ``triples`` triples."""
        if profile not in PROFILES:
            raise ValueError(f"unknown profile {profile!r}: one of {', '.join(PROFILES)}")
        editions = max(1, round(triples / TRIPLES_PER_EDITION[profile]))
        common = {"editions": editions, "themes": max(8, min(400, editions // 2)),
                  "cities": max(4, min(2_000, editions))}
        if profile == "dense":
            return cls(**common, people=max(20, editions * 25), organisations=max(10, editions * 5),
                       sources=max(5, editions * 3))
        return cls(**common, profile="forum",
                   sessions_per_edition=round(REAL["sessions_per_edition"]),
                   people_per_session=round(REAL["people_per_session"]),
                   events_per_edition=round(REAL["events_per_edition"]),
                   people_per_event=round(REAL["people_per_event"]),
                   officials_per_edition=round(REAL["officials_per_edition"]),
                   organisations=max(10, round(editions * REAL["organisations_per_edition"])),
                   sources=max(5, round(editions * REAL["sources_per_edition"])),
                   returning_share=round(REAL["returning_share"], 3))


def _q(text: str) -> str:
    """A YAML double-quoted scalar (our names contain no quotes or backslashes, but be safe)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _Writer:
    def __init__(self, shape: Shape, seed: int):
        self.s = shape
        self.rng = random.Random(seed)
        self.people_named = 0  # forum: people brought in so far

    def person(self) -> str:
        """A participating person: dense picks from the fixed pool; forum mostly brings someone new."""
        if self.s.profile == "dense":
            return self.pick("synth-person", self.s.people, 1.5)
        if self.people_named and self.rng.random() < self.s.returning_share:
            return self.pick("synth-person", self.people_named, 1.5)
        self.people_named += 1
        return f"synth-person-{self.people_named:05d}"

    def role(self, where: str) -> str:
        """A person role: dense draws uniformly from a few; forum with the real data's weights."""
        if self.s.profile == "dense":
            return self.rng.choice(ROLES_PERSON)
        roles = REAL_ROLES[where]
        return self.rng.choices(list(roles), weights=list(roles.values()))[0]

    # skewed picks: a few organisations / people take part very often, as in the real forum
    def pick(self, prefix: str, n: int, skew: float = 2.0) -> str:
        return f"{prefix}-{int(n * self.rng.random() ** skew) + 1:05d}"

    def src(self) -> str:
        return self.pick("synth-src", self.s.sources, 1.0)

    def country(self) -> str:
        return "x" + chr(ord("a") + self.rng.randrange(self.s.countries))

    def city(self) -> str:
        return self.pick("synth-city", self.s.cities, 1.5)

    def sources_yaml(self) -> str:
        out = ["sources:"]
        for i in range(1, self.s.sources + 1):
            lang = LANGS[i % len(LANGS)]
            out += [f"  - id: synth-src-{i:05d}",
                    f"    url: https://example.org/synthetic/source/{i:05d}",
                    f"    title: {_q(f'Synthetic Source {i:05d}')}",
                    f"    publisher: {_q(f'Synthetic Publisher {i % 97:03d}')}",
                    f"    language: {lang}",
                    f"    date: {2000 + i % 26}-{1 + i % 12:02d}-{1 + i % 28:02d}"]
        return "\n".join(out) + "\n"

    def places_yaml(self) -> str:
        out = ["countries:"]
        for c in range(self.s.countries):
            code = "X" + chr(ord("A") + c)
            out += [f"  - id: {code.lower()}", f"    name: {{en: {_q('Synthetic Country ' + code)}}}",
                    f"    iso_alpha2: {code}", f"    iso_alpha3: {code}X",
                    f"    asean_member: {str(c % 2 == 0).lower()}",
                    f"    sources: [{self.src()}]"]
        out.append("cities:")
        for i in range(1, self.s.cities + 1):
            out += [f"  - id: synth-city-{i:05d}",
                    f"    name: {{en: {_q(f'Synthetic City {i:05d}')}, ko: {_q(f'합성 도시 {i:05d}')}}}",
                    f"    country: {self.country()}", f"    sources: [{self.src()}]"]
        out.append("venues:")
        for i in range(1, self.s.cities + 1):
            out += [f"  - id: synth-venue-{i:05d}", f"    name: {{en: {_q(f'Synthetic Venue {i:05d}')}}}",
                    f"    city: synth-city-{i:05d}", f"    sources: [{self.src()}]"]
        return "\n".join(out) + "\n"

    def organisations_yaml(self) -> str:
        out = ["organisations:"]
        for i in range(1, self.s.organisations + 1):
            out += [f"  - id: synth-org-{i:05d}",
                    f"    name: {{en: {_q(f'Synthetic Organisation {i:05d}')}, ko: {_q(f'합성 기관 {i:05d}')}}}",
                    f"    kind: {ORG_KINDS[i % len(ORG_KINDS)]}", f"    country: {self.country()}",
                    f"    sources: [{self.src()}]"]
            if i > 10 and i % 7 == 0:
                out.append(f"    parent: synth-org-{1 + i % 10:05d}")
        return "\n".join(out) + "\n"

    def people_yaml(self, count: int) -> str:
        out = ["people:"]
        for i in range(1, count + 1):
            out += [f"  - id: synth-person-{i:05d}",
                    f"    name: {{en: {_q(f'Synthetic Person {i:05d}')}, ko: {_q(f'합성 인물 {i:05d}')}}}",
                    f"    nationality: {self.country()}", f"    sources: [{self.src()}]"]
        return "\n".join(out) + "\n"

    def themes_yaml(self) -> str:
        out = ["scheme:", "  id: synth-themes", "  name: {en: Synthetic themes}", f"  sources: [{self.src()}]",
               "themes:"]
        for i in range(1, self.s.themes + 1):
            out += [f"  - id: synth-theme-{i:05d}",
                    f"    name: {{en: {_q(f'synthetic theme {i:05d}')}, ko: {_q(f'합성 주제 {i:05d}')}}}",
                    f"    sources: [{self.src()}]"]
            if i > 8:
                out.append(f"    broader: synth-theme-{1 + i % 8:05d}")
        return "\n".join(out) + "\n"

    def series_yaml(self) -> str:
        return ("series:\n  - id: synth-series\n    kind: forum\n"
                "    name: {en: Synthetic Forum Series, ko: 합성 포럼 시리즈}\n"
                f"    started: 2000\n    sources: [{self.src()}]\n"
                f"    participants:\n      - {{who: synth-org-00001, role: organiser}}\n")

    def theme_list(self, n: int) -> str:
        return "[" + ", ".join(sorted({self.pick("synth-theme", self.s.themes, 1.5) for _ in range(n)})) + "]"

    def edition_yaml(self, e: int) -> str:
        rng, s = self.rng, self.s
        eid = f"synth-ed-{e:05d}"
        year = 2000 + e % 26
        month = 1 + e % 12
        day = 1 + e % 27
        start = f"{year}-{month:02d}-{day:02d}"
        out = ["edition:", f"  id: {eid}",
               f"  name: {{en: {_q(f'Synthetic Forum Edition {e:05d}')}, ko: {_q(f'합성 포럼 {e:05d}회')}}}",
               "  series: synth-series",
               f"  ordinal: {{value: {e}, sources: [{self.src()}], confidence: high}}",
               f"  start: {start}", f"  end: {year}-{month:02d}-{day + 1:02d}",
               f"  mode: {('offline', 'online', 'hybrid')[e % 3]}",
               f"  theme_title: {{en: {_q(f'Synthetic theme title {e:05d}')}}}",
               f"  themes: {self.theme_list(2)}",
               f"  host_city: synth-city-{1 + e % s.cities:05d}", f"  host_country: {self.country()}",
               f"  venue: [synth-venue-{1 + e % s.cities:05d}]",
               f"  sources: [{self.src()}, {self.src()}]",
               "  participants:"]
        for _ in range(4):
            out.append(f"    - {{who: {self.pick('synth-org', s.organisations)}, "
                       f"role: {rng.choice(ROLES_ORG)}}}")
        for _ in range(s.officials_per_edition):
            out.append(f"    - {{who: {self.person()}, role: {self.role('edition')}}}")
        out.append("sessions:")
        for k in range(1, s.sessions_per_edition + 1):
            # a conflicting reading of the session order: every tenth session (dense), the last (forum)
            alternative = k == s.sessions_per_edition if s.profile == "forum" else not k % 10
            order = f"{k}" if not alternative else f"{{value: {k}, sources: [{self.src()}], alternatives: " \
                                          f"[{{value: {k + 1}, sources: [{self.src()}]}}]}}"
            out += [f"  - id: {eid}-s{k:02d}",
                    f"    title: {{en: {_q(f'Synthetic Session {e:05d}-{k:02d}')}, "
                    f"ko: {_q(f'합성 세션 {e:05d}-{k:02d}')}}}",
                    f"    order: {order}", f"    kind: {SESSION_KINDS[k % len(SESSION_KINDS)]}",
                    f"    date: {start}", f"    themes: {self.theme_list(1)}",
                    f"    sources: [{self.src()}]", "    participants:"]
            for _ in range(s.people_per_session):
                out += [f"      - who: {self.person()}",
                        f"        role: {self.role('session')}",
                        f"        affiliation: {self.pick('synth-org', s.organisations)}",
                        f"        position: {{en: {_q(f'Synthetic Position {rng.randrange(50):02d}')}}}"]
            if k % 3 == 0:
                out.append(f"      - {{who: {self.pick('synth-org', s.organisations)}, role: partner}}")
        out.append("events:")
        for k in range(1, s.events_per_edition + 1):
            out += [f"  - id: {eid}-e{k}", f"    name: {{en: {_q(f'Synthetic Side Event {e:05d}-{k}')}}}",
                    f"    kind: {EVENT_KINDS[(e + k) % len(EVENT_KINDS)]}", f"    start: {start}",
                    f"    city: synth-city-{1 + e % s.cities:05d}", f"    themes: {self.theme_list(1)}",
                    f"    sources: [{self.src()}]", "    participants:",
                    f"      - {{who: {self.pick('synth-org', s.organisations)}, role: host}}"]
            for _ in range(s.people_per_event):
                role = "performer" if s.profile == "dense" else self.role("event")
                out.append(f"      - {{who: {self.person()}, role: {role}}}")
        if e % 4 == 0:
            a, b = self.pick("synth-org", s.organisations), self.pick("synth-org", s.organisations)
            if a == b:
                b = f"synth-org-{1 + int(b[-5:]) % s.organisations:05d}"
            out += ["agreements:", f"  - id: {eid}-mou",
                    f"    name: {{en: {_q(f'Synthetic Agreement {e:05d}')}}}", "    kind: mou",
                    f"    date: {start}", f"    parties: [{a}, {b}]", f"    sources: [{self.src()}]"]
        return "\n".join(out) + "\n"


def generate(out: Path, triples: int | None = None, *, shape: Shape | None = None, seed: int = 1,
             profile: str = "dense") -> Shape:
    """Write a synthetic project (``ontology/``, ``queries/``, ``data/``) into ``out`` (replaced); the shape
    written (for ``forum``, ``people`` is the number of people the editions brought in)."""
    shape = shape or Shape.for_triples(triples or 10_000, profile)
    if out.exists():
        shutil.rmtree(out)
    (out / "data" / "editions").mkdir(parents=True)
    shutil.copytree(REPO / "ontology", out / "ontology")
    if (REPO / "queries").is_dir():
        shutil.copytree(REPO / "queries", out / "queries")
    w = _Writer(shape, seed)
    dense = shape.profile == "dense"
    files = {
        "sources.yaml": w.sources_yaml(),
        "places.yaml": w.places_yaml(),
        "organisations.yaml": w.organisations_yaml(),
        # dense: the pool is known up front (and this order keeps the first generator's output)
        **({"people.yaml": w.people_yaml(shape.people)} if dense else {}),
        "themes.yaml": w.themes_yaml(),
        "series.yaml": w.series_yaml(),
    }
    for name, text in files.items():
        (out / "data" / name).write_text(text, encoding="utf-8")
    for e in range(1, shape.editions + 1):
        (out / "data" / "editions" / f"{e:05d}.yaml").write_text(w.edition_yaml(e), encoding="utf-8")
    if not dense:
        shape = replace(shape, people=w.people_named)
        (out / "data" / "people.yaml").write_text(w.people_yaml(shape.people), encoding="utf-8")
    (out / "README.md").write_text(
        f"Synthetic culturegraph project (benchmarks/synth.py, seed {seed}): {shape}.\n"
        "Every name is fake; do not publish.\n", encoding="utf-8")
    return shape


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", default="10k", help="target data triples: 10k, 100k, 1M, 5M or a number")
    ap.add_argument("--out", required=True, type=Path, help="project directory to (re)create")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--profile", choices=PROFILES, default="dense", help="the graph's shape (see above)")
    args = ap.parse_args(argv)
    shape = generate(args.out, parse_size(args.size), seed=args.seed, profile=args.profile)
    print(f"wrote {args.out}: {shape}")



_HUBS = {"organisation": "synth-org-00001", "person": "synth-person-00001", "edition": "synth-ed-00001",
         "session": "synth-ed-00001-s01", "event": "synth-ed-00001-e1", "theme": "synth-theme-00001",
         "city": "synth-city-00001", "venue": "synth-venue-00001", "country": "xa", "source": "synth-src-00001",
         "series": "synth-series", "agreement": "synth-ed-00004-mou"}


def hub_entity(kind: str) -> str | None:
    """The id of a much-connected synthetic record of ``kind`` (picks are skewed towards low numbers)."""
    return _HUBS.get(kind)


if __name__ == "__main__":
    main()
