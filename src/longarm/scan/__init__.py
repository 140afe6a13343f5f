"""Scan large corpora for station claims on Dask, resumably: `longarm scan`.

Modules, in the order data flows:

- ``inputs``: input files, their partitions (byte ranges that begin at a
  record), and the documents read from a partition;
- ``candidates``: a document -> pre-filter -> the extractor of
  `longarm extract` -> a self-describing candidate line;
- ``partition``: one partition start to finish (the task a worker runs);
- ``cluster``: where partitions run (a Dask cluster, or this process);
- ``checkpoint``: the plan, finished partitions and parts on disk; the merge;
- ``scanner``: one scan, from plan to merged output;
- ``command``: the CLI.
"""

from longarm.scan.cluster import InProcess, OnDask, dask_runner
from longarm.scan.scanner import ScanError, ScanSummary, run_scan

__all__ = ["InProcess", "OnDask", "ScanError", "ScanSummary", "dask_runner", "run_scan"]
