"""`longarm extract`: station claims in a text file, an HTML page, stdin, or a JSONL corpus."""

from __future__ import annotations

import datetime
import json
import re
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import IO, Any

import click
from rich.console import Console

from longarm.catalog.known import StationIndex, mark
from longarm.cli.support import Context, console, emit_json, fail, json_option, pass_context
from longarm.extract import ENGINE, Extraction, NotText, extract_bytes, extract_document
from longarm.extract.jsonl import JsonlError, iter_jsonl


@click.command("extract")
@click.argument("source", required=False)
@click.option(
    "--jsonl",
    "jsonl_source",
    metavar="FILE",
    help='A corpus, one JSON object a line: {"id", "text", optional "date" or "pub_date", "url"}; - for stdin. '
    "Output is one JSON line per input line, --json or not.",
)
@click.option(
    "--pub-date",
    metavar="YYYY-MM-DD",
    help="Publication date, to resolve 今年2月 and 'this year'; with --jsonl, for lines that give none.",
)
@click.option(
    "--mark-known",
    is_flag=True,
    help="Mark each (jurisdiction, country, city) known or new against the database (implied by --db).",
)
@click.option(
    "--keep-look-alikes",
    is_flag=True,
    help="Keep the claims of a document the look-alike model reads as a look-alike of station text "
    "(a joint patrol, a visa centre); by default they are set aside and the output says so.",
)
@json_option
@pass_context
def extract_command(
    ctx: Context,
    source: str | None,
    jsonl_source: str | None,
    pub_date: str | None,
    mark_known: bool,
    keep_look_alikes: bool,
    as_json: bool,
) -> None:
    """Find station claims in Chinese or English text: hosts, jurisdictions, counts, dates.

    SOURCE is a text file or saved web page in any common encoding (UTF-8,
    GBK/GB18030, Big5 ...), or - for stdin. Each claim comes with its sentence
    and character spans into the text. With --jsonl, every input line gives
    one output line carrying the same id (always JSON).

    \b
    Example:
      longarm extract article.html
      longarm extract --json --pub-date 2021-02-09 report.txt
      longarm extract --jsonl corpus.jsonl > claims.jsonl
      longarm extract --keep-look-alikes patrol-story.txt
    """
    if (source is None) == (jsonl_source is None):
        fail("give one input: a FILE, - for stdin, or --jsonl FILE")
    if pub_date is not None:
        _check_pub_date(pub_date)
    index = StationIndex(ctx.store()) if (mark_known or ctx.db_given) else None
    if jsonl_source is not None:
        _run_jsonl(jsonl_source, pub_date, index, keep_look_alikes)
        return
    assert source is not None
    result = _extract_file(source, pub_date, keep_look_alikes)
    data = _result_dict(result, index)
    if as_json:
        emit_json({"source": source, **data})
    else:
        _print_result(console, source, data)


def _check_pub_date(value: str) -> None:
    """A publication date is YYYY-MM-DD (or YYYY-MM, or YYYY) and a real one: 2021-13-45 is not silently used."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value)
    try:
        if match is None:
            raise ValueError
        datetime.date(int(match.group(1)), int(match.group(2) or 1), int(match.group(3) or 1))
    except ValueError:
        fail(f"--pub-date {value!r}: not a date; give YYYY-MM-DD (or YYYY-MM, YYYY)")


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


def _extract_file(name: str, pub_date: str | None, lookalikes: bool) -> Extraction:
    stream = _open_binary(name)
    try:
        return extract_bytes(stream, pub_date, lookalikes=lookalikes)
    except NotText as exc:
        fail(f"{name}: {exc}")
    except OSError as exc:
        fail(f"{name}: cannot read ({exc.strerror or exc})")
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def _result_dict(result: Extraction, index: StationIndex | None) -> dict[str, Any]:
    # which extractor made the claims: the review queue records it as the statements' origin
    data = {**result.as_dict(), "engine": ENGINE}
    if index is not None:
        data["stations"] = mark(result.stations(), index)
    return data


def _run_jsonl(name: str, pub_date: str | None, index: StationIndex | None, lookalikes: bool) -> None:
    stream = _open_binary(name)
    progress_console = Console(stderr=True)
    spinner = progress_console.status("extracting...", spinner="dots") if progress_console.is_terminal else None
    try:
        with spinner or nullcontext():
            for item in iter_jsonl(stream, default_date=pub_date):
                if isinstance(item, JsonlError):
                    row: dict[str, Any] = {"id": item.id, "line": item.line, "error": item.message}
                else:
                    row = {"id": item.id}
                    if item.url:
                        row["url"] = item.url
                    row.update(_result_dict(extract_document(item.text, item.date, lookalikes=lookalikes), index))
                click.echo(json.dumps(row, ensure_ascii=False))
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def _print_result(out: Console, source: str, data: dict[str, Any]) -> None:
    summary = data["summary"]
    set_aside = data.get("set_aside")
    if set_aside:
        out.print(
            f"{source}: no station claims kept: {len(set_aside['sentences'])} sentence(s) read as a look-alike of "
            f"station text (probability {set_aside['probability']}, above {set_aside['threshold']}); "
            "--keep-look-alikes keeps them"
        )
        return
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
