"""A graph is loaded from YAML once: prebuilt dumps and on-disk stores are reused while the content key
(data + ontology + loader code) matches, and rebuilt as soon as anything changes."""

from __future__ import annotations

import gc
import hashlib
import json
from pathlib import Path

import pytest

from culturegraph.api import CultureGraph
from culturegraph.snapshot import content_key

from .conftest import run_cli

ASK_SPEAKER = "ASK { person:lee-kyogu cg:tookPartIn edition:forum-2025 }"
PEOPLE = "SELECT ?p WHERE { ?p a cg:Person } ORDER BY ?p"


def rename_person(project: Path) -> None:
    people = project / "data" / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace("id: lee-kyogu", "id: lee-kyogu-2")
                      .replace("- who: lee-kyogu", "- who: lee-kyogu-2"), encoding="utf-8")
    for f in (project / "data").rglob("*.yaml"):
        f.write_text(f.read_text(encoding="utf-8").replace("who: lee-kyogu\n", "who: lee-kyogu-2\n"),
                     encoding="utf-8")


def test_content_key_follows_the_data(mini: Path) -> None:
    key = content_key(CultureGraph(mini))
    assert key == content_key(CultureGraph(mini))
    assert key != content_key(CultureGraph(mini, base_iri="https://example.org/other/"))
    (mini / "data" / "README.md").write_text("not data\n", encoding="utf-8")  # not read by the loader
    assert key == content_key(CultureGraph(mini))
    rename_person(mini)
    assert key != content_key(CultureGraph(mini))


def test_query_reuses_the_built_dump_without_reading_yaml(mini: Path) -> None:
    assert run_cli("build", cwd=mini).returncode == 0
    meta = json.loads((mini / "dist" / "culturegraph.key.json").read_text(encoding="utf-8"))
    assert meta["key"] == content_key(CultureGraph(mini))
    cg = CultureGraph(mini)
    assert cg.query(ASK_SPEAKER).boolean is True
    assert cg.label(cg.iri("lee-kyogu"), "ko") == "이교구"
    assert "loaded" not in cg.__dict__, "the YAML was read although the dump was current"
    for junk in ("<img>", "a b", "nobody"):  # looked up in the store: no such record, never a ValueError
        with pytest.raises(KeyError):
            cg.iri(junk)
    assert cg.stats()["people"] == 1 and "loaded" not in cg.__dict__
    ego = cg.projection("ego", entity="lee-kyogu")  # a view on a record id: resolved in the store
    assert ego.graph.nodes[str(cg.iri("lee-kyogu"))]["center"] and "loaded" not in cg.__dict__
    # change the data: the dump is stale, so the facade reads the YAML again
    rename_person(mini)
    fresh = CultureGraph(mini)
    assert [str(r[0]).rsplit("/", 1)[-1] for r in fresh.query(PEOPLE).rows] == ["lee-kyogu-2"]
    assert fresh.engine.origin is None  # type: ignore[attr-defined]  # made from the YAML, not the dump
    assert "loaded" not in fresh.__dict__  # whose records were let go once the store was filled


def test_a_stale_or_damaged_dump_is_ignored(mini: Path) -> None:
    assert run_cli("build", cwd=mini).returncode == 0
    dump = mini / "dist" / "culturegraph.nq"
    dump.write_bytes(dump.read_bytes() + b"\n")  # size no longer matches the key file
    cg = CultureGraph(mini)
    assert cg.query(ASK_SPEAKER).boolean is True and cg.engine.origin is None  # type: ignore[attr-defined]


