"""Publishing commands: ``export``, ``release`` and ``push`` (registered in :data:`culturegraph.cli.COMMANDS`).

Each parses its options, calls :mod:`culturegraph.export` and prints what it wrote; errors become one line on
stderr and exit status 1 (``handle_errors``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .cli import handle_errors, make_graph, root_option

FORMAT_NAMES = ("turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml", "graphml", "gexf", "csv", "aids")


@click.command("export", short_help="Write the graph as Turtle, N-Quads, JSON-LD, GraphML, CSV …")
@root_option
@click.option("--format", "-f", "fmt", type=click.Choice(FORMAT_NAMES), default="turtle", show_default=True,
              help="Output format.")
@click.option("-o", "--output", type=click.Path(), default=None,
              help="File to write ('-' or nothing: standard output); for csv, a folder.")
@click.option("--framed", type=click.Path(file_okay=False), default=None,
              help="Also write one framed JSON-LD document per entity into this folder ({kind}/{id}.jsonld).")
@handle_errors
def export_cmd(root: str | None, fmt: str, output: str | None, framed: str | None) -> None:
    """Serialise the graph (ontology, data, derived analytics) in one format, byte-identically for the same
    data.

    RDF formats: turtle, ntriples, rdfxml (named graphs merged), nquads, trig (one named graph per record),
    jsonld (compacted with the culturegraph @context). graphml and gexf hold the entity network; csv writes
    one table per kind of record plus data-dictionary.csv into the folder given with -o. aids writes the
    N-Quads of the working aids the named queries read (look-up keys, display labels): load it beside a
    dump to run them on another store.
    """
    from .errors import ExportError
    from .export.jsonld import framed_documents
    from .io import write_files

    cg = make_graph(root)
    if framed:
        docs = framed_documents(cg)
        write_files({Path(framed) / name: data for name, data in docs.items()}, base=Path(framed))
        click.echo(f"wrote {len(docs) - 1:,} framed JSON-LD documents and context.jsonld to {framed}", err=True)
        if output is None:
            return
    files = cg.export(fmt)
    if fmt == "csv":
        if output in (None, "-"):
            raise ExportError("csv writes several tables: give a folder with -o")
        write_files({Path(output) / name: data for name, data in files.items()}, base=Path(output))
        click.echo(f"wrote {len(files)} CSV files to {output}", err=True)
        return
    (data,) = files.values()
    if output in (None, "-"):
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    write_files({Path(output): data})
    click.echo(f"wrote {output} ({len(data):,} bytes)", err=True)


@click.command("release", short_help="Write a portal-ready, reproducible release bundle.")
@root_option
@click.option("--version", "version", default=None, help="Release version X.Y.Z (default: the ontology's).")
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="Folder the bundle goes under, as {out}/{version}/ (default: dist/release).")
@click.option("--issued", default=None, help="Date the dataset was first issued, YYYY-MM-DD "
              "(default: the ontology's dcterms:created).")
@click.option("--modified", default=None, help="Date of this release, YYYY-MM-DD (default: the newest of the "
              "ontology's dcterms:modified and the sources' dates).")
@click.option("--endpoint-url", default=None, help="Public SPARQL endpoint (default: {base_iri}sparql).")
@click.option("--no-validate", is_flag=True, help="Skip the SHACL gate.")
@handle_errors
def release_cmd(root: str | None, version: str | None, out: str | None, issued: str | None,
                modified: str | None, endpoint_url: str | None, no_validate: bool) -> None:
    """Check the data, then write gzipped dumps in every RDF format, the JSON-LD context, the ontology and its
    HTML documentation, CSV tables with a data dictionary, GraphML/GEXF networks, a DCAT-AP catalog,
    VoID statistics, a PROV-O record, a README and SHA256SUMS. Dates never come from the clock, so
    rebuilding the same data gives identical bytes."""
    cg = make_graph(root)
    folder, files = cg.release(out, validate=not no_validate, version=version, issued=issued,
                               modified=modified, endpoint_url=endpoint_url)
    total = sum(len(d) for d in files.values())
    click.echo(f"wrote {len(files)} files ({total:,} bytes) to {folder}")


@click.command("push", short_help="Load the graph into a SPARQL 1.1 store (Graph Store Protocol).")
@root_option
@click.option("--store", required=True, help="Graph Store HTTP Protocol endpoint, e.g. http://localhost:7878/store.")
@click.option("--graph", default=None, help="Put every triple into this named graph (default: keep one named "
              "graph per record, sent as N-Quads).")
@click.option("--default-graph", is_flag=True, help="Put every triple into the store's default graph.")
@click.option("--replace", is_flag=True, help="Replace the target graph(s) instead of adding to them.")
@click.option("--auth", default=None, metavar="USER:PASS", help="HTTP Basic/Digest credentials.")
@click.option("--auth-scheme", type=click.Choice(["auto", "basic", "digest"]), default="auto", show_default=True,
              help="auto: answer the store's challenge (Digest or Basic); basic: send Basic with every request; "
              "digest: answer only a Digest challenge.")
@click.option("--chunk", default=5000, show_default=True, help="Statements per request (0: all in one).")
@click.option("--update", "update_url", default=None,
              help="SPARQL Update endpoint for the INSERT DATA fallback (default: guessed from --store).")
@click.option("--query", "query_url", default=None,
              help="SPARQL query endpoint for the COUNT check (default: guessed from --store).")
@click.option("--retries", default=3, show_default=True, help="Retries per request on errors, with backoff.")
@click.option("--no-verify", is_flag=True, help="Skip the COUNT check at the end.")
@handle_errors
def push_cmd(root: str | None, store: str, graph: str | None, default_graph: bool, replace: bool,
             auth: str | None, auth_scheme: str, chunk: int, update_url: str | None, query_url: str | None,
             retries: int, no_verify: bool) -> None:
    """Load the dataset into a SPARQL store with the Graph Store HTTP Protocol (POST/PUT of N-Triples or
    N-Quads chunks), falling back to SPARQL Update INSERT DATA when the store has no Graph Store endpoint,
    then check the triple count with a COUNT query. See docs/publishing.md for Oxigraph, Fuseki, GraphDB
    and Virtuoso URLs."""
    cg = make_graph(root)
    total = len({q.triple for q in cg.ox_quads}) if graph or default_graph else len(set(cg.ox_quads))
    with click.progressbar(length=total, label="pushing", file=sys.stderr, show_pos=True) as bar:
        result = cg.push(store, graph=graph, default_graph=default_graph, replace=replace, auth=auth,
                         auth_scheme=auth_scheme, chunk=chunk, update=update_url, query=query_url,
                         verify=not no_verify, retries=retries, progress=bar.update)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    how = "Graph Store Protocol" if result.method == "gsp" else "SPARQL Update (INSERT DATA)"
    checked = f"; the store holds {result.count:,}" if result.count is not None else " (not verified)"
    click.echo(f"pushed {result.sent:,} statements into {result.target} with {how} in {result.requests} "
               f"requests{checked}")
