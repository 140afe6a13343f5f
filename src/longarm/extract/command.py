"""`longarm extract`: station claims in a text file, an HTML page, stdin, or a JSONL corpus."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import click
from rich.console import Console

from longarm.cli_support import Context, console, emit_json, fail, json_option, pass_context
from longarm.extract import Extraction, NotText, extract_bytes, extract_document
from longarm.extract.known import StationIndex, mark

JSONL_LINE_LIMIT = 32 * 1024 * 1024


@click.command("extract")
@click.argument("source", required=False)
@click.option(
    "--jsonl",
    "jsonl_source",
    metavar="FILE",
    help='A corpus, one JSON object a line: {"id", "text", optional "pub_date", "lang", "url"}; - for stdin.',
)
@click.option("--pub-date", metavar="YYYY-MM-DD", help="Publication date, to resolve 今年2月 and 'this year'.")
@click.option(
    "--mark-known",
    is_flag=True,
    help="Mark each (jurisdiction, country, city) known or new against the database (implied by --db).",
)
@json_option
@pass_context
def extract_command(
    ctx: Context, source: str | None, jsonl_source: str | None, pub_date: str | None, mark_known: bool, as_json: bool
) -> None:
    """Find station claims in Chinese or English text: hosts, jurisdictions, counts, dates.

    SOURCE is a text file or saved web page in any common encoding (UTF-8,
    GBK/GB18030, Big5 ...), or - for stdin. Each claim comes with its sentence
    and character spans into the text. With --jsonl, every input line gives
    one output line carrying the same id.

    \b
    Example:
      longarm extract article.html
      longarm extract --json --pub-date 2021-02-09 report.txt
      longarm extract --jsonl corpus.jsonl > claims.jsonl
    """
    if (source is None) == (jsonl_source is None):
        fail("give one input: a FILE, - for stdin, or --jsonl FILE")
    index = StationIndex(ctx.store()) if (mark_known or ctx.db_given) else None
    if jsonl_source is not None:
        _run_jsonl(jsonl_source, index)
        return
    assert source is not None
    result = _extract_file(source, pub_date)
    data = _result_dict(result, index)
    if as_json:
        emit_json({"source": source, **data})
    else:
        _print_result(console, source, data)


def _open_binary(name: str) -> IO[bytes]:
    if name == "-":
        return sys.stdin.buffer
    path = Path(name)
    if path.is_dir():
        fail(f"{name}: is a folder, not a file")
    try:
        return path.open("rb")
    except FileNotFoundError:
        fail(f"{name}: no such file")
    except OSError as exc:
        fail(f"{name}: cannot read ({exc.strerror})")


def _extract_file(name: str, pub_date: str | None) -> Extraction:
    stream = _open_binary(name)
    try:
        return extract_bytes(stream, pub_date)
    except NotText as exc:
        fail(f"{name}: {exc}")
    except OSError as exc:
        fail(f"{name}: cannot read ({exc.strerror or exc})")
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def _result_dict(result: Extraction, index: StationIndex | None) -> dict[str, Any]:
    data = result.as_dict()
    if index is not None:
        data["stations"] = mark(result.stations(), index)
    return data


def _lines(stream: IO[bytes]) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) per line; None for a line over JSONL_LINE_LIMIT, which is skipped unread."""
    number = 0
    while True:
        line = stream.readline(JSONL_LINE_LIMIT)
        if not line:
            return
        number += 1
        if len(line) >= JSONL_LINE_LIMIT and not line.endswith(b"\n"):
            while (rest := stream.readline(JSONL_LINE_LIMIT)) and not rest.endswith(b"\n"):
                pass
            yield number, None
            continue
        yield number, line


def _run_jsonl(name: str, index: StationIndex | None) -> None:
    stream = _open_binary(name)
    progress_console = Console(stderr=True)
    try:
        with progress_console.status("extracting...", spinner="dots") if progress_console.is_terminal else _null():
            for number, raw in _lines(stream):
                click.echo(json.dumps(_jsonl_record(number, raw, index), ensure_ascii=False))
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


class _null:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *args: object) -> None:
        return None


def _jsonl_record(number: int, raw: bytes | None, index: StationIndex | None) -> dict[str, Any]:
    if raw is None:
        return {"id": None, "line": number, "error": f"line longer than {JSONL_LINE_LIMIT // 2**20} MiB, skipped"}
    if not raw.strip():
        return {"id": None, "line": number, "error": "empty line"}
    try:
        record = json.loads(raw.decode("utf-8", errors="replace"))
    except json.JSONDecodeError as exc:
        return {"id": None, "line": number, "error": f"not JSON: {exc.msg} at column {exc.colno}"}
    if not isinstance(record, dict):
        return {"id": None, "line": number, "error": "not a JSON object"}
    identifier = record.get("id")
    text = record.get("text")
    if not isinstance(text, str):
        return {"id": identifier, "line": number, "error": 'no "text" string'}
    pub_date = record.get("pub_date")
    result = extract_document(text, str(pub_date) if pub_date else None)
    out: dict[str, Any] = {"id": identifier}
    if record.get("url"):
        out["url"] = record["url"]
    out.update(_result_dict(result, index))
    return out


def _print_result(out: Console, source: str, data: dict[str, Any]) -> None:
    summary = data["summary"]
    if not data["claims"]:
        out.print(f"{source}: no station claims found")
        return
    out.print(f"{source}: {len(data['claims'])} sentence(s) with station claims")
    out.print(f"  countries:     {', '.join(summary['countries']) or '-'}")
    cities = ", ".join(f"{c['name']} ({c['country']})" for c in summary["cities"])
    out.print(f"  cities:        {cities or '-'}")
    jurisdictions = ", ".join(f"{j['name']} ({j['name_zh']})" for j in summary["jurisdictions"])
    out.print(f"  jurisdictions: {jurisdictions or '-'}")
    counts = ", ".join(
        f"{c['value']} {c['what']}" + ("" if c["qualifier"] == "exact" else f" ({c['qualifier']})")
        for c in summary["counts"]
    )
    out.print(f"  counts:        {counts or '-'}")
    out.print(f"  dates:         {', '.join(summary['dates']) or '-'}")
    for row in data.get("stations", []):
        where = f"{row['city']}, {row['country']}" if row["city"] else row["country"]
        out.print(f"  station:       {row['jurisdiction'] or '?'} in {where}: {row['status']}")
    for claim in data["claims"]:
        sentence = " ".join(claim["sentence"].split())
        out.print(f"  [{claim['start']}:{claim['end']}] {sentence[:160]}{'…' if len(sentence) > 160 else ''}")
