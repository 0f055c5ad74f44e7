"""`culturegraph query` and `culturegraph queries`: output formats, languages, files and text, errors,
and the same queries run on a real SPARQL endpoint (Oxigraph's server over the `culturegraph build`
output, on a loopback port)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Variable
from rdflib.query import Result

from culturegraph.cli import cli

from .conftest import ROOT, free_port, oxigraph_server, run_cli
from .test_queries import INJECTION, NAMES, normalise


def invoke(*args: str):
    return CliRunner().invoke(cli, [*args, "--root", str(ROOT)], catch_exceptions=False)


def ok(*args: str) -> str:
    res = invoke(*args)
    assert res.exit_code == 0, res.output
    return res.stdout_bytes.decode("utf-8")  # .stdout would turn CRLF into LF


# ---------------------------------------------------------------------------------------------- listing
def test_queries_lists_name_title_and_parameters(cg) -> None:
    out = ok("queries")
    for q in cg.named_queries():
        line = next(ln for ln in out.splitlines() if ln.startswith(q.name + " "))
        assert q.title in line
        for p in q.params:
            assert f"{p.name}:{p.type}" in line
    meta = json.loads(ok("queries", "--json"))
    assert [m["name"] for m in meta] == NAMES
    assert {"title", "description", "view", "cq", "params"} <= set(meta[0])
    assert all(m["cq"] for m in json.loads(ok("queries", "--json", "--cq")))


# ---------------------------------------------------------------------------------------------- formats
def test_table_shows_labels_instead_of_iris() -> None:
    out = ok("query", "host-cities")
    header = out.splitlines()[0].split()
    assert header == ["edition", "ordinal", "start", "mode", "city", "country"]
    assert "Busan" in out and "Kuala Lumpur" in out
    assert "https://" not in out and "cityLabel" not in out


def test_iri_columns_without_labels_are_prefixed_names() -> None:
    out = ok("query", "sources-of", "-p", "entity=person:lee-kyogu")
    assert "session:forum-2025-keynote" in out


def test_csv_follows_the_sparql_csv_format(cg) -> None:
    res = cg.run_named("host-cities")
    out = ok("query", "host-cities", "--format", "csv")
    assert out.count("\r\n") == len(res.rows) + 1
    table = list(csv.reader(io.StringIO(out, newline="")))
    assert table[0] == res.variables
    assert len(table) == len(res.rows) + 1
    first = dict(zip(table[0], table[1], strict=True))
    assert first["city"] == "https://w3id.org/culturegraph/id/city/busan"
    assert first["cityLabel"] == "Busan" and first["start"] == "2019-11-25" and first["ordinal"] == ""
    parsed = Result.parse(io.StringIO(out), format="csv")
    assert len(parsed.bindings) == len(res.rows)


def test_tsv_follows_the_sparql_tsv_format(cg) -> None:
    res = cg.run_named("host-cities")
    out = ok("query", "host-cities", "-f", "tsv")
    table = list(csv.reader(io.StringIO(out), delimiter="\t", quoting=csv.QUOTE_NONE))
    assert table[0] == ["?" + v for v in res.variables]
    first = dict(zip(table[0], table[1], strict=True))
    assert first["?city"] == "<https://w3id.org/culturegraph/id/city/busan>"
    assert first["?cityLabel"] == '"Busan"@en'
    assert first["?start"] == '"2019-11-25"^^<http://www.w3.org/2001/XMLSchema#date>'
    parsed = Result.parse(io.StringIO(out), format="tsv")
    assert len(parsed.bindings) == len(res.rows)
    assert "https://w3id.org/culturegraph/id/city/busan" in {str(b[Variable("city")]) for b in parsed.bindings}


def test_json_is_sparql_json_results(cg) -> None:
    res = cg.run_named("keynote-speakers")
    doc = json.loads(ok("query", "keynote-speakers", "-f", "json"))
    assert doc["head"]["vars"] == res.variables
    assert len(doc["results"]["bindings"]) == len(res.rows)
    for binding in doc["results"]["bindings"]:
        for term in binding.values():
            assert term["type"] in ("uri", "literal", "bnode") and isinstance(term["value"], str)
    year = doc["results"]["bindings"][0]["year"]
    assert year == {"type": "literal", "value": "2020", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    name = doc["results"]["bindings"][-1]["personLabel"]
    assert name == {"type": "literal", "value": "Kyogu Lee", "xml:lang": "en"}
    parsed = Result.parse(io.StringIO(json.dumps(doc)), format="json")
    assert len(parsed.bindings) == len(res.rows)


def test_markdown_table() -> None:
    out = ok("query", "mou", "-f", "md")
    lines = out.splitlines()
    assert lines[0].startswith("| agreement | date | party |")
    assert set(lines[1]) == {"|", "-"}
    assert len(lines) == 4 and all(ln.startswith("| ") and ln.endswith(" |") for ln in lines[2:])
    assert "ASEAN Foundation" in out


def test_lang_ko_shows_korean_where_it_exists() -> None:
    out = ok("query", "host-cities", "--lang", "ko")
    assert "부산" in out and "싱가포르" in out
    out = ok("query", "sessions-in-order", "--param", "year=2025", "--lang", "ko")
    assert "AI 시대 창조산업의 이동성" in out


def test_row_cap_is_reported_on_stderr() -> None:
    res = invoke("query", "themes-per-year", "--limit", "3", "-f", "csv")
    assert res.exit_code == 0
    assert len(res.stdout.splitlines()) == 4
    assert "cut at 3 rows" in res.stderr


def test_output_is_the_same_whatever_the_hash_seed() -> None:
    outs = [run_cli("query", "conflicts", "-f", "json", env={"PYTHONHASHSEED": seed}, cwd=ROOT).stdout
            for seed in ("1", "2")]
    assert outs[0] and outs[0] == outs[1]


# ---------------------------------------------------------------------------------------------- files, text, params
def test_query_file_with_its_own_header(tmp_path: Path) -> None:
    f = tmp_path / "cities.rq"
    f.write_text("# title: Cities of a country\n# param: country iri country:kr\n"
                 "SELECT ?country ?city WHERE { ?city a cg:City ; schema:containedInPlace ?country }\n"
                 "ORDER BY ?city\n", encoding="utf-8")
    out = ok("query", str(f), "-f", "csv")
    assert "https://w3id.org/culturegraph/id/city/busan" in out and "singapore" not in out
    out = ok("query", str(f), "-p", "country=sg", "-f", "csv")
    assert "city/singapore" in out and "busan" not in out
    # the same query bound by SEP-0007 substitution (# bind: substitute) answers alike
    g = tmp_path / "cities-substituted.rq"
    g.write_text(f.read_text(encoding="utf-8").replace("# param:", "# bind: substitute\n# param:"),
                 encoding="utf-8")
    assert ok("query", str(g), "-p", "country=sg", "-f", "csv") == out
    g.write_text(g.read_text(encoding="utf-8").replace("SELECT ?country ?city", "SELECT ?city"), encoding="utf-8")
    fail = invoke("query", str(g), "-f", "csv")
    assert fail.exit_code == 1 and "put ?country in the SELECT clause" in fail.output


def test_sparql_text_with_parameters() -> None:
    text = "SELECT ?q ?entity WHERE { ?entity rdfs:label ?n FILTER(CONTAINS(STR(?n), ?q)) } ORDER BY ?entity"
    out = ok("query", "--sparql", text, "-p", "q=Busan", "-f", "csv")
    assert "https://w3id.org/culturegraph/id/city/busan" in out
    out = ok("query", "--sparql", text, "-p", f"q={INJECTION}", "-f", "csv")
    assert out == "entity\r\n"
    # a parameter need not be selected: it is bound by a VALUES block, not by substitution
    unselected = text.replace("SELECT ?q ?entity", "SELECT ?entity")
    assert ok("query", "--sparql", unselected, "-p", "q=Busan", "-f", "csv") == ok(
        "query", "--sparql", text, "-p", "q=Busan", "-f", "csv")
    out = ok("query", "--sparql", "ASK { ?e a cg:Edition }")
    assert out == "true\n"


@pytest.mark.parametrize("args, code, message", [
    (("query", "host-citys"), 1, "did you mean 'host-cities'"),
    (("query", "sessions-in-order", "-p", "year=soon"), 1, "'soon' is not a valid integer"),
    (("query", "host-cities", "-p", "colour=red"), 1, "unknown parameter 'colour'"),
    (("query", "host-cities", "--lang", "k o"), 1, "not a valid lang"),
    (("query", "host-cities", "-p", "novalue"), 2, "expected NAME=VALUE"),
    (("query",), 2, "give exactly one of"),
    (("query", "host-cities", "--sparql", "ASK {}"), 2, "give exactly one of"),
    (("query", "--sparql", "SELEKT ?x WHERE {}"), 1, "no SELECT"),
    (("query", "--sparql", "SELECT ?x WHERE { ?x ?p }"), 1, "SPARQL syntax error"),
    (("query", "--sparql", "SELECT ?x WHERE { ?x ?p ?q }", "-p", "z=a"), 1, "?z not in the query"),
    (("query", "nosuch/file.rq"), 1, "no such query file"),
    (("query", "--sparql", "ASK { ?s ?p ?o }", "-f", "csv"), 1, "ASK results have no CSV/TSV form"),
])
def test_errors_are_one_readable_message(args: tuple[str, ...], code: int, message: str) -> None:
    res = invoke(*args)
    assert res.exit_code == code, res.output
    assert message in res.stderr
    assert "Traceback" not in res.stderr and res.stdout == ""


def test_the_installed_command_end_to_end() -> None:
    res = run_cli("query", "sessions-in-order", "--param", "year=2025", "--lang", "ko", cwd=ROOT)
    assert res.returncode == 0, res.stderr
    assert "AI와 문화유산의 미래" in res.stdout
    res = run_cli("query", "no-such-query", cwd=ROOT)
    assert res.returncode == 1 and "no named query 'no-such-query'" in res.stderr


# ---------------------------------------------------------------------------------------------- remote endpoint
@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Oxigraph's read-only SPARQL server over a store loaded from `culturegraph build` output."""
    tmp = tmp_path_factory.mktemp("endpoint")
    built = run_cli("build", "--out", str(tmp / "dist"), "--no-validate", cwd=ROOT)
    assert built.returncode == 0, built.stderr
    exe = Path(sys.executable).with_name("oxigraph")
    subprocess.run([str(exe), "load", "--location", str(tmp / "store"), "--file",
                    str(tmp / "dist" / "culturegraph.nq")], check=True, capture_output=True, timeout=120)
    with oxigraph_server("serve-read-only", tmp / "store") as url:
        yield url + "/query"


