"""Synthetic, clearly fake culturegraph projects at a chosen size, deterministic from a seed.

The data is written in our own YAML data format (``docs/data-model.md``) with the repository's ontology, so
``culturegraph build --root DIR`` accepts it and every benchmark goes through the real loader. Every name
says it is synthetic ("Synthetic Person 00042"); countries use the ISO 3166 user-assigned codes XA…XZ,
URLs point to ``example.org``.

Usage::

    python -m benchmarks.synth --size 100k --out /tmp/synth-100k [--seed 7]

The size is a target for the number of data triples; the generator scales the number of editions (and the
pools of people, organisations, sources …) linearly, so the shape of the graph stays the same.
"""

from __future__ import annotations

import argparse
import random
import shutil
from dataclasses import dataclass
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

# Data triples one edition produces with the defaults below (measured with the real loader; used only to
# turn a target size into a number of editions).
TRIPLES_PER_EDITION = 1_600

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

    @classmethod
    def for_triples(cls, triples: int) -> Shape:
        """The shape whose data has about ``triples`` triples."""
        editions = max(1, round(triples / TRIPLES_PER_EDITION))
        return cls(
            editions=editions,
            people=max(20, editions * 25),
            organisations=max(10, editions * 5),
            sources=max(5, editions * 3),
            themes=max(8, min(400, editions // 2)),
            cities=max(4, min(2_000, editions)),
        )


def _q(text: str) -> str:
    """A YAML double-quoted scalar (our names contain no quotes or backslashes, but be safe)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _Writer:
    def __init__(self, shape: Shape, seed: int):
        self.s = shape
        self.rng = random.Random(seed)

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

    def people_yaml(self) -> str:
        out = ["people:"]
        for i in range(1, self.s.people + 1):
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
        return ("series:\n  - id: synth-series\n    name: {en: Synthetic Forum Series, ko: 합성 포럼 시리즈}\n"
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
        out.append("sessions:")
        for k in range(1, s.sessions_per_edition + 1):
            order = f"{k}" if k % 10 else f"{{value: {k}, sources: [{self.src()}], alternatives: " \
                                          f"[{{value: {k + 1}, sources: [{self.src()}]}}]}}"
            out += [f"  - id: {eid}-s{k:02d}",
                    f"    title: {{en: {_q(f'Synthetic Session {e:05d}-{k:02d}')}, "
                    f"ko: {_q(f'합성 세션 {e:05d}-{k:02d}')}}}",
                    f"    order: {order}", f"    kind: {SESSION_KINDS[k % len(SESSION_KINDS)]}",
                    f"    date: {start}", f"    themes: {self.theme_list(1)}",
                    f"    sources: [{self.src()}]", "    participants:"]
            for _ in range(s.people_per_session):
                out += [f"      - who: {self.pick('synth-person', s.people, 1.5)}",
                        f"        role: {rng.choice(ROLES_PERSON)}",
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
                    f"      - {{who: {self.pick('synth-org', s.organisations)}, role: host}}",
                    f"      - {{who: {self.pick('synth-person', s.people, 1.5)}, role: performer}}",
                    f"      - {{who: {self.pick('synth-person', s.people, 1.5)}, role: performer}}"]
        if e % 4 == 0:
            a, b = self.pick("synth-org", s.organisations), self.pick("synth-org", s.organisations)
            if a == b:
                b = f"synth-org-{1 + int(b[-5:]) % s.organisations:05d}"
            out += ["agreements:", f"  - id: {eid}-mou",
                    f"    name: {{en: {_q(f'Synthetic Agreement {e:05d}')}}}", "    kind: mou",
                    f"    date: {start}", f"    parties: [{a}, {b}]", f"    sources: [{self.src()}]"]
        return "\n".join(out) + "\n"


def generate(out: Path, triples: int | None = None, *, shape: Shape | None = None, seed: int = 1) -> Shape:
    """Write a synthetic project (``ontology/``, ``queries/``, ``data/``) into ``out`` (replaced)."""
    shape = shape or Shape.for_triples(triples or 10_000)
    if out.exists():
        shutil.rmtree(out)
    (out / "data" / "editions").mkdir(parents=True)
    shutil.copytree(REPO / "ontology", out / "ontology")
    if (REPO / "queries").is_dir():
        shutil.copytree(REPO / "queries", out / "queries")
    w = _Writer(shape, seed)
    files = {
        "sources.yaml": w.sources_yaml(),
        "places.yaml": w.places_yaml(),
        "organisations.yaml": w.organisations_yaml(),
        "people.yaml": w.people_yaml(),
        "themes.yaml": w.themes_yaml(),
        "series.yaml": w.series_yaml(),
    }
    for name, text in files.items():
        (out / "data" / name).write_text(text, encoding="utf-8")
    for e in range(1, shape.editions + 1):
        (out / "data" / "editions" / f"{e:05d}.yaml").write_text(w.edition_yaml(e), encoding="utf-8")
    (out / "README.md").write_text(
        f"Synthetic culturegraph project (benchmarks/synth.py, seed {seed}): {shape}.\n"
        "Every name is fake; do not publish.\n", encoding="utf-8")
    return shape


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", default="10k", help="target data triples: 10k, 100k, 1M, 5M or a number")
    ap.add_argument("--out", required=True, type=Path, help="project directory to (re)create")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    shape = generate(args.out, parse_size(args.size), seed=args.seed)
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
