"""Dates in an article: the date it states for itself (its dateline) and the event's start and end.

dateparser reads each date expression (month names and abbreviations in Indonesian and English, numeric
day/month order, a year taken from the article's own date when none is written). Finding the expressions is
hand-written, per language: dateparser's own search misses ``Nov. 4, 2025`` and ``서울=2025년 11월 4일`` and
reads ``11月8日から9日`` as ``月8``, and no library reads ranges (``26-27 Oktober 2024``, ``11월 8~9일``,
``8日から9日``) or says whether a year was written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

_MONTHS = {
    "id": r"Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember|"
          r"Jan|Feb|Mar|Apr|Jun|Jul|Agu|Agt|Sep|Okt|Nov|Des",
    "en": r"January|February|March|April|May|June|July|August|September|October|November|December|"
          r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec",
}
_RANGE = r"(?:-|–|—|~|to|and|until|sampai|hingga|s\.d\.|s/d|dan)"
_PATTERNS = {
    lang: [
        # 26-27 Oktober 2024 · 8 November · 8 and 9 November 2025
        re.compile(rf"(?<!\d)(?P<d1>\d{{1,2}})(?:\s*{_RANGE}\s*(?P<d2>\d{{1,2}}))?\s+(?P<m>(?:{months})\.?)"
                   rf"(?:,?\s+(?P<y>(?:19|20)\d{{2}}))?(?!\w)", re.I),
        # Nov. 4, 2025 · November 8-9, 2025
        re.compile(rf"(?<!\w)(?P<m>(?:{months})\.?)\s+(?P<d1>\d{{1,2}})(?:\s*{_RANGE}\s*(?P<d2>\d{{1,2}}))?"
                   rf"(?:,?\s+(?P<y>(?:19|20)\d{{2}}))?(?!\d)", re.I),
        # 8/11/2025 · (8/11): day first
        re.compile(r"(?<![\d/])(?P<d1>\d{1,2})/(?P<mn>\d{1,2})(?:/(?P<y>(?:19|20)\d{2}))?(?![\d/])"),
    ]
    for lang, months in _MONTHS.items()
}
_CJK = {
    "ko": re.compile(r"(?:(?P<y>(?:19|20)\d{2})\s*년\s*)?(?P<mn>\d{1,2})\s*월\s*(?P<d1>\d{1,2})\s*일?"
                     r"(?:\s*\([^)\d]{1,3}\))?(?:\s*(?:~|〜|～|-|–|·|부터)\s*(?:(?P<m2>\d{1,2})\s*월\s*)?"
                     r"(?P<d2>\d{1,2})\s*일)?"),
    "ja": re.compile(r"(?:(?P<y>(?:19|20)\d{2})\s*年\s*)?(?P<mn>\d{1,2})\s*月\s*(?P<d1>\d{1,2})\s*日?"
                     r"(?:\s*[(（][^)）\d]{1,3}[)）])?(?:\s*(?:~|〜|～|-|–|・|から)\s*(?:(?P<m2>\d{1,2})\s*月\s*)?"
                     r"(?P<d2>\d{1,2})\s*日)?"),
}
_DOTTED = re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d{2})[.-]\s?(?P<mn>\d{1,2})[.-]\s?(?P<d1>\d{1,2})(?![\d])")


@dataclass(frozen=True)
class FoundDate:
    """One date expression: its day (and a range's last day), whether its year was written, and where."""

    start: date
    end: date | None
    year_stated: bool
    span: tuple[int, int]
    text: str


def find_dates(text: str, lang: str, base: date | None) -> list[FoundDate]:
    """Every day-precise date expression of ``text`` in order; a year not written is ``base``'s."""
    found: dict[int, FoundDate] = {}
    patterns = [_CJK[lang]] if lang in _CJK else _PATTERNS[lang]
    for pattern in [*patterns, _DOTTED]:
        for m in pattern.finditer(text):
            if any(f.span[0] <= m.start() < f.span[1] for f in found.values()):
                continue
            hit = _read(m, lang, base)
            if hit is not None:
                found[m.start()] = FoundDate(hit[0], hit[1], bool(m.group("y")), m.span(), m.group(0))
    return [found[k] for k in sorted(found)]


def _read(m: re.Match[str], lang: str, base: date | None) -> tuple[date, date | None] | None:
    groups = m.groupdict()
    year = int(groups["y"]) if groups.get("y") else (base.year if base else None)
    if year is None:
        return None
    if groups.get("mn"):
        month: int | None = int(groups["mn"])
    else:
        month = _month(groups["m"], lang)
    try:
        start = date(year, month or 0, int(groups["d1"]))
        end = None
        if groups.get("d2"):
            end = date(year, int(groups.get("m2") or month or 0), int(groups["d2"]))
    except ValueError:
        return None
    return start, (end if end and end > start else None)


def _month(name: str, lang: str) -> int | None:
    """The month a name stands for, read by dateparser (``Okt.`` → 10, ``Desember`` → 12)."""
    import dateparser

    parsed = dateparser.parse(f"1 {name.rstrip('.')} 2000", languages=[lang],
                              settings={"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first"})
    return parsed.month if isinstance(parsed, datetime) else None


def article_date(text: str, lang: str, stated: str | None) -> date | None:
    """The article's own date: the page's metadata, else a dated dateline in its first lines."""
    if stated:
        return date.fromisoformat(stated)
    head = "\n".join(text.splitlines()[:3])[:300]
    for d in find_dates(head, lang, None):
        if d.year_stated:
            return d.start
    return None
