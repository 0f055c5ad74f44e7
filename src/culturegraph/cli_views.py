"""``culturegraph viz``, ``analyze`` and ``path``: network views for people who never write SPARQL.

Thin click layer over :mod:`culturegraph.network` (via the facade); heavy imports happen inside the commands.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .cli import handle_errors, make_graph, root_option, store_options

PRESETS = ("entity", "organisations", "themes", "countries", "people", "ego", "field")


def view_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The filters every view command shares."""
    opts = [
        click.option("--from", "year_from", type=int, default=None, metavar="YEAR",
                     help="Only events from this year on (their people, organisations, themes …)."),
        click.option("--to", "year_to", type=int, default=None, metavar="YEAR", help="Only events up to this year."),
        click.option("--theme", default=None, metavar="ID",
                     help="Only events tagged with this theme or a narrower one (plus their editions)."),
        click.option("--country", default=None, metavar="CODE",
                     help="Only editions the country hosted or took part in (ISO alpha-2, e.g. sg), with their "
                          "sessions and side events."),
        click.option("--type", "types", multiple=True, metavar="CLASS",
                     help="Only nodes of these classes (repeat or comma-separate: organisation,person)."),
        click.option("--entity", default=None, metavar="ID",
                     help="Centre of the ego view: a record id (kofice), prefixed name or IRI."),
        click.option("--radius", type=click.IntRange(1, 3), default=1, show_default=True,
                     help="Ego view: statements away from --entity."),
        click.option("--lang", type=click.Choice(["en", "ko", "id"]), default="en", show_default=True,
                     help="Label language (falls back to English, then any)."),
        click.option("--size", "size_by", type=click.Choice(["degree", "betweenness"]), default="degree",
                     show_default=True, help="What node size shows."),
        click.option("--group", type=click.Choice(["auto", "type", "country", "none"]), default="auto",
                     show_default=True,
                     help="Above view_node_limit nodes: group nodes (auto = the preset's choice) or, with none, "
                          "stop and ask for a filter."),
        click.option("--min-weight", type=click.IntRange(min=1), default=None, metavar="N",
                     help="Draw only links of at least this weight (default: all, or the strongest "
                          "view_edge_limit when there are more)."),
        root_option,
    ]
    for opt in reversed(opts):
        func = opt(func)
    return func


def _build(root: str | None, preset: str, kw: dict[str, Any]):
    cg = make_graph(root)
    return cg.projection(preset, **kw)


@click.command("viz", short_help="Draw a network view: offline HTML, PNG/SVG brief, CSV, GraphML, GEXF.")
@click.argument("preset", required=False, type=click.Choice(PRESETS))
@view_options
@click.option("-o", "--output", "html", type=click.Path(dir_okay=False), default=None,
              help="Write the interactive view: one self-contained HTML file that works offline.")
@click.option("--png", type=click.Path(dir_okay=False), default=None, help="Write a printable PNG brief.")
@click.option("--svg", type=click.Path(dir_okay=False), default=None, help="Write a printable SVG brief.")
@click.option("--table", type=click.Path(dir_okay=False), default=None,
              help="Write the nodes and edges shown as CSV (an accessible alternative).")
@click.option("--graphml", type=click.Path(dir_okay=False), default=None, help="Write GraphML for analysts.")
@click.option("--gexf", type=click.Path(dir_okay=False), default=None,
              help="Write dynamic GEXF (year spells: Gephi's timeline works).")
@click.option("--list", "list_presets", is_flag=True, help="List the presets and exit.")
@store_options
@handle_errors
def viz_cmd(preset: str | None, html: str | None, png: str | None, svg: str | None, table: str | None,
            graphml: str | None, gexf: str | None, list_presets: bool, root: str | None, **kw: Any) -> None:
    """Draw PRESET (entity, organisations, themes, countries, people, ego) with optional filters.

    \b
    Examples:
      culturegraph viz organisations -o orgs.html --png orgs.png
      culturegraph viz people --from 2023 --lang ko -o people.html
      culturegraph viz ego --entity kofice --radius 2 -o kofice.html
      culturegraph viz countries --gexf countries.gexf --table countries.csv

    Every output is written atomically and is byte-identical for the same data and options.
    """
    if list_presets:
        from .network import presets

        for p in presets().values():
            click.echo(f"{p.name:<14} {p.title}: {p.description}")
        return
    if preset is None:
        raise click.UsageError("give a PRESET (see culturegraph viz --list)")
    targets = {k: v for k, v in (("html", html), ("png", png), ("svg", svg), ("table", table),
                                 ("graphml", graphml), ("gexf", gexf)) if v}
    if not targets:
        raise click.UsageError("say what to write: -o FILE.html, --png, --svg, --table, --graphml or --gexf")
    view = _build(root, preset, kw)
    from .io import write_files

    files = {Path(path): render(view, kind) for kind, path in targets.items()}
    write_files(files)
    g = view.graph
    note = f" (grouped by {view.grouped}: {view.original_nodes:,} nodes over the limit)" if view.grouped else ""
    if view.hidden_edges:
        note += f" (only links of weight ≥ {view.min_weight}: {view.hidden_edges:,} lighter ones left out)"
    for path, data in files.items():
        click.echo(f"wrote {path} ({len(data):,} bytes; {g.number_of_nodes():,} nodes, "
                   f"{g.number_of_edges():,} edges{note})")


