"""Workers forked from the server (forked.py): they hold its store, only the descriptor they were given,
and report their exit the way multiprocessing does."""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import threading

import pyoxigraph as ox
import pytest

from culturegraph import forked

pytestmark = pytest.mark.skipif(not forked.available(), reason="forking workers needs Linux")


def _store() -> ox.Store:
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"),
                      ox.Literal("forked"), ox.NamedNode("http://example.org/g")))
    return store


def _answer(fd: int) -> None:
    """In the child: ask the inherited store, write the answer and the child's open descriptors."""
    rows = list(forked.INHERITED.query("SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }"))
    fds = sorted(int(n) for n in os.listdir("/proc/self/fd"))
    os.write(fd, json.dumps([rows[0]["o"].value, fds]).encode())


def test_a_forked_worker_holds_the_store_and_nothing_else_of_the_server() -> None:
    ours, theirs = socket.socketpair()
    listener = socket.create_server(("127.0.0.1", 0))  # stands for the server's listening socket
    r, w = os.pipe()  # stands for a client's connection: the child must not keep its write end open
    try:
        proc = forked.fork_worker(_store(), _answer, theirs.fileno(), theirs.fileno())
        theirs.close()
        os.close(w)
        ours.settimeout(10)
        value, kept = json.loads(ours.recv(4096))
        assert value == "forked"
        assert listener.fileno() not in kept and r not in kept and w not in kept
        assert len([fd for fd in kept if fd > 2]) <= 2  # its socket (and the listing's own descriptor)
        assert select.select([r], [], [], 5)[0] and os.read(r, 1) == b""  # EOF: no one else holds the pipe
        proc.join(10)
        assert proc.exitcode == 0 and not proc.is_alive()
    finally:
        listener.close()
        ours.close()
        os.close(r)


def _hang(fd: int) -> None:
    os.write(fd, b"ready")
    threading.Event().wait()


def test_kill_and_exit_codes_follow_multiprocessing() -> None:
    ours, theirs = socket.socketpair()
    proc = forked.fork_worker(_store(), _hang, theirs.fileno(), theirs.fileno())
    theirs.close()
    ours.settimeout(10)
    assert ours.recv(16) == b"ready" and proc.is_alive()
    proc.kill()
    proc.join(10)
    assert proc.exitcode == -signal.SIGKILL
    proc.kill()  # killing a reaped process is a no-op, never a signal to a reused pid
    ours.close()


def _fail(fd: int) -> None:
    raise RuntimeError("boom")


def test_an_exception_in_the_child_ends_it_with_code_1_and_runs_no_server_code() -> None:
    ours, theirs = socket.socketpair()
    proc = forked.fork_worker(_store(), _fail, theirs.fileno(), theirs.fileno())
    theirs.close()
    proc.join(10)
    assert proc.exitcode == 1
    ours.settimeout(10)
    assert ours.recv(16) == b""  # the child's end closed with it; nothing else came out of the child
    ours.close()