@pytest.mark.server
def test_every_named_query_answers_the_same_on_the_endpoint(cg, endpoint: str) -> None:
    from culturegraph.queries import run_remote

    for q in cg.named_queries():
        local, remote = cg.run_named(q), run_remote(endpoint, q)
        assert remote.variables == local.variables, q.name
        assert normalise(remote.rows) == normalise(local.rows), q.name


@pytest.mark.server
@pytest.mark.parametrize("args", [
    ("host-cities",),
    ("sessions-in-order", "-p", "year=2025", "--lang", "ko"),
    ("sources-of", "-p", "entity=person:lee-kyogu"),
    ("search", "-p", "q=ASEAN"),
    ("mou", "--lang", "ko"),
])
def test_cli_endpoint_output_equals_local_output(endpoint: str, args: tuple[str, ...]) -> None:
    for fmt in ("csv", "table"):
        assert ok("query", *args, "-f", fmt, "--endpoint", endpoint) == ok("query", *args, "-f", fmt)


@pytest.mark.server
def test_endpoint_binds_parameters_safely(endpoint: str) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = ok("query", "--sparql", count, "--endpoint", endpoint, "-f", "csv")
    out = ok("query", "search", "-p", f"q={INJECTION}", "--endpoint", endpoint, "-f", "csv")
    assert out == "entity,entityLabel,class,matched\r\n"
    assert ok("query", "--sparql", count, "--endpoint", endpoint, "-f", "csv") == before
    text = "SELECT ?e WHERE { ?e a cg:Edition } ORDER BY ?e"  # project prefixes are sent along
    assert len(ok("query", "--sparql", text, "--endpoint", endpoint, "-f", "csv").splitlines()) == 7


