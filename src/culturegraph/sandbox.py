"""What a query worker process may not do: reach the network, grow past its memory budget, overflow
its stack. Each is a capability removed by the operating system, not a pattern recognised in the query.

- **No network.** :func:`isolate_network` moves the calling process into a new user and network namespace
  (Linux): the namespace has only a loopback interface, and it is down, so every ``connect`` fails with
  "Network is unreachable" — a ``SERVICE`` clause that got past the guard reaches nothing, not even
  ``127.0.0.1``. Python 3.12 has ``os.unshare``; before that the libc call is made through ctypes (no
  library wraps it). Where the kernel refuses (another OS, user namespaces switched off, a seccomp
  policy), the function says why and the server reports it once at start-up.
- **Bounded memory.** :func:`limit_memory` sets ``RLIMIT_DATA`` (heap and private anonymous mappings,
  enforced by Linux since 4.7) to what the process uses now plus a budget: a query that needs more gets a
  failed allocation — Oxigraph aborts, Python raises ``MemoryError`` — and the pool reports it and
  replaces the worker.
- **A deep stack.** Oxigraph parses and plans recursively; :func:`run_with_stack` runs the worker's loop
  on a thread with a large stack, so queries within the guard's shape limits stay far from its end.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import sys
import threading
from collections.abc import Callable
from typing import Any

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
#: the stack of the thread that runs queries in a worker (reserved, touched only as deep as a query goes)
WORKER_STACK = 64 * 1024 * 1024


def isolate_network() -> str | None:
    """Leave the network: None when done, else why it could not be (the process is unchanged then).

    Must be called while the process has one thread (the kernel refuses a new user namespace otherwise).
    """
    if not sys.platform.startswith("linux"):
        return f"network namespaces are a Linux feature (this is {sys.platform})"
    uid, gid = os.getuid(), os.getgid()
    unshare: Callable[[int], Any] | None = getattr(os, "unshare", None)
    try:
        if unshare is not None:
            unshare(CLONE_NEWUSER | CLONE_NEWNET)
        else:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
            if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0:
                code = ctypes.get_errno()
                raise OSError(code, os.strerror(code))
    except OSError as exc:
        hint = " (user namespaces are switched off or forbidden here)" if exc.errno in (errno.EPERM, errno.EINVAL,
                                                                                          errno.ENOSPC) else ""
        return f"the kernel refused a new network namespace: {exc.strerror}{hint}"
    # keep the same user and group ids inside, so files read as before (best effort: unmapped ids read
    # as "nobody" but access checks still use the real ones)
    for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
        try:
            with open(f"/proc/self/{name}", "w") as fh:
                fh.write(text)
        except OSError:
            pass
    return None


def data_bytes() -> int | None:
    """The process's data segment now (``VmData`` in ``/proc/self/status``), or None where unknown."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def limit_memory(budget: int) -> str | None:
    """Let the process's data segment grow by at most ``budget`` bytes from now on: None when set, else
    why not."""
    try:
        import resource
    except ImportError:
        return "resource limits are not available on this system"
    base = data_bytes()
    if base is None:
        return "the data segment cannot be measured on this system (no /proc/self/status)"
    try:
        _soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
        limit = base + budget
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))
    except (OSError, ValueError) as exc:
        return f"the memory limit could not be set: {exc}"
    return None


def run_with_stack(target: Callable[[], None], size: int = WORKER_STACK) -> None:
    """Run ``target`` on a new thread with a stack of ``size`` bytes and wait for it."""
    old = threading.stack_size()
    try:
        threading.stack_size(size)
        thread = threading.Thread(target=target, name="culturegraph-query", daemon=True)
        thread.start()
    finally:
        threading.stack_size(old)
    thread.join()
