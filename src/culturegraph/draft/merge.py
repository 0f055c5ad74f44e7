"""A reviewed draft into the data: ``draft --check`` (checked as if merged) and ``merge`` (appended).

Both apply the draft to a copy of ``data/`` and run the whole load and validation there (SHACL and the
referential checks), so a problem is reported with the draft's own file and line. ``merge`` refuses records
still marked ``drafted: true``, and writes every changed data file at once (:func:`culturegraph.io.write_files`)
only when the merged data conforms: nothing is half-written.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CultureGraphError, DataError, Problem
from .text import DraftError

if TYPE_CHECKING:
    from ..api import CultureGraph

_DRAFTED = re.compile(r"^(\s*)drafted:\s*true\s*(#.*)?$")
_TOP = re.compile(r"^([A-Za-z_][\w-]*):\s*(#.*)?$")
_ITEM = re.compile(r"^  - id:\s*([a-z0-9][a-z0-9-]*)", re.M)
_SINGLE = re.compile(r"^  id:\s*([a-z0-9][a-z0-9-]*)", re.M)  # a section holding one record (edition:)
#: the data file a section's records go to when no file holds a related record
HOME = {"sources": "sources.yaml", "people": "people.yaml", "organisations": "organisations.yaml",
        "cities": "places.yaml", "venues": "places.yaml", "countries": "places.yaml", "themes": "themes.yaml"}


@dataclass
class Plan:
    """What merging a draft would do: the records per section and the file each goes to."""

    draft: Path
    added: dict[str, list[str]] = field(default_factory=dict)  # section → record ids
    targets: dict[str, Path] = field(default_factory=dict)  # section → data file
    still_drafted: list[tuple[int, str]] = field(default_factory=list)  # (line, record id)

    def summary(self) -> list[str]:
        out = [f"{section}: {', '.join(ids)} → {self.targets[section]}" for section, ids in self.added.items()]
        out += [f"{self.draft}:{line}: {rid} is still marked drafted: true" for line, rid in self.still_drafted]
        return out


def _sections(lines: list[str]) -> dict[str, tuple[int, int]]:
    """Top-level section → (first line, end line) of its block, 0-based, end exclusive."""
    tops = [(i, m.group(1)) for i, line in enumerate(lines) if (m := _TOP.match(line))]
    out: dict[str, tuple[int, int]] = {}
    for n, (i, name) in enumerate(tops):
        out[name] = (i, tops[n + 1][0] if n + 1 < len(tops) else len(lines))
    return out


def plan(cg: CultureGraph, draft: Path) -> tuple[Plan, list[str]]:
    """The merge plan and the draft's lines with ``drafted: true`` blanked (line numbers kept)."""
    try:
        lines = draft.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DraftError(f"{draft}: cannot read the draft: {exc}") from None
    p = Plan(draft)
    record = "?"
    for i, line in enumerate(lines):
        if (m := _ITEM.match(line) or _SINGLE.match(line)) is not None:
            record = m.group(1)
        if _DRAFTED.match(line):
            p.still_drafted.append((i + 1, record))
            lines[i] = ""
    files = {f: f.read_text(encoding="utf-8") for f in sorted(cg.data_dir.rglob("*.yaml"))}
    for section, (a, b) in _sections(lines).items():
        ids = [m.group(1) for line in lines[a + 1:b] if (m := _ITEM.match(line) or _SINGLE.match(line))]
        if not ids:
            continue
        p.added[section] = ids
        if section == "sessions" and "edition" in p.targets:  # a forum edition's sessions live in its file
            p.targets[section] = p.targets["edition"]
            continue
        p.targets[section] = _target(cg, section, "\n".join(lines[a:b]), files)
    return p, lines


def _target(cg: CultureGraph, section: str, block: str, files: dict[Path, str]) -> Path:
    """The data file a section's records go to (``files``: every data file's text, read once)."""
    holding = [f for f, text in files.items() if re.search(rf"^{re.escape(section)}:", text, re.M)]
    series = re.search(r"^\s+series:\s*([a-z0-9-]+)", block, re.M)
    if series:  # an edition goes where its series' other editions are
        same = [f for f, text in files.items()
                if re.search(rf"^\s+series:\s*{re.escape(series.group(1))}\b", text, re.M)]
        for f in same:
            if f in holding and section != "edition":  # one edition per file: never into another's
                return f
        if same:  # one file per edition (data/editions/2025.yaml): a new file beside them, named by its year
            year = re.search(r"^\s+start:.*?\b((?:19|20)\d{2})-", block, re.M)
            rid = _ITEM.search(block) or _SINGLE.search(block)
            name = f"{year.group(1)}.yaml" if year else f"{rid.group(1) if rid else section}.yaml"
            target = same[0].parent / name
            return target if not target.exists() else same[0].parent / f"{rid.group(1) if rid else section}.yaml"
    home = cg.data_dir / HOME.get(section, f"{section}.yaml")
    return home if home in holding or not holding else holding[0]


