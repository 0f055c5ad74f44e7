"""Helpers for the server tests: start ``culturegraph serve`` on a free loopback port, make projects."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.conftest import FIXTURES, ROOT, copy_project

XSS_LABEL = "<script>alert(1)</script>"


def xss_project(dest: Path) -> Path:
    """The mini fixture project plus one clearly synthetic person whose labels are HTML/JS payloads."""
    root = copy_project(dest, FIXTURES / "mini" / "data")
    people = root / "data" / "people.yaml"
    text = people.read_text(encoding="utf-8")
    addition = (
        "  - id: synthetic-xss-person\n"
        f"    name: {{en: \"{XSS_LABEL}\", ko: \"<img src=x onerror=alert(2)>\"}}\n"
        "    description: {en: \"synthetic test fixture: a label that must be shown as text\"}\n"
        "    sources: [cityweekly-2025-11-08]\n"
    )
    people.write_text(text.replace("people:\n", "people:\n" + addition, 1), encoding="utf-8")
    return root


class Server:
    """A ``culturegraph serve`` subprocess on 127.0.0.1 and a free port."""

    def __init__(self, root: Path, *args: str, env: dict[str, str] | None = None):
        exe = Path(sys.executable).with_name("culturegraph")
        full_env = dict(os.environ)
        full_env.update(env or {})
        self.proc = subprocess.Popen(
            [str(exe), "serve", "--root", str(root), "--host", "127.0.0.1", "--port", "0", *args],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=full_env,
            start_new_session=True)
        self.output: list[str] = []
        deadline = time.monotonic() + 120
        self.url = ""
        assert self.proc.stdout is not None
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            self.output.append(line)
            m = re.search(r"serving (http://127\.0\.0\.1:\d+)/", line)
            if m:
                self.url = m.group(1)
                break
        if not self.url:
            self.stop()
            raise RuntimeError("server did not start:\n" + "".join(self.output))
        threading.Thread(target=self._drain, daemon=True).start()
        self._wait_ready()

    def _drain(self) -> None:
        """Keep reading the server's output so a full pipe never blocks it."""
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.output.append(line)

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/sparql?query=ASK%7B%7D", timeout=5) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("server did not answer")

    def stop(self) -> None:
        """Stop the server and its worker processes (its own process group)."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)


class Listener:
    """A loopback TCP listener that counts the connections it accepts, then closes each at once.

    The count goes up before the connection is closed, so once a client has seen its connection end,
    ``accepted`` already includes it: a query that tried to connect is counted by the time it returns.
    """

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.accepted = 0
        self._stop = False
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.accepted += 1
            conn.close()

    def close(self) -> None:
        self._stop = True
        self.thread.join(2)
        self.sock.close()


def children(pid: int) -> list[int]:
    """Process ids of the direct children of ``pid`` (Linux ``/proc``)."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                stat = fh.read()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            out.append(int(entry))
    return sorted(out)


def query_workers(pid: int) -> list[int]:
    """The query worker processes of the server ``pid``: its descendants named ``cg-query-worker`` (forked
    from the server, or started by a multiprocessing fork server)."""
    from culturegraph.query_run import WORKER_NAME

    out, todo = [], list(children(pid))
    while todo:
        child = todo.pop()
        todo += children(child)
        try:
            with open(f"/proc/{child}/comm", encoding="utf-8") as fh:
                if fh.read().strip() == WORKER_NAME:
                    out.append(child)
        except OSError:
            continue
    return sorted(out)


@contextlib.contextmanager
def mini_server(tmp_path_factory: Any, name: str, *args: str, env: dict[str, str] | None = None) -> Iterator[Server]:
    """``culturegraph serve`` on a fresh copy of the mini fixture project, stopped on exit."""
    root = copy_project(tmp_path_factory.mktemp(name) / "mini", FIXTURES / "mini" / "data")
    srv = Server(root, *args, env=env)
    try:
        yield srv
    finally:
        srv.stop()


@contextlib.contextmanager
def real_server(*args: str) -> Iterator[str]:
    """``culturegraph serve`` on the real project (one query worker unless ``args`` say otherwise); its URL."""
    srv = Server(ROOT, *(args or ("--workers", "1")))
    try:
        yield srv.url
    finally:
        srv.stop()


def uvicorn_thread(app: Any, *, http: Any, lifespan: str = "on", loop: str = "auto",
                   wait: float = 120) -> tuple[Any, threading.Thread, int]:
    """``app`` on a real uvicorn server on a free loopback port, on a thread: (server, thread, port); stop it
    with ``server.should_exit = True`` and join the thread."""
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    config = uvicorn.Config(app, log_level="warning", lifespan=lifespan, loop=loop, http=http)
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + wait
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert srv.started, "uvicorn did not start"
    return srv, thread, sock.getsockname()[1]
