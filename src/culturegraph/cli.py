"""The ``culturegraph`` command line: a thin click layer over :class:`culturegraph.api.CultureGraph`.

Commands are listed in ``COMMANDS`` with their module, so ``culturegraph --help`` imports none of the heavy
libraries (rdflib, pyoxigraph, pySHACL, networkx …): each command module imports them inside its function.
"""

from __future__ import annotations

import functools
import importlib
import sys
from collections.abc import Callable
from typing import Any

import click

from . import __version__

# name: (module, attribute). Modules hold one or more click commands.
COMMANDS: dict[str, tuple[str, str]] = {
    "build": ("culturegraph.cli", "build_cmd"),
    "validate": ("culturegraph.cli", "validate_cmd"),
    "stats": ("culturegraph.cli", "stats_cmd"),
    "search": ("culturegraph.cli_query", "search_cmd"),
    "query": ("culturegraph.cli_query", "query_cmd"),
    "queries": ("culturegraph.cli_query", "queries_cmd"),
    "export": ("culturegraph.cli_publish", "export_cmd"),
    "release": ("culturegraph.cli_publish", "release_cmd"),
    "push": ("culturegraph.cli_publish", "push_cmd"),
    "viz": ("culturegraph.cli_views", "viz_cmd"),
    "analyze": ("culturegraph.cli_views", "analyze_cmd"),
    "path": ("culturegraph.cli_views", "path_cmd"),
    "serve": ("culturegraph.cli_serve", "serve_cmd"),
    "draft": ("culturegraph.cli_draft", "draft_cmd"),
    "merge": ("culturegraph.cli_draft", "merge_cmd"),
}


class LazyGroup(click.Group):
    """A click group whose commands are imported only when used (or listed)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module = importlib.import_module(target[0])
        cmd: click.Command = getattr(module, target[1])
        return cmd


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn :class:`CultureGraphError` into one line per problem on stderr and exit status 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .errors import CultureGraphError

        try:
            return func(*args, **kwargs)
        except CultureGraphError as exc:
            for line in exc.lines():
                click.echo(line, err=True)
            sys.exit(1)

    return wrapper


root_option = click.option(
    "--root", type=click.Path(file_okay=False, exists=True), default=None,
    help="Project root holding data/, ontology/, queries/ (default: current directory or the checkout).",
)


def store_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--store`` / ``--store-path`` (settings ``store`` / ``store_path``) for a command that loads the graph.

    The values are kept on the click context and picked up by :func:`make_graph`, so a command only adds
    this decorator (its function gets no extra arguments).
    """

    @functools.wraps(func)
    def wrapper(*args: Any, store: str | None = None, store_path: str | None = None, **kwargs: Any) -> Any:
        click.get_current_context().meta["culturegraph.store"] = {"store": store, "store_path": store_path}
        return func(*args, **kwargs)

    wrapper = click.option(
        "--store-path", "store_path", type=click.Path(file_okay=False), default=None, metavar="DIR",
        help="Keep the graph in a persistent on-disk Oxigraph store in DIR; it is reused while data/ and "
             "ontology/ are unchanged (content key in DIR.key.json).")(wrapper)
    return click.option(
        "--store", "store", type=click.Choice(["oxigraph", "memory"]), default=None,
        help="Query engine: oxigraph (default; in memory, or on disk with --store-path) or memory "
             "(rdflib's memory store).")(wrapper)


def make_graph(root: str | None, **overrides: Any):
    """Build the facade for a command (imported lazily)."""
    from .api import CultureGraph

    ctx = click.get_current_context(silent=True)
    chosen = ctx.meta.get("culturegraph.store", {}) if ctx is not None else {}
    return CultureGraph(root, **{**chosen, **overrides})


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="culturegraph")
def cli() -> None:
    """culturegraph: the ASEAN-Korea cultural cooperation knowledge graph.

    Build, validate, query, serve, draw and publish the graph, all offline.
    """


@cli.command("build", short_help="Load, validate and write the graph dumps to dist/.")
@root_option
@click.option("--out", "out", type=click.Path(file_okay=False), default=None,
              help="Output directory (default: dist/ in the project root).")
@click.option("--no-validate", is_flag=True, help="Skip the SHACL gate (loading checks still run).")
@store_options
@handle_errors
def build_cmd(root: str | None, out: str | None, no_validate: bool) -> None:
    """Load ontology + data, check them, and write dist/culturegraph.ttl plus the provenance-keeping
    dist/culturegraph.nq and .trig (one named graph per record), with dist/culturegraph.key.json (a content
    key that lets query/serve/viz load the dump instead of the YAML while the data is unchanged). Files are
    written atomically and byte-identically for the same input; on any error dist/ is left untouched.
    With --store-path, the on-disk store is brought up to date too."""
    cg = make_graph(root)
    written = cg.build(out, validate=not no_validate)
    for path in written.values():
        click.echo(f"wrote {path} ({path.stat().st_size:,} bytes)")


@cli.command("validate", short_help="Check the data: SHACL shapes plus referential checks.")
@root_option
@click.option("--warnings/--no-warnings", default=True, help="Also list SHACL warnings.")
@handle_errors
def validate_cmd(root: str | None, warnings: bool) -> None:
    """Load the data (every syntax, key, reference and date problem is reported with file and line),
    then run the SHACL shapes. Exit status 0 only when the data conforms."""
    cg = make_graph(root)
    report = cg.validate()
    for r in report.results:
        if r.severity == "Violation" or warnings:
            path = f" {r.path}" if r.path else ""
            click.echo(f"{r.where}: {r.severity.lower()}: <{r.focus}>{path}: {r.message}",
                       err=r.severity == "Violation")
    if report.conforms:
        click.echo(f"valid: {report.triples:,} triples conform ({len(report.warnings)} warnings)")
    else:
        click.echo(f"invalid: {len(report.violations)} violations, {len(report.warnings)} warnings", err=True)
        sys.exit(1)


@cli.command("stats", short_help="Counts per class, triples, languages, sources, conflicts.")
@root_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@handle_errors
def stats_cmd(root: str | None, as_json: bool) -> None:
    """Print what the graph holds."""
    import json

    cg = make_graph(root)
    stats = cg.stats()
    if as_json:
        click.echo(json.dumps(stats, ensure_ascii=False, indent=2))
        return
    width = max(len(k) for k in stats)
    for key, value in stats.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items())
        click.echo(f"{key:<{width}}  {value}")


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="culturegraph")
