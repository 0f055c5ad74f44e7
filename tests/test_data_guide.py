"""A new user follows data/README.md alone: the worked example, pasted as told, validates.

The guide's YAML blocks each start with ``# file: data/… (append under key:)`` or ``# file: data/…``; this
test does exactly what the guide tells a person to do with each block, in a copy of the real project.
"""

from __future__ import annotations

import re
from pathlib import Path

from .conftest import ROOT, run_cli

GUIDE = ROOT / "data" / "README.md"
BLOCK = re.compile(r"```yaml\n(# file: (?P<path>\S+)(?P<append> \(append under \w+:\))?\n(?P<body>.*?))```", re.S)


def guide_blocks() -> list[tuple[str, bool, str]]:
    blocks = [(m["path"], bool(m["append"]), m["body"]) for m in BLOCK.finditer(GUIDE.read_text("utf-8"))]
    assert len(blocks) >= 3, "the guide should walk through source, person and edition"
    return blocks


def test_worked_example_validates_and_builds(real_copy: Path) -> None:
    for rel, append, body in guide_blocks():
        target = real_copy / rel
        if append:
            text = target.read_text(encoding="utf-8")
            target.write_text(text.rstrip("\n") + "\n" + body, encoding="utf-8")
        else:
            target.write_text(body, encoding="utf-8")
    res = run_cli("validate", cwd=real_copy)
    assert res.returncode == 0, res.stdout + res.stderr
    assert run_cli("build", cwd=real_copy).returncode == 0
    stats = run_cli("stats", "--json", cwd=real_copy)
    import json

    before = json.loads(run_cli("stats", "--json", cwd=ROOT).stdout)
    after = json.loads(stats.stdout)
    assert after["events"] == before["events"] + 1
    assert after["sessions"] == before["sessions"] + 1
    assert after["conflicts"] == before["conflicts"] + 1


def test_the_errors_the_guide_shows_are_the_errors_users_get(real_copy: Path) -> None:
    """Each example error line in the guide is produced by the corresponding mistake."""
    for rel, append, body in guide_blocks():
        target = real_copy / rel
        if append:
            target.write_text(target.read_text(encoding="utf-8").rstrip("\n") + "\n" + body, encoding="utf-8")
        else:
            target.write_text(body, encoding="utf-8")
    edition = real_copy / "data" / "editions" / "2031.yaml"
    good = edition.read_text(encoding="utf-8")
    mistakes = {
        "'start': invalid date '2031-02-30'": good.replace("start: 2031-10-20", "start: 2031-02-30"),
        "dangling reference 'singapur': no record has this id (did you mean 'singapore'?)":
            good.replace("host_city: singapore", "host_city: singapur"),
        "unknown key 'strat' in edition 'forum-2031' (did you mean 'start'?)":
            good.replace("  start: 2031-10-20", "  strat: 2031-10-20\n  start: 2031-10-20"),
        "must be tagged with at least one theme": good.replace("    themes: [cultural-heritage]\n", ""),
    }
    guide = GUIDE.read_text(encoding="utf-8")
    for phrase, text in mistakes.items():
        assert phrase in guide, phrase
        edition.write_text(text, encoding="utf-8")
        res = run_cli("validate", cwd=real_copy)
        assert res.returncode == 1
        assert "data/editions/2031.yaml:" in res.stderr and phrase in res.stderr, (phrase, res.stderr)


def test_second_example_adds_an_edition_of_another_programme(real_copy: Path) -> None:
    """The guide's FLY example: a new file with its source and edition lands as FLY's latest edition."""
    import json

    blocks = [b for b in guide_blocks() if b[0].startswith("data/field/")]
    assert blocks, "the guide should show an edition of another programme"
    for rel, _append, body in blocks:
        (real_copy / rel).write_text(body, encoding="utf-8")
    res = run_cli("validate", cwd=real_copy)
    assert res.returncode == 0, res.stdout + res.stderr
    rows = json.loads(run_cli("query", "programme-editions", "-p", "series=fly", "-f", "json",
                              cwd=real_copy).stdout)["results"]["bindings"]
    assert rows[-1]["edition"]["value"].endswith("/id/edition/fly-2031-example")
    assert rows[-1]["cityLabel"]["value"] == "Busan"
    before = json.loads(run_cli("stats", "--json", cwd=ROOT).stdout)
    after = json.loads(run_cli("stats", "--json", cwd=real_copy).stdout)
    assert after["editions of all series"] == before["editions of all series"] + 1
    assert after["events"] == before["events"]  # not a forum event