def render(view, kind: str) -> bytes:
    """One output of a view as bytes."""
    if kind == "html":
        from .viewhtml import render_html

        return render_html(view)
    if kind in ("png", "svg"):
        from .brief import image_bytes

        return image_bytes(view, kind)
    if kind == "table":
        from .brief import table_bytes

        return table_bytes(view)
    from .netexport import FORMATS

    return FORMATS[kind](view)


@click.command("analyze", short_help="Centrality, communities and bridges of a network view.")
@click.argument("preset", required=False, default="organisations", type=click.Choice(PRESETS))
@view_options
@click.option("--top", type=click.IntRange(1, 1000), default=10, show_default=True, help="How many to list.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@handle_errors
def analyze_cmd(preset: str, top: int, as_json: bool, root: str | None, **kw: Any) -> None:
    """Degree and betweenness centrality, Louvain communities (fixed seed) and bridges of PRESET
    (default: organisations), with the same filters as viz."""
    import json

    from .netanalysis import analyze

    result = analyze(_build(root, preset, kw), top)
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(f"{result.preset}: {result.nodes:,} nodes, {result.edges:,} edges, {result.components} connected parts")
    click.echo(f"\nTop {top} by degree (connections):")
    for i, (_, label, d) in enumerate(result.degree, 1):
        click.echo(f"  {i:>2}. {label} — {d}")
    if result.betweenness:
        click.echo(f"\nTop {top} by betweenness (lies on many shortest paths):")
        for i, (_, label, b) in enumerate(result.betweenness, 1):
            click.echo(f"  {i:>2}. {label} — {b:.4f}")
    if result.communities:
        click.echo(f"\nCommunities (Louvain, seed 42; modularity {result.modularity:.3f}):")
        for i, members in enumerate(result.communities, 1):
            more = f", … (+{len(members) - 8})" if len(members) > 8 else ""
            names = ", ".join(lbl for _, lbl in members[:8]) + more
            click.echo(f"  {i:>2}. {len(members)} members: {names}")
    click.echo(f"\nBridges (links whose removal splits the network): {len(result.bridges)}")
    for left, rel, right in result.bridges[:top]:
        click.echo(f"  {left} —{rel}— {right}")


@click.command("path", short_help="The shortest connection between two entities, with sources.")
@click.argument("a")
@click.argument("b")
@click.option("--lang", type=click.Choice(["en", "ko", "id"]), default="en", show_default=True,
              help="Label language.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--through-hubs", is_flag=True,
              help="Allow the chain to pass through a country, city or theme (by default only when no other "
                   "chain exists: every speaker has a nationality, so those chains explain nothing).")
@root_option
@handle_errors
def path_cmd(a: str, b: str, lang: str, as_json: bool, through_hubs: bool, root: str | None) -> None:
    """Explain how A and B (record ids such as kofice, prefixed names or IRIs) are connected: the shortest
    chain of statements, each with the sources that state it."""
    import json

    from .netanalysis import format_path

    steps = make_graph(root).path(a, b, lang=lang, through_hubs=through_hubs)
    if as_json:
        click.echo(json.dumps([{"subject": s.subject, "relation": s.relation, "object": s.object,
                                "sources": [{"url": u, "title": t} for u, t in s.sources]} for s in steps],
                              ensure_ascii=False, indent=2))
        return
    click.echo(f"{len(steps)} statement{'s' if len(steps) != 1 else ''}:")
    for line in format_path(steps):
        click.echo(line)
