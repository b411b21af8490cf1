"""Where runs execute: in this process, on local cores, or on a Dask cluster.

Each backend takes tasks and yields results as they finish, in any order; the store writes each
one as it arrives and consolidation puts them back in run-table order. A run's result depends only
on its task (scenario, overrides, seed), so every backend gives the same tables.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any

from experiments.design import Task
from experiments.worker import execute


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def serial(tasks: Sequence[Task]) -> Iterator[dict[str, Any]]:
    for task in tasks:
        yield execute(task)


def processes(tasks: Sequence[Task], workers: int) -> Iterator[dict[str, Any]]:
    """A pool of worker processes ("spawn": no state inherited from the parent, as on a cluster).

    At most 2 x workers tasks are in flight, so a long experiment does not pickle its whole run
    table up front and a kill loses at most the runs in flight.
    """
    ctx = multiprocessing.get_context("spawn")
    pending = iter(tasks)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx)
    finished_all = False
    try:
        running = set()
        for task in pending:
            running.add(pool.submit(execute, task))
            if len(running) >= 2 * workers:
                break
        while running:
            finished, running = wait(running, return_when=FIRST_COMPLETED)
            for fut in finished:
                yield fut.result()
                nxt = next(pending, None)
                if nxt is not None:
                    running.add(pool.submit(execute, nxt))
        finished_all = True
    finally:
        if finished_all:
            pool.shutdown(wait=True)
        else:  # the caller stopped (a write failed, Ctrl+C): do not finish runs nobody will store
            _abandon(pool)


def _abandon(pool: ProcessPoolExecutor) -> None:
    procs = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in procs:
        if proc.is_alive():
            proc.terminate()
    for proc in procs:
        proc.join(timeout=10)


def dask(tasks: Sequence[Task], scheduler: Any) -> Iterator[dict[str, Any]]:
    """Run on a dask.distributed cluster: `scheduler` is an address ("tcp://host:8786") or a Client."""
    from distributed import Client, as_completed

    client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
    futures = []
    try:
        futures = client.map(execute, list(tasks), pure=False)
        for fut in as_completed(futures):
            yield fut.result()
            fut.release()
    finally:
        unfinished = [f for f in futures if not f.done()]
        if unfinished:  # the caller stopped early: free the cluster
            client.cancel(unfinished)
        if client is not scheduler:
            client.close()
