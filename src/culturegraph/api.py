"""The ``CultureGraph`` facade: the one object the CLI, the HTTP server, the views and notebooks call.

>>> cg = CultureGraph()
>>> cg.stats()["events"] >= 1
True
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from .gcpause import paused_gc
from .load import LoadResult, load
from .namespaces import RDFS, SKOS, all_prefixes
from .settings import Settings
from .store import Engine, OxQuad, iter_ox_quads, oxigraph_store, param_term, to_ox_quads

if TYPE_CHECKING:
    from .export.sorted_quads import SortedQuads

# the dumps ``build`` writes (format, extension); the N-Quads one is what query/serve load
_BUILD_DUMPS = (("turtle", "ttl"), ("nquads", "nq"), ("trig", "trig"))


def default_root() -> Path:
    """The project root: ``$CULTUREGRAPH_ROOT``, else the working directory if it holds ``data/`` and
    ``ontology/``, else the checkout this package was installed from."""
    env = os.environ.get("CULTUREGRAPH_ROOT")
    if env:
        return Path(env)
    cwd = Path.cwd()
    if (cwd / "data").is_dir() and (cwd / "ontology").is_dir():
        return cwd
    return Path(__file__).resolve().parents[2]


@dataclass
class QueryResult:
    """A SPARQL result. ``kind`` is ``select``, ``ask`` or ``graph`` (CONSTRUCT/DESCRIBE)."""

    kind: str
    variables: list[str]
    rows: list[tuple[Any, ...]]  # rdflib terms (None = unbound)
    boolean: bool | None = None
    triples: list[tuple[Any, Any, Any]] | None = None
    truncated: bool = False

    def dicts(self) -> list[dict[str, Any]]:
        """Rows as ``{variable: python value}`` (IRIs and literals as strings, numbers as numbers)."""
        out = []
        for row in self.rows:
            out.append({v: (t.toPython() if isinstance(t, Literal) else (str(t) if t is not None else None))
                        for v, t in zip(self.variables, row, strict=True)})
        return out

    def column(self, name: str) -> list[Any]:
        """The Python values of one column."""
        return [d[name] for d in self.dicts()]

    def to_dataframe(self):
        """The rows as a pandas DataFrame (needs the ``pandas`` extra)."""
        import pandas as pd

        return pd.DataFrame(self.dicts(), columns=self.variables)


class CultureGraph:
    """Loads, validates, queries and builds the culturegraph dataset of one project root.

    :param root: the project root holding ``data/``, ``ontology/`` and ``queries/`` (default:
        :func:`default_root`).
    :param settings: resolved settings; keyword overrides (``max_rows=…``) are applied on top.
    """

    def __init__(self, root: str | Path | None = None, *, settings: Settings | None = None, **overrides: Any):
        self.root = Path(root) if root is not None else default_root()
        self.settings = settings or Settings.load(**overrides)
        self.data_dir = self.root / "data"
        self.ontology_path = self.root / "ontology" / "culturegraph.ttl"
        self.shapes_path = self.root / "ontology" / "shapes.ttl"
        self.queries_dir = self.root / "queries"

    # ------------------------------------------------------------------ loading
    @cached_property
    def loaded(self) -> LoadResult:
        """The data read from ``data/`` and ``ontology/`` (raises :class:`DataError` on bad data); kept."""
        return self.read_data()

    def read_data(self) -> LoadResult:
        """The data read from ``data/`` and ``ontology/`` afresh, not kept (:attr:`loaded` keeps it)."""
        with paused_gc():
            return load(self.root, self.data_dir, self.ontology_path, self.settings.base_iri)

    def stream_quads(self, sink: Callable[[OxQuad], None], loaded: LoadResult | None = None) -> None:
        """Hand every quad of the dataset (ontology, data, derived) to ``sink`` as it is made from the YAML
        (``loaded``, else :attr:`loaded`), keeping none: at 1M triples a list of them held 2.8M quad objects."""
        from .derived import derive

        data = loaded or self.loaded

        def quads() -> Iterator[OxQuad]:
            for q in iter_ox_quads(chain(data.ontology_quads, data.quads)):
                sink(q)
                yield q

        with paused_gc():
            derive(quads(), self.settings.base_iri, sink=sink)

    @cached_property
    def ox_quads(self) -> list[OxQuad]:
        """Ontology + data quads as pyoxigraph quads, one named graph per record, plus the build-time
        analytics in ``{base}graph/derived`` (:mod:`culturegraph.derived`). Read from the current dump
        (:func:`~culturegraph.snapshot.dumped_quads`) unless the YAML is already loaded or the dump is stale;
        the order differs between the two, so every user of these quads sorts or sets them."""
        from .derived import derive

        if "loaded" not in self.__dict__:
            from .snapshot import dumped_quads

            dumped = dumped_quads(self)
            if dumped is not None:
                return dumped
        loaded = self.loaded
        with paused_gc():
            quads = to_ox_quads(loaded.ontology_quads + loaded.quads)
            return quads + derive(quads, self.settings.base_iri)

    @cached_property
    def _prefixes(self) -> dict[str, str]:
        return all_prefixes(self.settings.base_iri)

    @cached_property
    def engine(self) -> Engine:
        """The query engine (settings ``store`` and ``store_path``; :mod:`culturegraph.snapshot`): reuses a
        prebuilt ``dist/`` dump or on-disk store when the data has not changed, else loads ``data/``."""
        from .snapshot import open_engine

        with paused_gc():
            return open_engine(self)

    @cached_property
    def store(self) -> ox.Store:
        """The pyoxigraph store (default graph = union of the named graphs): the engine's own when the
        engine is Oxigraph, else one built from the data."""
        return getattr(self.engine, "store", None) or oxigraph_store(self.ox_quads)

    @cached_property
    def graph(self) -> Graph:
        """The whole graph (data + ontology) as one rdflib ``Graph`` (for pySHACL, networkx, …)."""
        loaded = self.loaded
        g = Graph()
        with paused_gc():
            for s, p, o, _ in loaded.ontology_quads + loaded.quads:
                g.add((s, p, o))
        return g

    def iri(self, record_id: str) -> URIRef:
        """The IRI of a record id, e.g. ``cg.iri("kofice")``."""
        if "loaded" not in self.__dict__ and "engine" in self.__dict__:  # prebuilt store: no YAML read
            from .snapshot import find_record

            return find_record(self, record_id)
        return self.loaded.iri(record_id)

    # ------------------------------------------------------------------ checking
    def validate(self):
        """Run the SHACL shapes; return a :class:`~culturegraph.validate.ValidationReport`."""
        from .validate import shacl_validate

        # not under paused_gc: pySHACL leaves cyclic garbage, and pausing saved no time (1M: 2.2 → 3.7 GB)
        return shacl_validate(self.loaded, self.shapes_path)

    def check(self) -> None:
        """Raise :class:`ValidationError` unless the data loads and conforms."""
        from .errors import ValidationError

        report = self.validate()
        if not report.conforms:
            raise ValidationError(report)

    # ------------------------------------------------------------------ building
    def sorted_quads(self, folder: str | Path | None = None) -> SortedQuads:
        """Every quad of the dumps (ontology, data, derived) sorted on disk for each dump format
        (:class:`~culturegraph.export.sorted_quads.SortedQuads`; close it, or use it in a ``with``). When the
        quads are not already in memory they are streamed from the loaded YAML and none is kept: at 1M
        triples ``build`` holds the YAML's records and one sort chunk, not 2.8M quad objects."""
        from .export.sorted_quads import SortedQuads

        sq = SortedQuads(folder)
        if "ox_quads" in self.__dict__ or "loaded" not in self.__dict__:  # in memory, or from the dump
            with paused_gc():
                return sq.extend(self.ox_quads).finish()
        self.stream_quads(sq.add)
        return sq.finish()

    def dumps(self) -> dict[str, bytes]:
        """The build outputs by file name, serialised deterministically: Turtle and TriG of the public
        graphs, and the N-Quads snapshot of every graph, the working aids included (:meth:`build`)."""
        from .export.sorted_quads import public_graphs

        keep = public_graphs(self.settings.base_iri)
        with self.sorted_quads() as sq:
            return {f"culturegraph.{ext}": sq.dump(fmt, self.settings.base_iri, None if fmt == "nquads" else keep)
                    for fmt, ext in _BUILD_DUMPS}

    def build(self, out: str | Path | None = None, *, validate: bool = True) -> dict[str, Path]:
        """Load, check and write ``culturegraph.ttl`` plus the provenance-keeping ``.nq`` / ``.trig``.

        ``.ttl`` and ``.trig`` hold the public graphs; ``.nq`` is the snapshot that ``query`` / ``serve``
        load, so it holds the working aids (``graph/index``, ``graph/display/*``) too. Nothing is written
        unless everything loads (and, with ``validate``, conforms); the files are replaced all together,
        atomically. The dumps are streamed to disk from one sort (:meth:`sorted_quads`), so memory stays
        bounded by the loaded YAML.
        """
        from .errors import ExportError
        from .export.sorted_quads import public_graphs
        from .io import write_files
        from .snapshot import DUMP_FILE, KEY_FILE, Digest, key_record

        if validate:
            self.check()
        self.loaded  # noqa: B018 -- build reads the YAML even when the dump is current: it reports bad data
        out_dir = Path(out) if out is not None else self.root / "dist"
        if not out_dir.parent.is_dir():
            raise ExportError(f"cannot write {out_dir}: the folder {out_dir.parent} does not exist")
        base = self.settings.base_iri
        digest: list[tuple[int, str]] = []

        keep = public_graphs(base)

        def writer(fmt: str) -> Callable[[BinaryIO], None]:
            def write(fh: BinaryIO) -> None:
                if fmt != "nquads":  # Turtle and TriG for people: the public graphs
                    return sq.write(fmt, fh, base, keep)
                hashed = Digest(fh)  # the content key records the dump's size and hash
                sq.write(fmt, hashed, base)  # type: ignore[arg-type]
                digest.append(hashed.value)
            return write

        # the sort's run files (1.2 GB at 1M) go beside the output, not to a /tmp that may live in memory
        near = next((d for d in (out_dir, out_dir.parent) if d.is_dir() and os.access(d, os.W_OK)), None)
        with self.sorted_quads(near) as sq:
            files: dict[Path, Any] = {out_dir / f"culturegraph.{ext}": writer(fmt) for fmt, ext in _BUILD_DUMPS}
            # the content key lets query/serve load the dump instead of the YAML while the data is unchanged
            files[out_dir / KEY_FILE] = lambda fh: fh.write(key_record(self, sq.count or 0, digest[0]))
            assert (out_dir / DUMP_FILE) in files
            write_files(files, base=out_dir)
        if self.settings.store_path:
            self.engine  # noqa: B018 -- (re)builds the on-disk store when its key is stale
        return {p.name: p for p in files}

    # ------------------------------------------------------------------ querying
    def query(self, sparql: str, *, params: dict[str, Any] | None = None,
              limit: int | None = None) -> QueryResult:
        """Run a read-only SPARQL query locally; ``params`` are bound as RDF terms, never pasted in.

        :raises QueryRefused: an update, ``LOAD`` or ``SERVICE`` (the endpoint's guard).
        :raises QueryError: a syntax error (with line and column), or a query nested or chained past what
            the engine's parser survives.

        >>> CultureGraph().query("ASK { ?s a cg:Edition }").boolean
        True
        """
        subs = {k: param_term(v) for k, v in (params or {}).items()}
        limit = limit if limit is not None else self.settings.max_rows
        res = self.engine.query(sparql, prefixes=self._prefixes, substitutions=subs, limit=limit)
        return QueryResult(res.kind, res.variables, res.rows, boolean=res.boolean, triples=res.triples,
                           truncated=res.truncated)

    # ------------------------------------------------------------------ labels and stats
    def label(self, iri: str | URIRef, lang: str | None = None) -> str:
        """The label of a resource: requested language, then English, then any (then the IRI's tail)."""
        from .labels import pick_label

        cands = self.engine.label_candidates(str(iri), (str(RDFS.label), str(SKOS.prefLabel)))
        chosen = pick_label(cands, lang or self.settings.default_lang)
        return chosen or str(iri).rstrip("/").rsplit("/", 1)[-1]

    def stats(self) -> dict[str, Any]:
        """Counts per class, triples, languages, sources and conflicts (a plain dict)."""
        from .stats import compute_stats

        return compute_stats(self)

    def search(self, text: str, lang: str | None = None, limit: int = 20) -> Any:
        """Records whose names match ``text`` in any language — accents, case, spaces and hyphens ignored,
        prefixes and small typos forgiven — best first, labels in ``lang``
        (:class:`~culturegraph.search.SearchResult`; ``suggestions`` holds the closest names when nothing
        matched).

        >>> CultureGraph().search("kofice").hits[0].id
        'organisation/kofice'
        """
        from .search import get_search_index

        return get_search_index(self).search(text, lang or self.settings.default_lang, limit)

    # ------------------------------------------------------------------ named queries (queries.py)
    def named_queries(self) -> list[Any]:
        """The named queries of ``queries/*.rq`` as :class:`~culturegraph.queries.NamedQuery` (title,
        description, view, params, cq, sparql), sorted by name.

        :raises QueryError: a malformed query header (file and line).

        >>> q = next(q for q in CultureGraph().named_queries() if q.name == "host-cities")
        >>> q.title, [p.name for p in q.params]
        ('Host cities in chronological order', ['lang'])
        """
        from .queries import load_queries

        return list(load_queries(self.queries_dir, root=self.root).values())

    def run_named(self, name: Any, params: dict[str, Any] | None = None, lang: str | None = None, *,
                  limit: int | None = None) -> QueryResult:
        """Run a named query (by name, or a parsed ``NamedQuery``); ``params`` are bound as typed RDF
        terms, ``lang`` fills a ``lang`` parameter (labels: requested language, then en, then any).

        :raises NotFound: no query of that name. :raises QueryError: unknown or ill-typed parameter.

        >>> res = CultureGraph().run_named("sessions-in-order", {"year": 2025}, lang="ko")
        >>> [r["sessionLabel"] for r in res.dicts()][-1]
        'AI와 문화유산의 미래'
        """
        from .queries import find, load_queries, run_local

        query = name if not isinstance(name, str) else find(load_queries(self.queries_dir), name)
        return run_local(self, query, params, lang=lang, limit=limit)

    # ------------------------------------------------------------------ network views (network.py & co)
    def projection(self, preset: str, **filters: Any) -> Any:
        """A network view as a :class:`~culturegraph.network.View` (``.graph`` is a networkx graph).

        ``preset``: entity, organisations, themes, countries, people, ego or field; ``filters``: ``year_from``,
        ``year_to``, ``theme``, ``country``, ``types``, ``entity``, ``radius``, ``lang``, ``size_by``, ``group``.

        :raises NotFound: unknown preset or entity. :raises ViewError: bad filter (HTTP 400).
        """
        from .network import view_for

        with paused_gc():
            return view_for(self, preset, **filters)

    def view_html(self, preset: str, **filters: Any) -> bytes:
        """The view as one self-contained, offline HTML page (same arguments as :meth:`projection`)."""
        from .viewhtml import render_html

        return render_html(self.projection(preset, **filters))

    def path(self, a: str, b: str, *, lang: str = "en", through_hubs: bool = False) -> list[Any]:
        """The shortest chain of statements between two entities, each with its sources
        (:class:`~culturegraph.netanalysis.Step`); not through countries, cities or themes unless
        ``through_hubs`` or no other chain exists. :raises NotFound: unknown entity or no connection."""
        from .netanalysis import explain_path

        return explain_path(self, a, b, lang=lang, through_hubs=through_hubs)


    # ------------------------------------------------------------------ publishing (export/)
    def export(self, fmt: str) -> dict[str, bytes]:
        """The dataset in one format (turtle, ntriples, nquads, trig, jsonld, rdfxml, graphml, gexf, csv):
        ``{file name: bytes}``, byte-identical for the same data. :raises NotFound: unknown format.

        >>> sorted(CultureGraph().export("nquads"))
        ['culturegraph.nq']
        """
        from .export import export

        with paused_gc():  # 100k: GraphML 3.0 → 1.8 s, JSON-LD 18.3 → 16.3 s, same peak memory
            return export(self, fmt)

    def release(self, out: str | Path | None = None, *, validate: bool = True, **options: Any):
        """Write the portal-ready bundle to ``{out}/{version}/`` (see :mod:`culturegraph.export.release`);
        ``options``: version, issued, modified, endpoint_url. Returns ``(folder, {name: bytes})``."""
        from .export.release import write_release

        return write_release(self, out, validate=validate, **options)

    def push(self, store: str, **options: Any):
        """Load the dataset into a SPARQL 1.1 store over the Graph Store Protocol (SPARQL Update as the
        fallback) and verify the count (see :func:`culturegraph.export.push.push` for the options)."""
        from .export.push import push

        return push(self, store, **options)