def test_the_checked_lenient_load_holds_what_the_strict_load_holds(real_copy: Path) -> None:
    """The dump is parsed without validation only because its SHA-256 is the one build recorded; for
    build's own bytes that gives exactly the quads the validating parser gives. An older key file with no
    hash gets the validating parser."""
    import pyoxigraph as ox

    from culturegraph.snapshot import load_dump, prebuilt_store

    assert run_cli("build", "--no-validate", cwd=real_copy).returncode == 0
    dump = real_copy / "dist" / "culturegraph.nq"
    strict = ox.Store()
    strict.load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    lenient = ox.Store()
    assert load_dump(lenient, dump) is True
    assert len(lenient) == len(strict) > 10_000 and set(lenient) == set(strict)
    key = real_copy / "dist" / "culturegraph.key.json"
    meta = json.loads(key.read_text(encoding="utf-8"))
    del meta["dump_sha256"]
    key.write_text(json.dumps(meta), encoding="utf-8")
    old = prebuilt_store(CultureGraph(real_copy))
    assert old is not None and set(old) == set(strict)


def test_a_dump_of_the_same_size_with_other_bytes_is_not_used(mini: Path) -> None:
    """Same size, one IRI made invalid: the hash differs, so neither the engine, the exports nor a query
    worker use the dump; the facade reads the YAML, and a worker refuses to start with a readable reason."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    import pyoxigraph as ox

    from culturegraph.query_workers import WorkerDied, WorkerPool
    from culturegraph.snapshot import dumped_quads, load_dump

    assert run_cli("build", "--no-validate", cwd=mini).returncode == 0
    dump = mini / "dist" / "culturegraph.nq"
    data = dump.read_bytes()
    assert b"/person/lee-kyogu>" in data
    dump.write_bytes(data.replace(b"/person/lee-kyogu>", b"/person/lee kyogu>"))
    assert dump.stat().st_size == len(data)
    assert load_dump(ox.Store(), dump) is False
    cg = CultureGraph(mini)
    assert dumped_quads(cg) is None
    assert cg.query(ASK_SPEAKER).boolean is True and cg.engine.origin is None  # type: ignore[attr-defined]
    pool = WorkerPool(("file", str(dump)), size=1, timeout=10, prefixes={}, base_iri=cg.settings.base_iri)
    # a thread of its own: another test may have left an event loop here
    with ThreadPoolExecutor(1) as threads, pytest.raises(WorkerDied, match="not the dump the server checked"):
        threads.submit(asyncio.run, pool.start()).result()


def test_persistent_store_is_built_once_and_reused(mini: Path, tmp_path: Path) -> None:
    store = tmp_path / "stores" / "graph"
    first = CultureGraph(mini, store_path=str(store))
    assert first.query(ASK_SPEAKER).boolean is True
    key = json.loads((store.parent / "graph.key.json").read_text(encoding="utf-8"))
    assert key["key"] == content_key(first) and key["quads"] > 0
    second = CultureGraph(mini, store_path=str(store))
    assert second.query(ASK_SPEAKER).boolean is True
    assert "loaded" not in second.__dict__, "the on-disk store was rebuilt although current"
    third = CultureGraph(mini, store_path=str(store))  # several read-only openers at once
    assert third.query(PEOPLE).rows == second.query(PEOPLE).rows
    del first, second, third
    rename_person(mini)
    fourth = CultureGraph(mini, store_path=str(store))
    assert [str(r[0]).rsplit("/", 1)[-1] for r in fourth.query(PEOPLE).rows] == ["lee-kyogu-2"]
    assert sorted(p.name for p in store.parent.iterdir()) == ["graph", "graph.key.json"]


def test_cli_store_options(mini: Path, tmp_path: Path) -> None:
    store = tmp_path / "disk"
    res = run_cli("build", "--store-path", str(store), cwd=mini)
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "disk.key.json").is_file()
    for extra in (["--store-path", str(store)], ["--store", "memory"], ["--store", "oxigraph"]):
        res = run_cli("query", *extra, "--sparql", "SELECT ?e WHERE { person:lee-kyogu cg:tookPartIn ?e }",
                      "-f", "csv", cwd=mini)
        assert res.returncode == 0, res.stderr
        assert res.stdout.splitlines()[1:] == ["https://w3id.org/culturegraph/id/edition/forum-2025"]
    res = run_cli("query", "--store", "sqlite", "--sparql", "ASK {}", cwd=mini)
    assert res.returncode == 2 and "sqlite" in res.stderr


def test_every_graph_command_takes_the_store_options() -> None:
    import click

    from culturegraph.cli import cli

    ctx = click.Context(cli)
    for name in ("build", "query", "serve", "viz"):
        cmd = cli.get_command(ctx, name)
        assert cmd is not None
        opts = {o for p in cmd.params for o in getattr(p, "opts", [])}
        assert {"--store", "--store-path"} <= opts, name


def test_serve_and_its_workers_start_from_the_built_dump(mini: Path) -> None:
    """With a current dump, the server process and its query workers load it: no YAML is read, and a
    query over HTTP sees the data; once the data changes, workers get the freshly loaded quads instead."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from culturegraph.cli_serve import request_in_process
    from culturegraph.server import create_app
    from culturegraph.snapshot import worker_source

    assert run_cli("build", cwd=mini).returncode == 0
    cg = CultureGraph(mini, query_workers=1)
    assert worker_source(cg) == ("file", str((mini / "dist" / "culturegraph.nq").resolve()))
    app = create_app(cg, cg.settings)
    path = "/sparql?query=" + ASK_SPEAKER.replace(" ", "%20")
    with ThreadPoolExecutor(1) as pool:  # a thread of its own: another test may have left an event loop here
        status, _, body = pool.submit(asyncio.run, request_in_process(app, path, "application/sparql-results+json")
                                      ).result()
    assert status == 200 and json.loads(body)["boolean"] is True
    assert "loaded" not in cg.__dict__, "serve read the YAML although the dump was current"
    rename_person(mini)
    fresh = CultureGraph(mini)
    kind, path = worker_source(fresh)  # a dump of the freshly filled store, written once for the workers
    dump = Path(path)
    assert kind == "file" and dump.parent != mini / "dist" and b"/person/lee-kyogu-2>" in dump.read_bytes()
    assert worker_source(fresh) == (kind, path)
    from culturegraph.snapshot import recorded_sha256

    assert recorded_sha256(dump) == hashlib.sha256(dump.read_bytes()).hexdigest()  # workers parse it leniently
    del fresh
    gc.collect()
    assert not dump.parent.exists()  # removed with the facade


