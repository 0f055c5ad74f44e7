"""A :class:`~culturegraph.draft.Draft` as YAML in the data folder's own format, with the words each link
matched as comments. A forum edition is written as the files of ``data/editions/`` are (``edition:`` and its
``sessions:``); an edition of another series as an ``editions:`` item."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import Draft, Linked


def _q(v: Any) -> str:
    """A YAML scalar: dates, numbers and ids plain, any other text double-quoted (JSON quoting is YAML)."""
    if isinstance(v, int | date):
        return str(v)
    s = str(v)
    return s if re.fullmatch(r"[a-z0-9][a-z0-9-]*", s) else json.dumps(s, ensure_ascii=False)


def _why(link: Linked) -> str:
    return f"  # matched {json.dumps(link.text, ensure_ascii=False)} ({link.score:.2f})"


def render(d: Draft) -> str:
    src = d.source["id"]
    lines = [f"# Draft made by `culturegraph draft` from {d.article.path.name} (language: {d.article.language}).",
             "# Every fact cites the article and is `confidence: low`; each record stays `drafted: true` until a",
             "# person has reviewed it against the article. Then remove the `drafted: true` lines and run",
             "# `culturegraph draft --check THIS-FILE`, then `culturegraph merge THIS-FILE`.",
             "sources:", f"  - id: {src}", "    drafted: true"]
    for key in ("url", "title", "publisher", "language", "date"):
        if key in d.source:
            lines.append(f"    {key}: {_q(d.source[key])}")
    if "url" not in d.source:
        lines.append("    # url: the article's address (required; give --url)")
    if "publisher" not in d.source:
        lines.append("    # publisher: who published the article (required; not recognised from the address)")
    if d.event is None:
        lines.append("# no edition drafted: the article names no series the graph knows, or no date")
        return "\n".join(lines) + "\n" + _new(d)
    note = (f"# {d.event} is already in the graph: merge adds new records only; copy what is new into it"
            if d.event_exists else None)
    body = _edition(d, src)
    if d.forum:  # as data/editions/YEAR.yaml: one edition, then its sessions
        lines += ["edition:"] + ([f"  {note}"] if note else []) + [f"  {line}" for line in body]
        if d.sessions:
            lines.append("sessions:")
            for n, (title, themes) in enumerate(zip(d.sessions, d.session_themes, strict=True), 1):
                lines += _item(_session(d, src, n, title, themes))
    else:
        lines += ["editions:"] + ([f"  {note}"] if note else []) + _item(body)
        if d.sessions:
            lines.append("    # sessions, in the article's order (add them as `events:` with their speakers):")
            lines += [f"    #   {i}. {json.dumps(t, ensure_ascii=False)}" for i, t in enumerate(d.sessions, 1)]
    return "\n".join(lines) + "\n" + _new(d)


def _item(body: list[str]) -> list[str]:
    """A record's lines as an item of a list section."""
    return [f"  - {body[0]}"] + [f"    {line}" for line in body[1:]]


def _edition(d: Draft, src: str) -> list[str]:
    """The edition record's lines, relative to its own indentation."""
    claim = f"sources: [{src}], confidence: low"
    out = [f"id: {d.event}", "drafted: true"]
    if d.series:
        out.append(f"name: {{{d.article.language}: {_q(d.series.text)}}}  # as the article names it")
        out.append(f"series: {d.series.id}" + _why(d.series))
    out += [f"sources: [{src}]", "confidence: low"]
    if d.ordinal:
        said = json.dumps(d.ordinal[1], ensure_ascii=False)
        out.append(f"ordinal: {{value: {d.ordinal[0]}, {claim}}}  # matched {said}")
    if d.start:
        note = (f", note: {{en: {_q('year not written; taken from the article date')}}}" if d.year_inferred else "")
        said = json.dumps(d.date_text, ensure_ascii=False)
        out.append(f"start: {{value: {d.start}, {claim}{note}}}  # matched {said}")
        if d.end:
            out.append(f"end: {{value: {d.end}, {claim}{note}}}")
    for key, link in (("host_city", d.city), ("host_country", d.country)):
        if link:
            out.append(f"{key}: {{value: {link.id}, {claim}}}" + _why(link))
    if d.venue:
        out += ["venue:", f"  - {{value: {d.venue.id}, {claim}}}" + _why(d.venue)]
    if d.themes:
        said = ", ".join(f"{t.id} ({json.dumps(t.text, ensure_ascii=False)})" for t in d.themes)
        out.append(f"themes: [{', '.join(t.id for t in d.themes)}]  # matched {said}")
    roled = [x for x in d.organisations + d.people if x.role]
    if roled:
        out.append("participants:")
        for x in roled:
            post = f", position: {{{d.article.language}: {_q(x.position)}}}" if x.position else ""
            out.append(f"  - {{who: {x.id}, role: {x.role}{post}, {claim}}}" + _why(x)
                       + f", role from {json.dumps(x.role_text, ensure_ascii=False)}")
    unroled = [x for x in d.organisations + d.people if not x.role]
    if unroled:
        out.append("# also named, with no role stated: " + ", ".join(
            f"{x.id} ({json.dumps(x.text, ensure_ascii=False)})" for x in unroled))
    return out


def _session(d: Draft, src: str, n: int, title: str, themes: list[str]) -> list[str]:
    """A session record's lines: its title as the article gives it, its place in the article's order."""
    out = [f"id: {d.event}-s{n}", "drafted: true", f"title: {{{d.article.language}: {_q(title)}}}",
           f"order: {{value: {n}, sources: [{src}], confidence: low}}", "kind: session"]
    if d.start and not d.end:
        out.append(f"date: {{value: {d.start}, sources: [{src}], confidence: low}}")
    if themes:
        out.append(f"themes: [{', '.join(themes)}]")
    else:
        out.append("# themes: [...]  (no theme of the list is named in its title: choose them)")
    out += [f"sources: [{src}]", "confidence: low"]
    return out


def _new(d: Draft) -> str:
    """Records for the names the graph does not know yet, each with the place in the text it came from."""
    out: list[str] = []
    for section, names, prefix in (("people", d.new_people, "person"), ("organisations", d.new_bodies, "org")):
        if not names:
            continue
        out.append(f"{section}:")
        for n, (name, at) in enumerate(names, 1):
            slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
            rid = slug if re.fullmatch(r"[a-z0-9-]{3,60}", slug) else f"draft-{prefix}-{n}"
            out += [f"  - id: {rid}  # new: not in the graph; {json.dumps(name, ensure_ascii=False)} at character {at}",
                    "    drafted: true", f"    name: {{{d.article.language}: {_q(name)}}}",
                    f"    sources: [{d.source['id']}]", "    confidence: low"]
    return "\n".join(out) + "\n" if out else ""
