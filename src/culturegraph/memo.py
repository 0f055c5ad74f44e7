"""One value per facade, built on first use and dropped with the facade."""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from .api import CultureGraph

T = TypeVar("T")


def per_facade(build: Callable[[CultureGraph], T]) -> Callable[[CultureGraph], T]:
    """``build(cg)`` run once per facade; the result lives as long as the facade (a weak key, so a
    dropped facade takes its indexes with it)."""
    cache: weakref.WeakKeyDictionary[CultureGraph, T] = weakref.WeakKeyDictionary()

    @functools.wraps(build)
    def get(cg: CultureGraph) -> T:
        value = cache.get(cg)
        if value is None:
            value = cache[cg] = build(cg)
        return value

    return get
