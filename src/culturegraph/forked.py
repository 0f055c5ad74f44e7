"""Query workers forked from the server so that they share its loaded store instead of each loading a copy.

A worker started by ``forkserver`` loads the data itself: at 1M triples ~860 MB and ~5 s per worker, so
the server with two workers held ~3 GB. A worker forked from the server after the store is loaded starts
with the server's pages, shared copy-on-write; only the pages it writes become its own (measured at 1M:
~420 MB each after every named query, ``benchmarks/README.md``), and it starts in milliseconds.

Forking a process with threads is safe here only because of what the child does and does not touch:

- the fork is made holding the GIL, and CPython resets its own locks in the child; the C allocator
  (glibc) does the same through its fork handlers;
- the child touches only the store, read-only: Oxigraph takes read locks, which other threads' read locks
  copied mid-query cannot block (no thread ever writes to this store);
- the child closes every file descriptor it did not bring (the listening socket, clients' connections,
  the event loop's), restores the default signal handlers, and leaves by ``os._exit`` so that none of the
  server's exit handlers (temporary folders, the event loop) run in it;
- :func:`gc.freeze` is called before the first fork, so the cyclic collector in a child never walks (and
  so never writes to) the objects it inherited.

Where ``os.fork`` is missing (not Linux), the pool starts workers with ``forkserver``/``spawn`` as before.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
import time
from collections.abc import Callable
from typing import Any

#: the store a forked worker inherited (set in the child only)
INHERITED: Any = None
_frozen = False


def available() -> bool:
    """Whether workers can be forked from this process (Linux, with ``/proc`` to list open descriptors)."""
    return hasattr(os, "fork") and sys.platform.startswith("linux") and os.path.isdir("/proc/self/fd")


class ForkedProcess:
    """The part of :class:`multiprocessing.Process` the worker pool uses, for a child made by ``os.fork``.

    ``exitcode`` follows multiprocessing: ``-N`` when signal N ended the process.
    """

    def __init__(self, pid: int):
        self.pid = pid
        self.exitcode: int | None = None

    def _reap(self, block: bool) -> None:
        if self.exitcode is not None:
            return
        try:
            pid, status = os.waitpid(self.pid, 0 if block else os.WNOHANG)
        except ChildProcessError:  # reaped elsewhere: it is gone, its status unknown
            self.exitcode = 1
            return
        if pid:
            self.exitcode = os.waitstatus_to_exitcode(status)

    def is_alive(self) -> bool:
        self._reap(block=False)
        return self.exitcode is None

    def join(self, timeout: float | None = None) -> None:
        """Wait for the process to end (at most ``timeout`` seconds) and reap it."""
        if timeout is None:
            self._reap(block=True)
            return
        deadline = time.monotonic() + timeout
        while self.is_alive() and time.monotonic() < deadline:
            time.sleep(0.005)

    def kill(self) -> None:
        if self.exitcode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)  # not yet reaped: the pid cannot have been reused


def fork_worker(store: Any, target: Callable[..., None], keep_fd: int, *args: Any) -> ForkedProcess:
    """Fork a child that runs ``target(*args)`` holding ``store`` (as :data:`INHERITED`) and only the
    descriptor ``keep_fd`` (besides stdin, stdout and stderr), then exits."""
    global _frozen
    if not _frozen:
        gc.collect()
        gc.freeze()  # the objects so far are never walked by the collector again (in the server either)
        _frozen = True
    pid = os.fork()
    if pid:
        return ForkedProcess(pid)
    code = 0
    try:
        _become_worker(store, keep_fd)
        target(*args)
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _become_worker(store: Any, keep_fd: int) -> None:
    global INHERITED
    INHERITED = store
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGPIPE):
        signal.signal(sig, signal.SIG_DFL if sig != signal.SIGPIPE else signal.SIG_IGN)
    with contextlib.suppress(ValueError):  # not the main thread: no wakeup descriptor was set on this one
        signal.set_wakeup_fd(-1)
    keep = {0, 1, 2, keep_fd}
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd not in keep:
            with contextlib.suppress(OSError):  # the directory's own descriptor, already closed
                os.close(fd)
