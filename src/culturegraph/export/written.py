"""A bundle ``culturegraph release`` wrote, served again instead of being rebuilt in memory.

``serve`` answers ``/catalog``, ``/.well-known/void`` and ``/release/…`` from a whole bundle (the catalog gives
every file's size and SHA-256); at a million triples building one costs minutes and gigabytes
(``benchmarks/README.md``). So ``write_release`` records a **bundle key** beside the folder it wrote
(``{out}/{version}.key.json``): a SHA-256 over everything the bundle's bytes depend on — the data's content key
(:func:`culturegraph.snapshot.content_key`), the SHA-256 over ``data/`` and ``ontology/`` the bundle cites, the
source of the whole package, the versions of the libraries that write the files, and the release options.
``serve`` uses ``dist/release/{version}/`` when the key it would build with matches and every file still matches
``SHA256SUMS``; otherwise it builds in memory as before.
"""

from __future__ import annotations

import hashlib
import json
import logging
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..api import CultureGraph

log = logging.getLogger(__name__)
KEY_SUFFIX = ".key.json"
# libraries whose output ends up in the bundle's bytes (dumps, JSON-LD, ontology HTML, network files)
_LIBRARIES = ("pyoxigraph", "rdflib", "pyld", "pylode", "networkx")


def key_path(folder: Path) -> Path:
    """``{out}/{version}.key.json`` for the bundle folder ``{out}/{version}``."""
    return folder.with_name(folder.name + KEY_SUFFIX)


def _package_digest() -> bytes:
    """SHA-256 over every file of the installed package (code, templates, context): any change invalidates."""
    pkg = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for path in sorted(p for p in pkg.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(path.relative_to(pkg).as_posix().encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return h.digest()


def _library_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "absent"


def bundle_key(cg: CultureGraph, options: dict[str, str]) -> str:
    """The key of the bundle :func:`~culturegraph.export.release.build_release` makes for ``cg`` with the
    resolved ``options`` (version, issued, modified, endpoint_url)."""
    from ..snapshot import content_key
    from .release import data_hash

    h = hashlib.sha256(b"culturegraph release bundle\0")
    h.update(content_key(cg).encode() + b"\0" + data_hash(cg.root).encode() + b"\0")
    h.update(_package_digest())
    for name in _LIBRARIES:
        h.update(f"{name}={_library_version(name)}\0".encode())
    for name in sorted(options):
        h.update(f"{name}={options[name]}\0".encode())
    return h.hexdigest()


def key_record(key: str, options: dict[str, str]) -> bytes:
    """What the key file holds (deterministic)."""
    from .. import __version__

    return (json.dumps({"culturegraph": __version__, "key": key, "options": options}, indent=2, sort_keys=True)
            + "\n").encode()


def read_bundle(cg: CultureGraph, folder: Path, options: dict[str, str]) -> dict[str, bytes] | None:
    """The files of the bundle at ``folder`` if its key matches ``options`` and every file matches its
    ``SHA256SUMS`` line; None (with a log line saying why) otherwise."""
    try:
        record = json.loads(key_path(folder).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("key") != bundle_key(cg, options):
        log.info("the bundle at %s was written from other data, code or options: building one in memory", folder)
        return None
    try:
        sums = (folder / "SHA256SUMS").read_bytes()
        files: dict[str, bytes] = {"SHA256SUMS": sums}
        for line in sums.decode("utf-8").splitlines():
            digest, _, name = line.partition("  ")
            if not name or ".." in Path(name).parts:
                raise ValueError(f"bad line in SHA256SUMS: {line!r}")
            data = (folder / name).read_bytes()
            if hashlib.sha256(data).hexdigest() != digest:
                raise ValueError(f"{name} does not match SHA256SUMS")
            files[name] = data
    except (OSError, ValueError) as exc:
        log.warning("not serving the bundle at %s (%s): building one in memory", folder, exc)
        return None
    return dict(sorted(files.items()))

