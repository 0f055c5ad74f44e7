"""Drafting commands: ``draft`` (an article → reviewable YAML records; ``--check`` one as if merged) and
``merge`` (a reviewed draft into the data files). Registered in :data:`culturegraph.cli.COMMANDS`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .cli import handle_errors, make_graph, root_option


@click.command("draft", short_help="Draft records from a news article (id, ko, en, ja), for review.")
@root_option
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--url", default=None, help="The article's address (goes into the source record; never fetched).")
@click.option("--lang", type=click.Choice(["auto", "id", "ko", "en", "ja"]), default="auto", show_default=True,
              help="The article's language.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the draft here (default: drafts/<article name>.yaml); '-' for standard output.")
@click.option("--check", "check_only", is_flag=True,
              help="FILE is a draft: check it as if merged (SHACL and references) and say what it would add.")
@handle_errors
def draft_cmd(root: str | None, file: Path, url: str | None, lang: str, output: Path | None,
              check_only: bool) -> None:
    """Read a news article or press release saved as plain text or HTML and write a draft of its records
    (source, edition, dates, places, participants with roles, sessions) in the data folder's YAML, linked to
    the records the graph already holds. Every drafted fact cites the article, is `confidence: low` and
    `drafted: true` until reviewed. Drafts never go into data/ (see data/README.md: save, draft, review,
    check, merge).

    \b
    Examples:
        culturegraph draft article.html --url https://example.org/news/1
        culturegraph draft --check drafts/article.yaml
    """
    from .draft import draft_article
    from .draft.merge import check
    from .draft.text import DraftError
    from .io import write_files

    cg = make_graph(root)
    if check_only:
        plan = check(cg, file)
        click.echo(f"{file}: conforms when merged; it would add:")
        for line in plan.summary():
            click.echo(f"  {line}")
        return
    d = draft_article(cg, file, url=url, lang=lang)
    text = d.to_yaml()
    if output is not None and str(output) == "-":
        sys.stdout.write(text)
        return
    out = output or cg.root / "drafts" / (file.stem + ".yaml")
    data = cg.data_dir.resolve()
    if out.resolve().is_relative_to(data):
        raise DraftError(f"{out}: a draft never goes into {cg.data_dir}: review it, then `culturegraph merge` it")
    write_files({out: text.encode("utf-8")}, base=out.parent)
    click.echo(f"wrote {out}: {'edition ' + d.event if d.event else 'no edition'}, "
               f"{len(d.organisations)} organisations and {len(d.people)} people linked, "
               f"{len(d.new_people)} new names — review it, then run `culturegraph draft --check {out}`")


@click.command("merge", short_help="Add a reviewed draft's records to the data files.")
@root_option
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@handle_errors
def merge_cmd(root: str | None, file: Path) -> None:
    """Append the records of a reviewed draft to the right data files, all at once, only if the merged data
    conforms. Refuses records still marked `drafted: true`."""
    from .draft.merge import merge

    plan = merge(make_graph(root), file)
    click.echo(f"merged {file}:")
    for line in plan.summary():
        click.echo(f"  {line}")
