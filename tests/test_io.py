"""Files the tools write: readable as the umask says (a portal copies them to a web server), written
atomically, and never into a folder the user did not mean (an ``-o`` into a missing folder is an error)."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from culturegraph.errors import ExportError
from culturegraph.io import write_files
from tests.conftest import run_cli


@contextlib.contextmanager
def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def modes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): stat.S_IMODE(p.stat().st_mode) for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_written_files_get_the_mode_open_would_give(tmp_path: Path, mask: int, mode: int) -> None:
    with umask(mask):
        write_files({tmp_path / "a.ttl": b"x", tmp_path / "sub" / "b.nq": b"y"}, base=tmp_path)
        with open(tmp_path / "plain", "wb"):  # what a plain open() gives under this umask
            pass
    assert modes(tmp_path) == {"a.ttl": mode, "sub/b.nq": mode, "plain": mode}


@pytest.mark.slow
def test_every_command_writes_files_readable_under_umask_022(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with umask(0o022):
        for args in (["build", "--no-validate"], ["export", "-f", "turtle", "-o", str(out / "g.ttl")],
                     ["export", "-f", "csv", "-o", str(out / "tables")],
                     ["viz", "organisations", "-o", str(out / "orgs.html"), "--png", str(out / "orgs.png")],
                     ["release", "--out", str(out / "release"), "--no-validate"]):
            res = run_cli(*args, cwd=mini)
            assert res.returncode == 0, (args, res.stderr)
    written = {**modes(out), **{"dist/" + k: v for k, v in modes(mini / "dist").items()}}
    assert len(written) > 20 and "orgs.png" in written and "dist/culturegraph.nq" in written
    assert {k: v for k, v in written.items() if v != 0o644} == {}


@pytest.mark.parametrize("args", [["viz", "organisations", "-o", "{missing}/p.html"],
                                  ["export", "-f", "turtle", "-o", "{missing}/g.ttl"],
                                  ["export", "-f", "csv", "-o", "{missing}/tables"],
                                  ["release", "--out", "{missing}/release", "--no-validate"]])
def test_an_output_into_a_missing_folder_is_an_error_that_names_it(mini: Path, tmp_path: Path, args) -> None:
    missing = tmp_path / "nonexistent-dir"
    res = run_cli(*[a.format(missing=missing) for a in args], cwd=mini)
    assert res.returncode != 0
    assert f"the folder {missing} does not exist" in res.stderr, res.stderr
    assert "Traceback" not in res.stderr
    assert not missing.exists()


def test_nothing_is_written_when_one_folder_is_missing(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="does not exist"):
        write_files({tmp_path / "a.txt": b"a", tmp_path / "no" / "b.txt": b"b"})
    assert list(tmp_path.iterdir()) == []
