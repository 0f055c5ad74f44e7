"""Where the query engine's store comes from, and how a large graph is loaded only once.

Reading the YAML data costs about 25 s per million triples (``benchmarks/README.md``); loading the same
quads (with their derived graphs: 2.75M) from the N-Quads dump into Oxigraph costs about 10 s, and opening
an on-disk Oxigraph store costs nothing. So every store made from the data is keyed by a **content key**:
a SHA-256 over the data files, the ontology, the base IRI, the culturegraph version and the source of the
modules that turn data into quads. A store is reused only when its key matches; YAML parsing and SHACL are
skipped on that path.

- ``culturegraph build`` writes ``dist/culturegraph.nq`` and the key next to it
  (``dist/culturegraph.key.json``); a later ``query`` / ``serve`` / ``viz`` on unchanged data loads the dump,
  and ``export`` / ``release`` / ``push`` parse their quads from it (:func:`dumped_quads`).
- With ``store_path`` (``--store-path DIR``), the store is a persistent on-disk Oxigraph store at ``DIR``
  with its key in ``DIR.key.json``; it is rebuilt (into a sibling directory, then swapped in) only when
  the key differs, and opened read-only otherwise, so several worker processes can share it.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from . import __version__

if TYPE_CHECKING:
    import pyoxigraph as ox
    from rdflib import URIRef

    from .api import CultureGraph
    from .schema import Kind
    from .store import Engine

KEY_FILE = "culturegraph.key.json"
DUMP_FILE = "culturegraph.nq"
# modules whose code decides which quads the data becomes: editing one invalidates every stored key
_CODE = ("api.py", "load.py", "emit.py", "schema.py", "yamlio.py", "derived.py", "derived_summaries.py",
         "derived_display.py", "namespaces.py", "store.py")


def content_key(cg: CultureGraph) -> str:
    """SHA-256 over everything the quads depend on (data files, ontology, base IRI, loader code).

    Computed once per facade (a facade also keeps its loaded data for its whole life).
    """
    memo = cg.__dict__.get("_content_key")
    if memo is None:
        memo = cg.__dict__["_content_key"] = _content_key(cg)
    return memo


def _content_key(cg: CultureGraph) -> str:
    h = hashlib.sha256(f"culturegraph {__version__}\0{cg.settings.base_iri}\0".encode())
    pkg = Path(__file__).resolve().parent
    for name in _CODE:
        h.update(name.encode() + b"\0" + hashlib.sha256((pkg / name).read_bytes()).digest())
    files = [cg.ontology_path]
    if cg.data_dir.is_dir():
        files += sorted(p for p in cg.data_dir.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    for path in files:
        rel = path.relative_to(cg.root).as_posix() if path.is_relative_to(cg.root) else path.name
        h.update(rel.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def key_record(cg: CultureGraph, quads: int, dump: tuple[int, str] | None = None) -> bytes:
    """The JSON a key file holds (deterministic: same data, same bytes); ``dump`` is the dump's size and
    SHA-256 (:class:`Digest`)."""
    record: dict[str, Any] = {"culturegraph": __version__, "key": content_key(cg), "quads": quads}
    if dump is not None:
        record["dump_bytes"], record["dump_sha256"] = dump
    return (json.dumps(record, indent=2, sort_keys=True) + "\n").encode()


class Digest:
    """A binary file wrapper that counts and hashes what is written through it (the dump's key record)."""

    def __init__(self, out: BinaryIO):
        self._out = out
        self._sha = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self._sha.update(data)
        self.size += len(data)
        return self._out.write(data)

    @property
    def value(self) -> tuple[int, str]:
        """(bytes written, their SHA-256 in hex)."""
        return self.size, self._sha.hexdigest()


def read_key(path: Path) -> dict[str, Any] | None:
    """The content of a key file, or None if missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def current_dump(cg: CultureGraph, out_dir: Path | None = None) -> Path | None:
    """``dist/culturegraph.nq`` if its key matches the data (and its size the key's record), else None."""
    out_dir = out_dir or cg.root / "dist"
    dump, meta = out_dir / DUMP_FILE, read_key(out_dir / KEY_FILE)
    if meta is None or not dump.is_file() or meta.get("dump_bytes") != dump.stat().st_size:
        return None
    if meta.get("key") != content_key(cg):
        return None
    return dump


def prebuilt_store(cg: CultureGraph, out_dir: Path | None = None) -> ox.Store | None:
    """An in-memory store loaded from ``dist/culturegraph.nq`` if its key matches the data, else None."""
    import pyoxigraph as ox

    dump = current_dump(cg, out_dir)
    if dump is None:
        return None
    store = ox.Store()
    return store if load_dump(store, dump) else None


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def recorded_sha256(dump: Path) -> str | None:
    """The SHA-256 ``build`` recorded for ``dump`` in the key file beside it, if any."""
    expected = (read_key(dump.parent / KEY_FILE) or {}).get("dump_sha256")
    return expected if isinstance(expected, str) else None


def load_dump(store: ox.Store, dump: Path) -> bool:
    """Load a dump ``build`` wrote into ``store``; False if its bytes are not the ones ``build`` recorded.

    Every term in the dump passed pyoxigraph's own checks when ``build`` made it, so when the key file
    records the dump's SHA-256 the dump is parsed *leniently* (no IRI or language-tag validation: 15 → 10 s
    at 1M triples, benchmarks/README.md), while a second thread hashes the file (0.5 s at 1M; both release
    the GIL). On a mismatch ``store`` holds data that must not be used: the caller drops it. A key file
    without a hash (written before it was recorded) gets the strict parser.
    """
    import threading

    import pyoxigraph as ox

    expected = recorded_sha256(dump)
    if expected is None:
        store.load(path=str(dump), format=ox.RdfFormat.N_QUADS)
        return True
    digest: list[str] = []
    hasher = threading.Thread(target=lambda: digest.append(_sha256(dump)), name="culturegraph-dump-hash")
    hasher.start()
    try:
        store.load(path=str(dump), format=ox.RdfFormat.N_QUADS, lenient=True)
    finally:
        hasher.join()
    return digest == [expected]


def dumped_quads(cg: CultureGraph) -> list[ox.Quad] | None:
    """The quads of the current dump, or None: exactly the quads ``build`` wrote, since parsing N-Quads keeps
    every lexical form and blank node label (a store would not: Oxigraph keeps ``"05"^^xsd:integer`` as 5).
    At 1M triples this is ~6 s and ~1.5 GB instead of ~30 s and ~4.4 GB for reading the YAML again."""
    import pyoxigraph as ox

    from .gcpause import paused_gc

    dump = current_dump(cg)
    if dump is None:
        return None
    expected = recorded_sha256(dump)
    if expected is not None and _sha256(dump) != expected:
        return None  # not the bytes build wrote: read the YAML instead
    with paused_gc():  # lenient only once the bytes are known to be build's (see load_dump)
        return list(ox.parse(path=str(dump), format=ox.RdfFormat.N_QUADS, lenient=expected is not None))


def _key_path(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".key.json")


def persistent_store(cg: CultureGraph, store_path: str | Path) -> ox.Store:
    """The on-disk store at ``store_path``, rebuilt first if its key does not match the data.

    Returns it opened read-only (several processes may open it at once).
    """
    import pyoxigraph as ox

    from .io import write_file

    path = Path(store_path)
    key = content_key(cg)
    meta = read_key(_key_path(path))
    if path.is_dir() and meta is not None and meta.get("key") == key:
        return ox.Store.read_only(str(path))
    prebuilt = prebuilt_store(cg)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    store = ox.Store(str(tmp))
    if prebuilt is not None:
        store.bulk_extend(prebuilt)
    elif "ox_quads" in cg.__dict__:
        store.bulk_extend(cg.ox_quads)
    else:
        cold_store(cg, store)  # streamed from the YAML: no list of every quad
    store.flush()
    count = len(store)
    del store, prebuilt
    gc.collect()  # pyoxigraph closes the database when the Store is dropped
    old = path.with_name(f".{path.name}.old-{os.getpid()}")
    if path.exists():
        path.rename(old)
    tmp.rename(path)
    shutil.rmtree(old, ignore_errors=True)
    write_file(_key_path(path), key_record(cg, count))
    return ox.Store.read_only(str(path))


def open_engine(cg: CultureGraph) -> Engine:
    """The engine the settings ask for (``store``: oxigraph | memory; ``store_path``), built the cheapest way."""
    from .errors import CultureGraphError
    from .store import OxigraphEngine, RdflibEngine, from_ox_quads, oxigraph_store

    s = cg.settings
    if s.store == "memory":
        if s.store_path:
            raise CultureGraphError("store_path needs the oxigraph store (the memory store lives in memory)")
        # cg.ox_quads is parsed from the current dump when there is one: no YAML read, and no Oxigraph store
        # built only to be listed (which would also change lexical forms such as "05"^^xsd:integer)
        return RdflibEngine(from_ox_quads(cg.ox_quads), allow_service=s.allow_service)
    if s.store != "oxigraph":
        raise CultureGraphError(f"unknown store {s.store!r}: use 'oxigraph' or 'memory'")
    if s.store_path:
        return OxigraphEngine(persistent_store(cg, s.store_path), allow_service=s.allow_service,
                              origin=("disk", str(Path(s.store_path).resolve())))
    store = prebuilt_store(cg)
    if store is not None:
        return OxigraphEngine(store, allow_service=s.allow_service,
                              origin=("file", str((cg.root / "dist" / DUMP_FILE).resolve())))
    if "ox_quads" in cg.__dict__:
        return OxigraphEngine(oxigraph_store(cg.ox_quads), allow_service=s.allow_service)
    return OxigraphEngine(cold_store(cg), allow_service=s.allow_service)


COLD_BATCH = 100_000  # quads handed to the store at once on the cold path


def cold_store(cg: CultureGraph, store: ox.Store | None = None) -> ox.Store:
    """``store`` (default: a new in-memory one) filled from the YAML, each quad handed over as it is made
    (in batches) and not kept; the YAML's records are dropped once read unless the facade already held them
    (``cg.loaded``). A new in-memory store is filled from a child process when this one has a single thread
    (:func:`_store_from_child`). At 1M triples the peak was 3.75 GB with a list of the quads; now 2.0 GB in
    this process, or 0.99 GB beside a child's 1.08 GB (``benchmarks/README.md``)."""
    import queue
    import threading

    import pyoxigraph as ox

    if store is None and "loaded" not in cg.__dict__ and _single_threaded():
        return _store_from_child(cg)
    store = store if store is not None else ox.Store()
    batches: queue.Queue[list[ox.Quad] | None] = queue.Queue(maxsize=2)
    failed: list[BaseException] = []

    def insert() -> None:  # `extend` releases the GIL (`bulk_extend` holds it): a second core inserts
        while (batch := batches.get()) is not None:
            try:
                store.extend(batch)
            except BaseException as exc:
                failed.append(exc)

    inserter = threading.Thread(target=insert, name="culturegraph-cold-insert", daemon=True)
    inserter.start()
    batch: list[ox.Quad] = []

    def add(q: ox.Quad) -> None:
        batch.append(q)
        if len(batch) >= COLD_BATCH:
            batches.put(batch.copy())
            batch.clear()

    try:
        loaded = cg.__dict__.get("loaded") or cg.read_data()
        cg.stream_quads(add, loaded)
        batches.put(batch)
    finally:
        batches.put(None)
        inserter.join()
    if failed:
        raise failed[0]
    del loaded
    _give_back_freed_memory()
    return store


def _single_threaded() -> bool:
    """Whether this process has one thread (Linux): the only state in which forking it is safe for a child
    that runs arbitrary Python (the YAML loader) — a lock held by another thread would stay held there."""
    from . import forked

    return forked.available() and len(os.listdir("/proc/self/task")) == 1


def _store_from_child(cg: CultureGraph) -> ox.Store:
    """A store filled from the YAML by a forked child: the child reads the YAML and makes the quads, writing
    them as N-Quads lines to a pipe, while this process parses the pipe into the store (Oxigraph, without
    the GIL) on the other core. The YAML's records die with the child, so this process holds the store and
    nothing else: query workers forked from it later (:mod:`culturegraph.forked`) inherit no garbage (at 1M
    the in-process path kept ~300 MB of freed Python heap that ``malloc_trim`` could not give back).
    Problems in the data come back as the same :class:`DataError` (as JSON, with file and line)."""
    import pyoxigraph as ox

    from .errors import CultureGraphError, DataError, Problem

    data_r, data_w = os.pipe()
    status_r, status_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: YAML → quads → pipe; never returns
        code = 0
        try:
            os.close(data_r)
            os.close(status_r)
            report: dict[str, Any] = {"ok": True}
            try:
                with os.fdopen(data_w, "wb", buffering=1 << 20) as out:
                    write = out.write

                    def line(q: ox.Quad) -> None:
                        write(f"{q} .\n".encode())

                    cg.stream_quads(line, cg.read_data())
            except DataError as exc:
                report = {"problems": [[p.file, p.line, p.message, p.column] for p in exc.problems]}
            except BaseException as exc:
                report = {"error": f"{type(exc).__name__}: {exc}"}
            with os.fdopen(status_w, "wb") as status_out:
                status_out.write(json.dumps(report).encode())
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(data_w)
    os.close(status_w)
    store = ox.Store()
    failure: Exception | None = None
    try:
        with os.fdopen(data_r, "rb") as lines:
            store.load(input=lines, format=ox.RdfFormat.N_QUADS, lenient=True)  # lines pyoxigraph wrote
    except (SyntaxError, ValueError, OSError) as exc:  # a child that stopped mid-line: its report says why
        failure = exc
    with os.fdopen(status_r, "rb") as st:
        raw = st.read()
    _, status = os.waitpid(pid, 0)
    try:
        report = json.loads(raw) if raw else {}
    except ValueError:
        report = {}
    if "problems" in report:
        raise DataError([Problem(f, line, message, column) for f, line, message, column in report["problems"]])
    if not report.get("ok") or failure is not None:
        why = report.get("error") or (f"{failure}" if failure else f"exit status {status}")
        raise CultureGraphError(f"reading the data failed in the loading process: {why}")
    return store


def _give_back_freed_memory() -> None:
    """Collect, then ask the C allocator to return freed pages to the system (glibc's ``malloc_trim``; no
    library wraps it). The YAML's records are gone once the store is filled, but their pages stayed with
    the process, and query workers forked from it (:mod:`culturegraph.forked`) would inherit them."""
    import ctypes
    import ctypes.util

    gc.collect()
    name = ctypes.util.find_library("c")
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(name).malloc_trim(0)


def pool_source(cg: CultureGraph) -> tuple[str, Any]:
    """What the server's query workers hold: its own in-memory store, shared by forking the workers from the
    server (Linux; :mod:`culturegraph.forked`), else what each loads (:func:`worker_source`). At 1M triples
    the server and two workers held ~2.6 GB with a copy each and start in ~13 s, the workers loading the dump
    (``benchmarks/README.md``)."""
    from . import forked

    origin = getattr(cg.engine, "origin", None)
    if forked.available() and (origin is None or origin[0] == "file"):
        return ("store", cg.store)
    return worker_source(cg)


def worker_source(cg: CultureGraph) -> tuple[str, Any]:
    """What a query worker process loads to hold the same data as ``cg``: the on-disk store (opened
    read-only), the prebuilt dump (read from the file), or else a dump of the facade's store that Oxigraph
    writes once to a temporary folder, with a key file recording its hash so that workers parse it
    leniently (the folder is removed with the facade). A dump handed over as bytes held 650 MB in the
    server at 1M triples and was pickled to every worker."""
    import tempfile
    import weakref

    import pyoxigraph as ox

    from .io import write_file

    origin = getattr(cg.engine, "origin", None) or cg.__dict__.get("_worker_dump")
    if origin is not None:
        return origin
    folder = Path(tempfile.mkdtemp(prefix="culturegraph-workers-"))
    weakref.finalize(cg, shutil.rmtree, folder, True)
    dump = folder / DUMP_FILE
    cg.store.dump(output=str(dump), format=ox.RdfFormat.N_QUADS)
    write_file(folder / KEY_FILE, key_record(cg, len(cg.store), (dump.stat().st_size, _sha256(dump))))
    origin = cg.__dict__["_worker_dump"] = ("file", str(dump))
    return origin


def stored_records(cg: CultureGraph) -> dict[str, tuple[Kind, str]]:
    """Every record as ``id → (kind, IRI)``, from the store's named graphs (one per record,
    ``{base}graph/{kind}/{id}``), so exports need not read the YAML."""
    import pyoxigraph as ox

    from .schema import KINDS

    by_path = {k.path: k for k in KINDS.values()}
    base = cg.settings.base_iri
    out: dict[str, tuple[Kind, str]] = {}
    for g in cg.store.named_graphs():
        if isinstance(g, ox.NamedNode) and g.value.startswith(base + "graph/"):
            path, _, rid = g.value[len(base) + len("graph/"):].partition("/")
            kind = by_path.get(path)
            if kind is not None and rid:
                out[rid] = (kind, f"{base}id/{path}/{rid}")
    return out


def find_record(cg: CultureGraph, record_id: str) -> URIRef:
    """The IRI of a record id, looked up in the engine's store (no YAML read).

    :raises KeyError: when no record has this id.
    """
    import pyoxigraph as ox
    from rdflib import URIRef

    from .schema import KINDS

    for path in sorted({k.path for k in KINDS.values()}):
        text = f"{cg.settings.base_iri}id/{path}/{record_id}"
        try:
            ox.NamedNode(text)
        except ValueError:  # not an IRI (``<img>``, a space): no record can have this id
            raise KeyError(record_id) from None
        iri = URIRef(text)
        if next(cg.engine.quads_for_pattern(iri, None, None), None) is not None:
            return iri
    raise KeyError(record_id)