def test_serve_workers_open_the_on_disk_store_read_only(mini: Path, tmp_path: Path) -> None:
    from culturegraph.snapshot import worker_source

    db = tmp_path / "db"
    cg = CultureGraph(mini, store_path=str(db))
    assert worker_source(cg) == ("disk", str(db.resolve()))
    query = "/sparql?query=" + ASK_SPEAKER.replace(" ", "%20")
    done = run_cli("serve", "--store-path", str(db), "--get", query, "--accept", "application/sparql-results+json",
                   cwd=mini)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["boolean"] is True


def test_exports_take_the_quads_and_records_from_a_current_dump(real_copy: Path) -> None:
    """With a current dump, the quads the exports need are parsed from it (no YAML read, the same quads as
    the YAML gives) and the record index comes from the store's named graphs (the same as the YAML's)."""
    from culturegraph.snapshot import stored_records

    from_yaml = CultureGraph(real_copy)
    want = from_yaml.ox_quads
    records = {rid: (rec.kind.name, str(from_yaml.loaded.iri(rid))) for rid, rec in from_yaml.loaded.records.items()}
    assert {rid: (k.name, iri) for rid, (k, iri) in stored_records(from_yaml).items()} == records
    assert run_cli("build", "--no-validate", cwd=real_copy).returncode == 0
    cg = CultureGraph(real_copy)
    got = cg.ox_quads
    assert "loaded" not in cg.__dict__, "the YAML was read although the dump was current"
    assert len(got) == len(want) and set(got) == set(want)
    assert {rid: (k.name, iri) for rid, (k, iri) in stored_records(cg).items()} == records


