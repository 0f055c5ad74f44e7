"""Shared fixtures: the real project, a copy of the small fixture project, and CLI runners."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "data"
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository root (real ontology, data and queries)."""
    return ROOT


@pytest.fixture(scope="session")
def cg():
    """The facade over the real dataset, loaded once per session."""
    from culturegraph.api import CultureGraph

    return CultureGraph(ROOT)


def copy_project(dest: Path, data: Path | None = None) -> Path:
    """A project at ``dest`` with the real ontology/queries and ``data`` (default: the mini fixture)."""
    shutil.copytree(ROOT / "ontology", dest / "ontology")
    if (ROOT / "queries").is_dir():
        shutil.copytree(ROOT / "queries", dest / "queries")
    shutil.copytree(data or FIXTURES / "mini" / "data", dest / "data")
    return dest


@pytest.fixture()
def mini(tmp_path: Path) -> Path:
    """A writable copy of the small fixture project."""
    return copy_project(tmp_path / "mini")


@pytest.fixture()
def real_copy(tmp_path: Path) -> Path:
    """A writable copy of the real project (ontology, data, queries)."""
    return copy_project(tmp_path / "real", ROOT / "data")


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None,
            timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the installed ``culturegraph`` console script as a user would."""
    exe = Path(sys.executable).with_name("culturegraph")
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run([str(exe), *args], cwd=cwd, env=full_env, capture_output=True, text=True,
                          timeout=timeout, check=False)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Directory for screenshots and other files a person should look at after a run."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


CHROMIUM = "/usr/bin/chromium"
# Debian's Chromium, headless, with its background services off: this machine's network is closed, and a
# page under test must make no request we did not cause.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run (Playwright driving Debian's /usr/bin/chromium).

    Skipped on a developer machine without Chromium; on CI (``CI`` set) a missing browser is a failure,
    because scripts/test.sh installs it.
    """
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Debian chromium is missing: scripts/test.sh should have installed it")
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def served(proc: subprocess.Popen, probe: str, *, within: float, stop_within: float,
           why: Callable[[], str]) -> Iterator[None]:
    """Wait until ``probe`` answers 200 (failing with ``why()`` when ``proc`` dies or ``within`` seconds
    pass), then hand over; stop ``proc`` after (kill it if it does not stop within ``stop_within``)."""
    import time
    import urllib.request

    try:
        deadline = time.monotonic() + within
        while True:
            try:
                with urllib.request.urlopen(probe, timeout=5) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(why())
            time.sleep(0.1)
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=stop_within)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def oxigraph_server(command: str, location: Path) -> Iterator[str]:
    """A real Oxigraph server (``oxigraph serve`` / ``serve-read-only`` from the ``oxigraph`` pip package) on a
    free loopback port, union default graph like the local engine; yields its base URL, stops it after."""
    exe = Path(sys.executable).with_name("oxigraph")
    if not exe.is_file():
        pytest.fail("the oxigraph server (pip package 'oxigraph', in the test extra) is not installed")
    port = free_port()
    proc = subprocess.Popen([str(exe), command, "--location", str(location), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    with served(proc, url + "/query?query=ASK%7B%7D", within=30, stop_within=10,
                why=lambda: f"oxigraph did not start: {proc.stderr.read() if proc.stderr else ''!r}"):
        yield url


VIRTUOSO_INI = """[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CaseMode = 2
DirsAllowed = .
AllowOSCalls = 0
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
MaxQueryMem = 500M
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {db}
ServerThreads = 4
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


@contextlib.contextmanager
def virtuoso_server(location: Path) -> Iterator[str]:
    """A real Virtuoso 7 (Debian's ``virtuoso-opensource``, which ``scripts/test.sh`` installs) with a new
    database in ``location``, listening on loopback only; its administrator is ``dba:dba`` (a new
    database's default). Yields its base URL (``/sparql``, ``/sparql-auth``, ``/sparql-graph-crud-auth``)."""
    exe = shutil.which("virtuoso-t")
    if exe is None:
        pytest.fail("virtuoso-t is not installed (Debian package virtuoso-opensource; scripts/test.sh installs it)")
    location.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    ini = location / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(db=location, sql_port=sql_port, http_port=http_port), encoding="utf-8")
    proc = subprocess.Popen([exe, "+foreground", "+configfile", str(ini)], cwd=location,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{http_port}"
    log = location / "virtuoso.log"
    with served(proc, url + "/sparql?query=ASK%7B%7D", within=120, stop_within=30,
                why=lambda: "virtuoso did not start: " + (log.read_text()[-2000:] if log.exists() else "")):
        yield url


def synthetic_graph(factory: pytest.TempPathFactory, name: str, *, seed: int, **shape: int):
    """A small synthetic project (``benchmarks/synth.py``) of the given shape, loaded as a CultureGraph."""
    from benchmarks.synth import Shape, generate
    from culturegraph.api import CultureGraph

    project = factory.mktemp(name) / "synth"
    generate(project, shape=Shape(**shape), seed=seed)
    return CultureGraph(project)


@pytest.fixture(params=["real", "synthetic"])
def graph(request: pytest.FixtureRequest, cg, synthetic):
    """The real project, then the test module's own ``synthetic`` fixture (which the module must define)."""
    return cg if request.param == "real" else synthetic
