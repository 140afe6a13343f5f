"""Where partitions run: on a Dask cluster (a LocalCluster by default), or in this process.

The local cluster has one worker process per core, one thread each: the
extractor is pure Python, so threads would share one interpreter lock. Its
scheduler, workers and HTTP routes (the dashboard, when bokeh is installed)
listen on 127.0.0.1 only, on free ports. ``--scheduler`` connects
to an existing cluster instead; its workers must have longarm installed and
see the input files at the same paths (the driver writes all output).
"""

from __future__ import annotations

import logging
import os
import resource
import signal
import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from longarm.scan.inputs import Partition
from longarm.scan.partition import PartitionResult, scan_partition

if TYPE_CHECKING:  # importing distributed takes a second; only a Dask run pays it
    import distributed


class ClusterError(Exception):
    """The cluster cannot be started or reached; the message says which."""


@dataclass
class PartitionFailure:
    index: int
    message: str


Outcome = PartitionResult | PartitionFailure


class Runner(Protocol):
    workers: int

    def run(self, partitions: Sequence[Partition]) -> Iterator[Outcome]:
        """Outcomes as partitions finish, in any order."""
        ...

    def peak_memory(self) -> dict[str, int]:
        """Peak resident memory of each worker, in bytes."""
        ...


def peak_rss() -> int:
    """This process's peak resident memory in bytes: VmHWM, the high-water mark of its own memory.

    Not ``ru_maxrss``: Linux carries that across fork and exec, so a worker
    started by a large process would report its parent's peak, not its own.
    ``ru_maxrss`` (kilobytes) only where there is no /proc (not Linux).
    """
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class InProcess:
    """No Dask: partitions one after another here (for debugging, and the reference in tests)."""

    workers = 1

    def run(self, partitions: Sequence[Partition]) -> Iterator[Outcome]:
        for partition in partitions:
            try:
                yield scan_partition(partition)
            except Exception as exc:  # an unreadable file: reported, the other partitions go on
                yield PartitionFailure(partition.index, f"{type(exc).__name__}: {exc}")

    def peak_memory(self) -> dict[str, int]:
        return {"in-process": peak_rss()}


class OnDask:
    def __init__(self, client: distributed.Client) -> None:
        self.client = client
        self.workers = len(client.scheduler_info()["workers"])

    def run(self, partitions: Sequence[Partition]) -> Iterator[Outcome]:
        from distributed import as_completed

        if not partitions:
            return
        # keys unique to this run: scans sharing a cluster must never share results
        run = uuid.uuid4().hex[:12]
        keys = [f"scan-partition-{p.index}-{run}" for p in partitions]
        futures = self.client.map(scan_partition, partitions, pure=False, key=keys)
        index_of = {future.key: p.index for future, p in zip(futures, partitions, strict=True)}
        for future in as_completed(futures):  # type: ignore[no-untyped-call]
            try:
                yield future.result()
            except Exception as exc:  # a worker lost or a file unreadable there: reported, the rest go on
                yield PartitionFailure(index_of[future.key], f"{type(exc).__name__}: {exc}")
            finally:
                future.release()

    def peak_memory(self) -> dict[str, int]:
        result: dict[str, int] = self.client.run(peak_rss)
        return result


@contextmanager
def _workers_ignore_ctrl_c() -> Iterator[None]:
    """Start processes with SIGINT ignored (they inherit it): Ctrl-C then reaches the driver alone,
    which closes the cluster, instead of every worker printing its own KeyboardInterrupt."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextmanager
def dask_runner(scheduler: str | None = None, workers: int | None = None) -> Iterator[OnDask]:
    """A runner on the cluster at ``scheduler``, or on a new LocalCluster of ``workers`` processes."""
    import distributed

    for name in ("distributed", "tornado", "asyncio"):
        logging.getLogger(name).setLevel(logging.ERROR)  # shutdown chatter is not the user's business
    if scheduler is not None:
        try:
            client = distributed.Client(scheduler, timeout="15s")  # type: ignore[no-untyped-call]
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {scheduler} ({exc})") from exc
        with client:
            yield OnDask(client)
        return
    with _workers_ignore_ctrl_c():
        cluster = distributed.LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers or cores(),
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",  # the scheduler's HTTP routes (a dashboard if bokeh is there): local only
            silence_logs=logging.ERROR,
        )
    with cluster, distributed.Client(cluster) as client:  # type: ignore[no-untyped-call]
        yield OnDask(client)
