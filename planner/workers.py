"""Work shared among the machine's cores by forked processes.

A forked process starts as a copy of this one (the food table, the matcher's index, the
portion book are already there), so neither a function nor its data is sent: only the
items and the results are pickled. A cohort's food text is matched, and its amounts read,
this way on every core.

Everything runs in this process instead on a machine with one core, off Linux (macOS
system libraries are not safe to fork), inside a daemonic process (a Dask worker may not
have children), in a process running other Python threads (a lock one of them holds would
stay locked in the copy), or when there are fewer than two items. The results are the same
either way: each item's result depends on that item only.

Examples
--------
>>> fork_map(len, ["a", "bb", "ccc"])
[1, 2, 3]
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterable

_TASK: Callable | None = None  # what the forked processes run, inherited at fork


def cores() -> int:
    """The cores this process may run on, or fewer: the environment variable
    ``PLANNER_PROCESSES`` caps them (``1`` keeps all the work in this process)."""
    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        n = os.cpu_count() or 1
    cap = os.environ.get("PLANNER_PROCESSES", "").strip()
    return max(1, min(n, int(cap))) if cap.isdigit() else n


def can_fork() -> bool:
    """Whether work can be shared with forked processes here (see the module docstring)."""
    return (
        sys.platform.startswith("linux")
        and "fork" in multiprocessing.get_all_start_methods()
        and not multiprocessing.current_process().daemon
        and threading.active_count() == 1
        and cores() > 1
    )


def fork_map(task: Callable, items: Iterable) -> list:
    """``[task(item) for item in items]``, with the items shared among forked processes.

    ``task`` may be any callable (a bound method, a closure): the processes inherit it.
    If a process dies, the items are worked through here instead.
    """
    global _TASK
    items = list(items)
    workers = min(cores(), len(items))
    if workers < 2 or not can_fork():
        return [task(item) for item in items]
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    _TASK = task
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            return list(pool.map(_run, items))
    except BrokenProcessPool:  # a worker was killed (out of memory, a signal)
        return [task(item) for item in items]
    finally:
        _TASK = None


def split(items: list, parts: int) -> list[list]:
    """``items`` cut into ``parts`` runs of nearly equal length, in order.

    Examples
    --------
    >>> split(list(range(5)), 2)
    [[0, 1, 2], [3, 4]]
    """
    parts = max(1, min(parts, len(items)))
    size, extra = divmod(len(items), parts)
    out, start = [], 0
    for i in range(parts):
        end = start + size + (i < extra)
        out.append(items[start:end])
        start = end
    return out


def _run(item):
    return _TASK(item)
