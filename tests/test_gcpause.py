"""The collector pause: on inside, restored after (nested, on error, and when it was already off)."""

from __future__ import annotations

import gc

import pytest

import culturegraph.api as api
from culturegraph.gcpause import paused_gc


@pytest.fixture(autouse=True)
def _restore_gc():
    was = gc.isenabled()
    yield
    (gc.enable if was else gc.disable)()


def test_paused_inside_and_back_on_after() -> None:
    gc.enable()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled(), "an inner block must leave the collector to the outer one"
    assert gc.isenabled()


def test_back_on_after_an_error() -> None:
    gc.enable()
    with pytest.raises(ValueError), paused_gc():
        raise ValueError("boom")
    assert gc.isenabled()


def test_left_off_when_it_was_off() -> None:
    gc.disable()
    with paused_gc():
        pass
    assert not gc.isenabled()


def test_loading_runs_with_the_collector_paused(monkeypatch, mini) -> None:
    seen = []
    real = api.load

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(api, "load", spy)
    gc.enable()
    cg = api.CultureGraph(mini)
    assert cg.loaded.quads
    assert seen == [False]
    assert gc.isenabled()
