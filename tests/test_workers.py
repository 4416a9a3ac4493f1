"""Work shared among cores by forked processes, with the same results as in one."""

from __future__ import annotations

import os
import threading

import pytest

from planner import workers
from planner.workers import can_fork, cores, fork_map, split


def test_the_results_are_in_order_and_the_same_as_here(forking):
    data = {i: i * i for i in range(40)}  # a closure over local data: inherited, not sent

    def task(part):
        return [data[i] + 1 for i in part], os.getpid()

    parts = split(list(range(40)), 4)
    results = fork_map(task, parts)
    assert [r for values, _ in results for r in values] == [i * i + 1 for i in range(40)]
    assert {pid for _, pid in results} - {os.getpid()}, "nothing ran in another process"


def test_one_process_when_asked(monkeypatch):
    monkeypatch.setenv("PLANNER_PROCESSES", "1")
    assert cores() == 1 and not can_fork()
    assert {pid for pid in fork_map(lambda _: os.getpid(), range(4))} == {os.getpid()}


def test_a_process_with_other_threads_does_not_fork(monkeypatch):
    monkeypatch.delenv("PLANNER_PROCESSES", raising=False)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not can_fork()
        assert fork_map(lambda _: os.getpid(), range(3)) == [os.getpid()] * 3
    finally:
        stop.set()
        thread.join()


def test_an_error_in_a_worker_is_raised_here(forking):
    def task(i):
        if i == 3:
            raise ValueError("item 3")
        return i

    with pytest.raises(ValueError, match="item 3"):
        fork_map(task, range(6))


def test_a_killed_worker_leaves_the_work_to_this_process(forking):
    here = os.getpid()

    def task(i):
        if os.getpid() != here:
            os._exit(1)  # the worker dies: the pool breaks
        return i * 2

    assert fork_map(task, range(5)) == [0, 2, 4, 6, 8]


@pytest.mark.parametrize("n, parts", [(0, 3), (1, 3), (7, 3), (6, 6), (5, 1)])
def test_split_keeps_every_item_in_order(n, parts):
    cut = split(list(range(n)), parts)
    assert [i for part in cut for i in part] == list(range(n))
    assert max(map(len, cut)) - min(map(len, cut)) <= 1
    assert workers.split([], 2) == [[]]