def _apply(p: Plan, lines: list[str], data_dir: Path, into: Path) -> dict[Path, bytes]:
    """The new content of every data file the plan changes, with ``into`` standing for ``data_dir``."""
    blocks = _sections(lines)
    out: dict[Path, bytes] = {}
    texts: dict[Path, str] = {}
    for section, target in p.targets.items():
        a, b = blocks[section]
        items = "\n".join(lines[a + 1:b]).rstrip() + "\n"
        dest = into / target.relative_to(data_dir)
        text = texts.get(dest, dest.read_text(encoding="utf-8") if dest.exists() else "")
        own = _sections(text.splitlines())
        if section in own:
            end = own[section][1]
            body = text.splitlines()
            while end > own[section][0] + 1 and not body[end - 1].strip():
                end -= 1
            text = "\n".join([*body[:end], items.rstrip("\n"), *body[end:]]) + "\n"
        else:
            text = text.rstrip("\n") + ("\n\n" if text.strip() else "") + f"{section}:\n" + items
        texts[dest] = text
    for dest, text in texts.items():
        out[dest] = text.encode("utf-8")
    return out


def check(cg: CultureGraph, draft: Path) -> Plan:
    """Check ``draft`` as if merged: the whole data with it, loaded and validated on a copy.

    :raises DataError: problems, located in the draft (file and line) or in the data it breaks.
    """
    from ..api import CultureGraph

    p, lines = plan(cg, draft)
    if not p.added:
        raise DraftError(f"{draft}: no records to add (sections of '  - id: …' items)")
    with tempfile.TemporaryDirectory(prefix="culturegraph-draft-") as tmp:
        root = Path(tmp)
        shutil.copytree(cg.root / "ontology", root / "ontology")
        copy = root / "data"
        shutil.copytree(cg.data_dir, copy)
        # the draft as its own file first: its problems then carry its own line numbers
        (copy / "_draft.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        try:
            CultureGraph(root).check()
        except CultureGraphError as exc:  # violations only: the data's standing warnings are not the draft's
            raise DataError([_relocate(line, draft) for line in exc.lines() if ": warning: " not in line]) from None
    return p


def _relocate(line: str, draft: Path) -> Problem:
    """A problem line of the copy, said of the draft where it comes from the draft."""
    line = line.replace("data/_draft.yaml", str(draft))
    m = re.match(r"^(.+?):(\d+): (.*)$", line)
    if m:
        return Problem(m.group(1), int(m.group(2)), m.group(3))
    return Problem(str(draft), None, line)


def merge(cg: CultureGraph, draft: Path) -> Plan:
    """Append the reviewed draft's records to the data files (all at once, only if the result conforms).

    :raises DraftError: records still ``drafted: true``; :raises DataError: the merged data does not load
        or conform.
    """
    from ..io import write_files

    p, lines = plan(cg, draft)
    if p.still_drafted:
        raise DataError([Problem(str(draft), line, f"{rid} is still marked drafted: true: review it, then "
                                 "remove that line") for line, rid in p.still_drafted])
    check(cg, draft)
    files = _apply(p, lines, cg.data_dir, cg.data_dir)
    _check_merged(cg, p, lines)
    write_files(files)
    return p


def _check_merged(cg: CultureGraph, p: Plan, lines: list[str]) -> None:
    """The data files as merge would write them, loaded and validated on a copy."""
    from ..api import CultureGraph

    with tempfile.TemporaryDirectory(prefix="culturegraph-merge-") as tmp:
        root = Path(tmp)
        shutil.copytree(cg.root / "ontology", root / "ontology")
        shutil.copytree(cg.data_dir, root / "data")
        for path, data in _apply(p, lines, cg.data_dir, root / "data").items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        try:
            CultureGraph(root).check()
        except CultureGraphError as exc:
            raise DataError([_relocate(line, p.draft) for line in exc.lines() if ": warning: " not in line]) from None
