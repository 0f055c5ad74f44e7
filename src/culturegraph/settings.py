"""One declared table of settings: name, default, help.

Settings come from (lowest to highest priority) the defaults below, environment variables
``CULTUREGRAPH_<NAME>`` (upper case) and explicit keyword arguments / CLI options. Network access is
off unless a setting turns it on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from typing import Any

from .namespaces import DEFAULT_BASE_IRI


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("base_iri", DEFAULT_BASE_IRI,
            "Base IRI of every dataset resource (IRIs are {base}id/{kind}/{id})."),
    Setting("query_timeout", 10.0, "Seconds a SPARQL query may run before it is stopped (HTTP 504)."),
    Setting("max_rows", 10_000, "Most result rows returned for one query; the client is told when cut."),
    Setting("max_body_bytes", 1_000_000, "Largest request body the endpoint accepts (HTTP 413 above)."),
    Setting("max_response_bytes", 20_000_000, "Largest result body the endpoint sends; rows past it are left out "
            "and the client is told (as with max_rows)."),
    Setting("query_workers", 2, "Worker processes that run endpoint queries (killed and replaced on timeout)."),
    Setting("worker_memory", 1024, "Megabytes a query worker may use beyond the loaded data; a query needing "
            "more is stopped (HTTP 422) and the worker replaced. 0 = no limit."),
    Setting("client_timeout", 30.0, "Seconds a client may take to send a request's headers, and again its body "
            "(HTTP 408 or a closed connection after)."),
    Setting("allow_service", (), "SPARQL SERVICE endpoints a query may call; empty = SERVICE refused."),
    Setting("default_lang", "en", "Label language when none is asked for (fallback: requested, en, any)."),
    Setting("store", "oxigraph", "Query engine: 'oxigraph' (pyoxigraph, default) or 'memory' (rdflib)."),
    Setting("store_path", None, "Directory of a persistent on-disk Oxigraph store (default: in memory), "
            "rebuilt only when data/ or ontology/ change (content key in DIR.key.json)."),
    Setting("view_node_limit", 1_500, "Largest network view drawn before it is aggregated."),
    Setting("view_edge_limit", 5_000, "Most links a network view draws: above it only the strongest are kept "
            "(the least weight that fits), and the page says so."),
)

_DEFAULTS = {s.name: s.default for s in SETTINGS}


@dataclass(frozen=True)
class Settings:
    """Resolved settings. Build with :func:`Settings.load`."""

    base_iri: str = DEFAULT_BASE_IRI
    query_timeout: float = 10.0
    max_rows: int = 10_000
    max_body_bytes: int = 1_000_000
    max_response_bytes: int = 20_000_000
    query_workers: int = 2
    worker_memory: int = 1024
    client_timeout: float = 30.0
    allow_service: tuple[str, ...] = field(default_factory=tuple)
    default_lang: str = "en"
    store: str = "oxigraph"
    store_path: str | None = None
    view_node_limit: int = 1_500
    view_edge_limit: int = 5_000

    @classmethod
    def load(cls, **overrides: Any) -> Settings:
        """Defaults, then ``CULTUREGRAPH_*`` environment variables, then ``overrides`` (None = unset).

        >>> Settings.load(max_rows=5).max_rows
        5
        """
        values: dict[str, Any] = dict(_DEFAULTS)
        for f in fields(cls):
            env = os.environ.get("CULTUREGRAPH_" + f.name.upper())
            if env is not None:
                values[f.name] = _coerce(f.name, env)
        for k, v in overrides.items():
            if k not in values:
                raise ValueError(f"unknown setting {k!r}")
            if v is not None:
                values[k] = v
        if not str(values["base_iri"]).endswith(("/", "#")):
            values["base_iri"] = str(values["base_iri"]) + "/"
        values["allow_service"] = tuple(values["allow_service"])
        return cls(**values)


def _coerce(name: str, raw: str) -> Any:
    default = _DEFAULTS[name]
    if isinstance(default, bool):
        return raw.lower() in ("1", "true", "yes", "on")
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    if isinstance(default, tuple):
        return tuple(x for x in raw.replace(",", " ").split() if x)
    return raw