def test_a_release_from_the_dump_is_the_release_from_the_yaml(monkeypatch: pytest.MonkeyPatch, mini: Path) -> None:
    """The same bundle, byte for byte, whether the quads come from the YAML or from a current dump; on the
    dump path the YAML is never read (reading it is what costs ~30 s and ~4 GB at 1M)."""
    from culturegraph import api
    from culturegraph.export.jsonld import framed_documents

    yaml_cg = CultureGraph(mini)
    _, from_yaml = yaml_cg.release(mini / "rel-yaml", validate=False)
    framed = framed_documents(yaml_cg)
    assert run_cli("build", "--no-validate", cwd=mini).returncode == 0

    def no_yaml(*args, **kwargs):
        raise AssertionError("read the YAML although the dump was current")

    monkeypatch.setattr(api, "load", no_yaml)
    cg = CultureGraph(mini)
    _, from_dump = cg.release(mini / "rel-dump", validate=False)
    assert from_dump == from_yaml
    assert framed_documents(cg) == framed  # per-record documents too (their triples are sorted first)


def test_the_memory_store_also_starts_from_the_dump(mini: Path) -> None:
    """`--store memory` with a current dump: rdflib's store is filled from the dump's quads, no YAML read,
    and answers as from the YAML."""
    want = CultureGraph(mini, store="memory").query(PEOPLE).rows
    assert run_cli("build", "--no-validate", cwd=mini).returncode == 0
    cg = CultureGraph(mini, store="memory")
    assert cg.query(ASK_SPEAKER).boolean is True and cg.query(PEOPLE).rows == want
    assert "loaded" not in cg.__dict__, "the YAML was read although the dump was current"


def test_content_key_covers_every_module_the_quads_come_from() -> None:
    """Every culturegraph module the loader and ``derive`` reach, at import or inside a function, is hashed
    into the key — so editing one (say the derived summaries) rebuilds the prebuilt dump. (``api.py`` is
    hashed too; its other imports serve queries and views, not the quads.)"""
    import ast

    from culturegraph import snapshot

    pkg = Path(snapshot.__file__).resolve().parent
    # modules that cannot change a quad: error types, GC tuning, settings (the base IRI is hashed itself),
    # reading query results into rows
    harmless = {"errors.py", "gcpause.py", "settings.py", "sparql_guard.py", "tsv_rows.py", "__init__.py"}
    seen: set[str] = set()
    todo = ["load.py", "derived.py", "store.py"]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for node in ast.walk(ast.parse((pkg / name).read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                mods = [node.module] if node.module else [a.name for a in node.names]
                todo += [f"{m}.py" for m in mods if (pkg / f"{m}.py").is_file()]
    assert "derived_summaries.py" in seen
    assert seen - harmless <= set(snapshot._CODE), sorted(seen - harmless - set(snapshot._CODE))


def test_a_single_threaded_process_reads_the_yaml_in_a_child(mini: Path) -> None:
    """Without a current dump, ``serve``/``query`` (one thread) fill the store from a forked child that reads
    the YAML; the answers are the data's, and a problem in the data is reported with its file and line."""
    import subprocess
    import sys

    if not sys.platform.startswith("linux"):
        pytest.skip("the child is forked on Linux only")
    code = ("import os, sys\n"
            "from culturegraph import snapshot\n"
            "from culturegraph.api import CultureGraph\n"
            "forks = []\n"
            "os.register_at_fork(after_in_parent=lambda: forks.append(1))\n"
            "cg = CultureGraph(sys.argv[1])\n"
            "print(len(cg.query('SELECT ?p WHERE { ?p a cg:Person }').rows), len(forks),"
            " 'loaded' in cg.__dict__, cg.engine.origin)\n")
    out = subprocess.run([sys.executable, "-c", code, str(mini)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["1", "1", "False", "None"]  # one person; one fork; no YAML in this process
    rename_person(mini)
    broken = mini / "data" / "people.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("id: lee-kyogu-2", "idd: lee-kyogu-2"),
                      encoding="utf-8")
    res = run_cli("query", "--root", str(mini), "--sparql", PEOPLE, cwd=mini)
    assert res.returncode != 0 and "Traceback" not in res.stderr
    assert "data/people.yaml:" in res.stderr, res.stderr
