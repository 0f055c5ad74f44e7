"""Pause Python's cyclic garbage collector while a phase builds many objects that stay alive.

Written by hand because no library does this one thing: CPython runs a collection every 700 net
allocations, and ever larger ones as objects survive, so building a graph of a million triples (tens
of millions of YAML nodes, rdflib terms, tuples and strings, nearly all kept) spends close to half its
time scanning objects that are not garbage. Measured at 1M on the YAML → store path: 43.9 s with the
collector running, 24.2 s with it paused, and the same peak memory (3.4 GB) — the objects are freed by
reference counting, which pausing does not touch. Not used around pySHACL, which does leave cyclic
garbage (pausing it raised the 1M peak from 2.2 to 3.7 GB). ``docs/decisions.md`` has the entry.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the cyclic collector inside the block; enable it again after, if it was on before.

    Nested blocks leave it to the outermost one. The collector is process-wide: a block in one thread
    pauses it for all threads until it ends, which only delays collection.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
