"""The command line: discoverable, fast to start, honest exit codes."""

from __future__ import annotations

import subprocess
import sys

from culturegraph.cli import COMMANDS, cli

from .conftest import run_cli


def test_help_lists_every_command_with_one_line_help() -> None:
    res = run_cli("--help")
    assert res.returncode == 0
    for name in COMMANDS:
        line = next((ln for ln in res.stdout.splitlines() if ln.strip().startswith(name + " ")), None)
        assert line is not None, f"{name} missing from --help"
        assert len(line.split(None, 1)) == 2, f"{name} has no one-line help"


def test_every_command_has_help_text() -> None:
    import click

    ctx = click.Context(cli)
    for name in COMMANDS:
        cmd = cli.get_command(ctx, name)
        assert cmd is not None and (cmd.help or cmd.short_help), name


def test_version() -> None:
    from culturegraph import __version__

    res = run_cli("--version")
    assert res.returncode == 0 and __version__ in res.stdout


def test_help_imports_no_heavy_library() -> None:
    """`culturegraph --help` must start fast: it may not import rdflib, pyoxigraph, pyshacl, networkx …"""
    code = ("import sys; from culturegraph.cli import cli\n"
            "try:\n    cli(['--help'], standalone_mode=False)\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('rdflib', 'pyoxigraph', 'pyshacl', 'networkx', 'pyvis', 'matplotlib',"
            " 'starlette', 'uvicorn', 'SPARQLWrapper', 'pandas') if m in sys.modules]\n"
            "print('HEAVY', heavy)")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in res.stdout, res.stdout


def test_unknown_command_is_a_usage_error() -> None:
    res = run_cli("bulid")
    assert res.returncode == 2
    assert "No such command" in res.stderr