@pytest.mark.server
def test_endpoint_errors_are_one_readable_message(endpoint: str) -> None:
    res = invoke("query", "--sparql", "SELECT ?x WHERE { ?x ?p }", "--endpoint", endpoint)
    assert res.exit_code == 1 and "refused the query" in res.stderr and "Traceback" not in res.stderr
    res = invoke("query", "host-cities", "--endpoint", f"http://127.0.0.1:{free_port()}/query")
    assert res.exit_code == 1 and "cannot reach endpoint" in res.stderr and "Traceback" not in res.stderr


@pytest.mark.parametrize("template", ["ESCAPE", "PREFIX"])
def test_local_queries_get_the_endpoints_guard(template: str) -> None:
    """``culturegraph query`` and ``CultureGraph.query`` run in the user's process, without the workers'
    sandbox: the guard is what refuses SERVICE there, in the spellings that once got past it."""
    from culturegraph.api import CultureGraph
    from culturegraph.errors import QueryRefused
    from tests.server_helpers import Listener

    listener = Listener()
    try:
        queries = {"ESCAPE": f'SELECT * WHERE {{ BIND("a\\u0022" AS ?x) SERVICE <{listener.url}> {{ ?a ?b ?c }} }}',
                   "PREFIX": f"PREFIX : <{listener.url}/> SELECT * WHERE {{ ?s ?p ?o SERVICE:x {{ ?a ?b ?c }} }}"}
        query = queries[template]
        res = run_cli("query", "--sparql", query)
        assert res.returncode != 0 and "SERVICE" in res.stderr and "Traceback" not in res.stderr
        with pytest.raises(QueryRefused):
            CultureGraph().query(query)
        assert listener.accepted == 0
    finally:
        listener.close()


def test_a_local_query_nested_too_deep_is_an_error_not_a_crash() -> None:
    res = run_cli("query", "--sparql", "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }")
    assert res.returncode == 1 and "nested more than 100 levels" in res.stderr, res.stderr[-500:]
