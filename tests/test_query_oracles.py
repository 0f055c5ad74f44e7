"""Named queries that read the build-time analytics (graph/derived) answer exactly what their slow,
join-at-query-time forms answer.

``tests/oracles/<name>.rq`` keeps each such query as it was before it was moved onto the derived graph:
a global join over participations, labels or themes. Both run here with the same parameters, on the real
data and on a synthetic project dense enough that organisations share events, people recur, themes nest
and nationalities repeat. Where the two differ on purpose, the difference is written down below.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarks.synth import hub_entity
from culturegraph.api import CultureGraph
from culturegraph.queries import load_queries, parse_query

from .conftest import synthetic_graph

ORACLES = Path(__file__).parent / "oracles"
NAMES = sorted(p.stem for p in ORACLES.glob("*.rq"))

# extra parameter values per query, on top of the declared defaults
EXTRA: dict[str, list[dict[str, object]]] = {
    "recurring-people": [{"min": 1}, {"min": 3}],
    "recurring-organisations": [{"min": 1}, {"min": 3}],
    "organisation-network": [{"min": 1}, {"min": 3}],
    "edition-participants": [{"year": 2019}, {"year": 2021}, {"year": 2023}],
    "search": [{"q": "a"}, {"q": "문화"}, {"q": "Synthetic Organisation 0000"}, {"q": "KOFICE"},
               {"q": "zzz-no-such-name"}],
}


# the synthetic projects have no programmes and flag nothing low-confidence: compared on the real data only
NOT_IN_SYNTHETIC = {"low-confidence", "programme-membership"}

# GROUP_CONCAT gives its values in no defined order; the derived key lists are sorted


def _sorted_words(*columns: int) -> Callable[[tuple[str, ...]], tuple[str, ...]]:
    return lambda row: tuple(" ".join(sorted(v.split())) if i in columns else v for i, v in enumerate(row))


NORMALISE = {"recurring-people": _sorted_words(5), "conflicts": _sorted_words(2, 7),
             "session-order-conflicts": _sorted_words(5)}


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> CultureGraph:
    """Denser than the real data: organisations share events, people recur, themes nest."""
    return synthetic_graph(tmp_path_factory, "oracles", seed=11, editions=7, sessions_per_edition=10,
                           people_per_session=4, people=40, organisations=15, sources=6, themes=10, cities=3)


def _rows(graph: CultureGraph, text: str, name: str, params: dict[str, object]) -> Counter[tuple[str, ...]]:
    from culturegraph.queries import run_local

    query = parse_query(text, name=name, file=name)
    res = run_local(graph, query, params, limit=10**7)
    norm = NORMALISE.get(name, lambda row: row)
    return Counter(norm(tuple("" if v is None else str(v) for v in row)) for row in res.rows)


def _param_sets(graph: CultureGraph, name: str) -> list[dict[str, object]]:
    sets: list[dict[str, object]] = [{}]
    query = load_queries(graph.queries_dir)[name]
    synthetic = (graph.root / "data" / "editions" / "00001.yaml").is_file()
    if synthetic:
        for p in query.params:  # anchor on a well-connected synthetic record, as the benchmarks do
            if p.type == "iri" and p.default and ":" in p.default:
                kind = p.default.split(":", 1)[0]
                sets = [{p.name: f"{kind}:{hub_entity(kind)}"}]
    if name == "co-participants":
        ids = ["kofice", "mcst", "asean", "acc"] if not synthetic else [
            f"synth-org-{n:05d}" for n in (1, 2, 3, 7)]
        sets += [{"organisation": f"organisation:{i}"} for i in ids]
    if query.param("year") is not None:  # every year the data has an edition in
        years = graph.query("SELECT DISTINCT (YEAR(?s) AS ?y) WHERE { ?e a cg:ForumEvent ; schema:startDate ?s }")
        sets += [{"year": int(str(y))} for (y,) in years.rows]
    if query.param("lang") is not None:  # labels through the display graphs: languages the data has, and not
        sets += [{**sets[0], "lang": lang} for lang in ("ko", "id", "ja", "fr", "ko-kp")]
    return sets + EXTRA.get(name, [])


@pytest.mark.parametrize("name", NAMES)
def test_named_query_matches_its_join_form(graph: CultureGraph, name: str) -> None:
    fast_text = (graph.queries_dir / f"{name}.rq").read_text(encoding="utf-8")
    slow_text = (ORACLES / f"{name}.rq").read_text(encoding="utf-8")
    assert fast_text != slow_text, "the oracle is the old form, not a copy"
    compared = 0
    for params in _param_sets(graph, name):
        try:
            fast = _rows(graph, fast_text, name, params)
        except Exception as exc:  # an id the data does not have: both must refuse it alike
            with pytest.raises(type(exc)):
                _rows(graph, slow_text, name, params)
            continue
        slow = _rows(graph, slow_text, name, params)
        assert fast == slow, f"{name} {params}: only fast {list(fast - slow)[:3]}, only slow {list(slow - fast)[:3]}"
        compared += sum(fast.values())
    if not compared and name in NOT_IN_SYNTHETIC and graph is not None and graph.root.name == "synth":
        pytest.skip(f"{name}: nothing of the kind in the synthetic project")
    assert compared, f"{name}: no parameter set gave any row to compare"


RANKED = {"recurring-people": "person", "recurring-organisations": "organisation"}


@pytest.mark.parametrize("name", sorted(RANKED))
def test_rank_order_is_the_four_key_order(graph: CultureGraph, name: str) -> None:
    """``ORDER BY ?rank`` (the derived cg:recurrenceRank) gives the rows in the order the four keys it
    replaces give, on the same rows."""
    agent = RANKED[name]
    text = (graph.queries_dir / f"{name}.rq").read_text(encoding="utf-8")
    keyed = text.replace("ORDER BY ?rank", f"ORDER BY DESC(?editions) ?first ?last ?{agent}")
    assert keyed != text
    for params in ({"min": 1}, {}):
        ranked = run_rows(graph, text, name, params)
        assert ranked == run_rows(graph, keyed, name, params)
        if params:  # everyone: enough rows, and ties on the count, for the order to say something
            assert len(ranked) > 3, f"{name}: too few rows to say anything about the order"


def run_rows(graph: CultureGraph, text: str, name: str, params: dict[str, object]) -> list[tuple[str, ...]]:
    from culturegraph.queries import run_local

    res = run_local(graph, parse_query(text, name=name, file=name), params, limit=10**7)
    return [tuple("" if v is None else str(v) for v in row) for row in res.rows]


@pytest.mark.parametrize("store", ["oxigraph", "memory"])
def test_recurrence_key_sorts_as_sparql(store: str) -> None:
    """The build-time key puts unknown years first and compares IRIs by text, as both engines'
    ``ORDER BY DESC(?n) ?first ?last ?agent`` do — including agents with no years at all."""
    import rdflib

    from culturegraph.derived_summaries import _recurrence_key

    cases = [("b", 2, 2020, 2021), ("a", 2, 2020, 2021), ("c", 2, None, None), ("d", 3, 2022, 2022),
             ("e", 2, 2019, 2024), ("f", 1, None, None), ("g", 2, 2019, 2020), ("é", 2, 2019, 2020),
             ("Z", 2, 2019, 2020), ("h", 10, 2020, 2020)]
    ex = "http://example.org/"
    turtle = "".join(
        f"<{ex}{a}> <{ex}n> {n}" + (f" ; <{ex}first> {f} ; <{ex}last> {la}" if f is not None else "") + " .\n"
        for a, n, f, la in cases)
    query = (f"SELECT ?a WHERE {{ ?a <{ex}n> ?n OPTIONAL {{ ?a <{ex}first> ?first }} "
             f"OPTIONAL {{ ?a <{ex}last> ?last }} }} ORDER BY DESC(?n) ?first ?last ?a")
    if store == "oxigraph":
        import pyoxigraph as ox

        st = ox.Store()
        st.load(turtle.encode(), format=ox.RdfFormat.TURTLE)
        got = [s["a"].value for s in st.query(query)]
    else:
        got = [str(r[0]) for r in rdflib.Graph().parse(data=turtle, format="turtle").query(query)]
    want = [ex + a for a, *rest in sorted(cases, key=lambda c: _recurrence_key(ex + c[0], *c[1:]))]
    assert got == want
