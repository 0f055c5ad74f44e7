"""`path` explains (issue 28): countries, cities and themes do not carry a chain unless asked."""

from __future__ import annotations

from culturegraph.netanalysis import HUBS
from culturegraph.netindex import get_index


def _through(cg, steps) -> set[str]:
    idx = get_index(cg)
    by_label = {idx.label(i, "en"): t for i, t in idx.types.items()}
    middle = [s.object for s in steps[:-1]] + [s.subject for s in steps[1:]]
    return {by_label.get(x, "?") for x in middle}


def test_the_readme_example_goes_through_what_they_did_not_their_nationality(cg) -> None:
    steps = cg.path("lee-kyogu", "asean-foundation")
    assert steps and not _through(cg, steps) & HUBS
    assert all(s.sources for s in steps)  # every step says where it is stated
    relations = {s.relation for s in steps}
    assert "nationality" not in relations and "participating country" not in relations


def test_hubs_carry_a_chain_when_asked_and_may_be_an_end(cg) -> None:
    free = cg.path("lee-kyogu", "asean-foundation", through_hubs=True)
    assert len(free) <= len(cg.path("lee-kyogu", "asean-foundation"))
    to_country = cg.path("kofice", "sg")  # a hub at either end is fine
    assert to_country and "Singapore" in (to_country[-1].subject, to_country[-1].object)


def test_cli_flag(root) -> None:
    from .conftest import run_cli

    plain = run_cli("path", "lee-kyogu", "asean-foundation", cwd=root)
    hubs = run_cli("path", "lee-kyogu", "asean-foundation", "--through-hubs", cwd=root)
    assert plain.returncode == hubs.returncode == 0
    assert "nationality" not in plain.stdout
