"""One partition, start to finish, on whichever worker runs it: documents in, candidate lines out.

``scan_partition`` is the task Dask ships to workers (by reference: workers
import longarm). It returns the candidate lines rather than writing them, so
the driver alone writes output and workers need no shared folder to write
to; candidates are a small fraction of documents.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from longarm.extract import NotText
from longarm.scan.candidates import candidate_record, extract_candidate
from longarm.scan.inputs import Document, Partition, Problem, ReadCounts, read_partition


@dataclass
class PartitionStats:
    documents: int = 0
    prefilter_passed: int = 0  # documents the pre-filter sent on to the extractor
    candidates: int = 0
    not_text: int = 0
    records_ignored: int = 0
    input_bytes: int = 0
    decompressed_bytes: int = 0
    seconds: float = 0.0

    def add(self, other: PartitionStats) -> None:
        for name, value in asdict(other).items():
            setattr(self, name, getattr(self, name) + value)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PartitionStats:
        return cls(**data)


@dataclass
class PartitionResult:
    index: int
    lines: list[str] = field(default_factory=list)  # candidate JSON lines, in document order
    stats: PartitionStats = field(default_factory=PartitionStats)
    problems: list[Problem] = field(default_factory=list)


def scan_partition(partition: Partition) -> PartitionResult:
    started = time.perf_counter()
    result = PartitionResult(partition.index)
    stats = result.stats
    counts = ReadCounts()
    for item in read_partition(partition, counts):
        if isinstance(item, Problem):
            result.problems.append(item)
            continue
        stats.documents += 1
        line = _candidate_line(item, result)
        if line is not None:
            result.lines.append(line)
            stats.candidates += 1
    stats.records_ignored = counts.records_ignored
    stats.input_bytes = partition.size
    stats.decompressed_bytes = counts.decompressed_bytes or partition.size
    stats.seconds = time.perf_counter() - started
    return result


def _candidate_line(document: Document, result: PartitionResult) -> str | None:
    try:
        extraction, passed = extract_candidate(document)
    except NotText:
        result.stats.not_text += 1
        return None
    except Exception as exc:  # one odd document must not end a scan of millions: report where it is
        where = document.input
        result.problems.append(
            Problem(where["file"], where.get("offset", 0), f"extractor failed ({type(exc).__name__}: {exc}), skipped")
        )
        return None
    result.stats.prefilter_passed += passed
    if extraction is None or not extraction.claims:
        return None
    return json.dumps(candidate_record(document, extraction), ensure_ascii=False)
