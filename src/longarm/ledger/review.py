"""The review ledger: extracted candidates in, reviewed statements and judgements out, all audited.

Candidates enter from a file (`longarm review import FILE`: the output of
`longarm extract --json`, `extract --jsonl`, or `longarm scan` JSONL, whose
lines carry ``id``, ``url`` and ``date`` beside the same fields) or from text
pasted into the queue's form, which the presenter runs through the extractor
first. One candidate is one claim sentence, with the extractor's spans kept
relative to it.

A reviewer then decides, and each decision is one row of ``decision``:

- **accept** (the fields may be edited first): a new station, as statements
  with origin ``extracted:<engine>`` (the engine the candidate file names), the
  sentence as quote, the document as source; the reviewer and time are kept
  with them in ``reviewed_statement``;
- **same** station as X: the candidate's values that agree with X's are
  statements about the candidate's own entity, and a judgement (nomenklatura's
  idea) says that entity is X. The read side resolves the judgement; nothing is
  copied onto X, so reversing the decision undoes it whole;
- **reject**, with an optional reason.

Beside decisions, a reviewer may record that a candidate is **not** station X,
or is **maybe** X (``judge``): judgements that change no statement and that
the queue reads (a station judged "not the same" is no longer suggested).

A decision is checked against the whole dataset (references, required values,
place/precision rules) before it is written. Reversing a decision marks it
reversed, which takes its statements and judgement out of the read side; the
candidate is pending again. Every import, decision, judgement and reversal is a
row of the append-only audit log. Nothing is deleted (see ``reviewdb``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import re
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from longarm.geo.gazetteer import names as gazetteer_names
from longarm.ledger import groups
from longarm.ledger.datafiles import CJK, MAX_QUOTE_CJK, MAX_QUOTE_WORDS
from longarm.ledger.errors import ReviewConflict, ReviewError, ReviewNotFound
from longarm.ledger.integrity import problems_in
from longarm.ledger.reviewdb import AppDB, now_iso
from longarm.ledger.store import Store
from longarm.model import ID_PATTERN, InvalidValue, Statement, kinds, normalise_value
from longarm.model.urls import BadUrl, check_web_url, url_key

# A candidate file that does not say which extractor made it (older output, another tool).
ENGINE_DEFAULT = "unrecorded-engine"
SPAN_FIELDS = ("terms", "jurisdictions", "countries", "cities", "regions", "counts", "dates", "bystanders")
MAX_SENTENCE = 4000
MAX_TEXT = 2_000_000
MAX_FIELD = 500
ACTIONS = ("accept", "reject", "same")
VERDICTS = ("same", "not-same", "unsure")
# The fields a decision form carries; a field the form leaves out keeps the extractor's proposal.
FORM_FIELDS = ("jurisdiction", "country", "place", "locality", "opened", "quote")
# A sentence may name several stations (Rotterdam and Budapest): the form's first station uses the plain
# fields above, each further one the same fields prefixed "s<n>-" and is accepted when "s<n>-include" is sent.
ROW_FIELDS = ("country", "place", "locality", "opened", "station_id")
MAX_STATIONS = 8
# A jurisdiction the dataset lacks, proposed from the gazetteer: "new:" and its Chinese name (福清市).
NEW_JURISDICTION = "new:"
GAZETTEER_LEVEL = {"prefecture": "city", "county": "county", "province": "province"}
# A source the reviewer attaches where the document names none (see ``source_problem``).
SOURCE_FIELDS = ("source_title", "source_url", "source_date", "source_note")


def source_problem(document: Mapping[str, Any]) -> str | None:
    """Why a document cannot be cited as it is, or None: a reviewed statement cites a source with a
    title, a URL or a reviewer's note, and a date."""
    missing = []
    if not (document.get("title") or document.get("url") or document.get("note")):
        missing.append("title, URL or note")
    if not document.get("date"):
        missing.append("date")
    return f"the document has no {' and no '.join(missing)}" if missing else None


# --- reading candidates in ---------------------------------------------------------------------


@dataclass
class ImportResult:
    documents: int = 0
    candidates: int = 0
    duplicates: int = 0
    grouped: int = 0  # new candidates that joined the group of a near-identical one
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def _text(value: Any, limit: int = MAX_FIELD) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text[:limit] or None


def _json(text: str) -> Any:
    """``json.loads``, with what Python itself refuses (nesting past its recursion limit, an integer of
    more than 4,300 digits) a ReviewError like any other malformed JSON."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ReviewError("JSON nested too deeply to read") from None
    except json.JSONDecodeError:
        raise
    except ValueError as exc:  # int_max_str_digits
        raise ReviewError(f"a JSON number too long to read ({str(exc).split(':')[0].lower()})") from None


def _records(data: bytes) -> Iterator[tuple[str, Any]]:
    """(where, record) for a JSON document, a JSON list of them, or JSON lines."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReviewError(f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    try:
        whole = _json(text)
    except json.JSONDecodeError:
        whole = None
    if isinstance(whole, dict):
        yield "document", whole
        return
    if isinstance(whole, list):
        for number, item in enumerate(whole, 1):
            yield f"item {number}", item
        return
    lines = [(number, line) for number, line in enumerate(text.splitlines(), 1) if line.strip()]
    parsed = []
    for number, line in lines:
        try:
            parsed.append((f"line {number}", _json(line)))
        except json.JSONDecodeError as exc:
            parsed.append((f"line {number}", ReviewError(f"not JSON ({exc.msg} at column {exc.colno})")))
        except ReviewError as exc:
            parsed.append((f"line {number}", exc))
    if lines and all(isinstance(record, ReviewError) for _, record in parsed):
        raise ReviewError(f"{_what_file(text, len(lines))}, not `longarm extract --json`/`--jsonl` or `longarm scan` "
                          "output: no line of it is a JSON record")  # fmt: skip
    yield from parsed


def _what_file(text: str, lines: int) -> str:
    head = text.lstrip()[:200].lower()
    if "\x00" in text:
        return "binary data"
    if head.startswith(("<!doctype html", "<html")):
        return f"an HTML page ({lines} lines)"
    if head.startswith("<"):
        return f"XML or HTML ({lines} lines)"
    if head.startswith(("{", "[")):
        return f"malformed JSON ({lines} lines)"
    return f"plain text ({lines} lines)"


def _clean_claim(raw: Any, where: str) -> tuple[str, dict[str, Any]]:
    """The sentence and its spans relative to it; spans that do not fit the sentence are dropped."""
    if not isinstance(raw, dict) or not isinstance(raw.get("sentence"), str) or not raw["sentence"].strip():
        raise ReviewError(f"{where}: a claim needs a 'sentence' string")
    sentence = raw["sentence"][:MAX_SENTENCE]
    start = raw.get("start")
    base = start if isinstance(start, int) else 0
    claim: dict[str, Any] = {}
    for name in SPAN_FIELDS:
        listed = raw.get(name)
        items: list[Any] = listed if isinstance(listed, list) else []
        kept = []
        for item in items[:100]:
            if not isinstance(item, dict):
                continue
            entry = {
                k: v for k, v in item.items() if isinstance(v, str | int | float | bool) and k not in ("start", "end")
            }
            entry = {k: (v[:MAX_FIELD] if isinstance(v, str) else v) for k, v in entry.items()}
            span = _relative_span(sentence, item, base)
            if span is not None:
                entry["start"], entry["end"] = span
            kept.append(entry)
        claim[name] = kept
    return sentence, claim


def _relative_span(sentence: str, item: dict[str, Any], base: int) -> tuple[int, int] | None:
    start, end, text = item.get("start"), item.get("end"), item.get("text")
    if isinstance(start, int) and isinstance(end, int):
        for offset in (base, 0):  # document offsets (extract), or already relative to the sentence
            s, e = start - offset, end - offset
            if 0 <= s < e <= len(sentence) and (not isinstance(text, str) or sentence[s:e] == text):
                return s, e
    if isinstance(text, str) and text:
        found = sentence.find(text)
        if found >= 0:
            return found, found + len(text)
    return None


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def import_candidates(db: AppDB, data: bytes, origin: str, actor: str) -> ImportResult:
    """Add every claim of an extract/scan output file to the queue (the same file twice adds nothing)."""
    result = ImportResult()
    documents: list[tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]] = []
    for where, record in _records(data):
        if isinstance(record, ReviewError):
            result.skipped.append(f"{where}: {record}")
            continue
        if not isinstance(record, dict):
            result.skipped.append(f"{where}: not a JSON object")
            continue
        if record.get("error"):
            result.skipped.append(f"{where}: the extractor reported: {_text(record['error'], 200)}")
            continue
        if not isinstance(record.get("claims"), list):
            result.skipped.append(f"{where}: no 'claims' list (is this `longarm extract --json` output?)")
            continue
        key = _text(record.get("id")) or _text(record.get("url")) or _text(record.get("source")) or where
        document = {
            "id": f"doc-{_hash(origin, key)}",
            "origin": f"import:{origin}"[:MAX_FIELD],
            "external_id": _text(record.get("id")),
            "url": _text(record.get("url"), 2000),
            "title": _text(record.get("title")),
            "publisher": _text(record.get("publisher")),
            "date": _text(record.get("date") or record.get("pub_date"), 40),
            "lang": _text(record.get("lang"), 12),
            "text": None,
            "engine": _text(record.get("engine"), 80) or ENGINE_DEFAULT,
        }
        problem = source_problem(document)
        if problem:
            result.warnings.append(f"{where}: {problem}; attach a source on the candidate page before accepting")
        claims = []
        for number, raw in enumerate(record["claims"], 1):
            try:
                claims.append(_clean_claim(raw, f"{where}, claim {number}"))
            except ReviewError as exc:
                result.skipped.append(str(exc))
        documents.append((document, claims))
    if not documents and not result.skipped:
        raise ReviewError("no documents in this file")
    _add(db, documents, actor, result)
    return result


# What reads pasted text for claims: (text, publication date) -> (engine, claims as `extract --json` gives them).
# The presenter passes the extractor in, so that the ledger never imports a feeder.
Extractor = Callable[[str, str | None], tuple[str, list[dict[str, Any]]]]


def add_pasted(
    db: AppDB, text: str, actor: str, extractor: Extractor, url: str | None = None, title: str | None = None,
    publisher: str | None = None, date: str | None = None,
) -> ImportResult:  # fmt: skip
    """Run the extractor on pasted text and queue what it finds."""
    text = text.replace("\r\n", "\n")
    if not text.strip():
        raise ReviewError("the text is empty")
    if len(text) > MAX_TEXT:
        raise ReviewError(f"the text is longer than {MAX_TEXT:,} characters")
    if url:
        try:
            url = check_web_url(url)
        except BadUrl as exc:
            raise ReviewError(f"url: {exc}") from None
    if date:
        try:
            normalise_value(kinds()["source"].properties["date"], date)
        except InvalidValue as exc:
            raise ReviewError(f"date: {exc}") from None
    engine, found = extractor(text, date)
    document = {
        "id": f"doc-{_hash('paste', url or '', text)}",
        "origin": "paste",
        "external_id": None,
        "url": url,
        "title": _text(title),
        "publisher": _text(publisher),
        "date": _text(date, 40),
        "lang": "zh" if CJK.search(text) else "en",
        "text": text,
        "engine": engine,
    }
    claims = [_clean_claim(c, f"claim {n}") for n, c in enumerate(found, 1)]
    result = ImportResult()
    problem = source_problem(document)
    if problem:
        result.warnings.append(f"{problem}; attach a source on the candidate page before accepting")
    _add(db, [(document, claims)], actor, result)
    return result


def _add(
    db: AppDB, documents: list[tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]], actor: str,
    result: ImportResult,
) -> None:  # fmt: skip
    added_at = now_iso()
    with db.transaction() as con:
        for document, claims in documents:
            engine = document.pop("engine")
            cursor = con.execute(
                "INSERT OR IGNORE INTO document (id, origin, external_id, url, title, publisher, date, lang, text, "
                "added_by, added_at) VALUES (:id, :origin, :external_id, :url, :title, :publisher, :date, :lang, "
                ":text, :added_by, :added_at)",
                {**document, "added_by": actor, "added_at": added_at},
            )
            result.documents += cursor.rowcount
            for seq, (sentence, claim) in enumerate(claims):
                candidate_id = f"cand-{_hash(document['id'], str(seq), sentence)}"
                cursor = con.execute(
                    "INSERT OR IGNORE INTO candidate (id, document_id, seq, sentence, claim, engine, added_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        candidate_id,
                        document["id"],
                        seq,
                        sentence,
                        json.dumps(claim, ensure_ascii=False),
                        engine,
                        added_at,
                    ),
                )
                if cursor.rowcount:
                    result.candidates += 1
                else:
                    result.duplicates += 1
        # every candidate without a group (this import's, and any imported before groups existed), earliest first
        result.grouped = groups.assign(con, groups.ungrouped(con))
        db.audit(
            con, actor, "import",
            json.dumps({**result.as_dict(), "skipped": len(result.skipped)}),
        )  # fmt: skip


# --- decisions ---------------------------------------------------------------------------------


def trim_quote(sentence: str) -> str:
    """The sentence cut to the dataset's brief-quote limits (45 words or 100 CJK characters)."""
    words = cjk = 0
    out: list[str] = []
    in_word = False
    for char in " ".join(sentence.split()):
        if CJK.match(char):
            cjk += 1
            in_word = False
        elif char.isspace():
            in_word = False
        elif not in_word:
            words += 1
            in_word = True
        if words > MAX_QUOTE_WORDS or cjk > MAX_QUOTE_CJK:
            return "".join(out).rstrip() + "…"
        out.append(char)
    return "".join(out)


def _source_for(document: dict[str, Any], data: DecisionBasis) -> tuple[str, list[tuple[str, str]]]:
    """The dataset source a document is, or a new one with its (prop, value) statements."""
    url = document.get("url")
    if url:
        try:
            url = check_web_url(url)
        except BadUrl:
            url = None
    if url and url_key(url) in data.sources_by_url:
        return data.sources_by_url[url_key(url)], []
    publisher = document.get("publisher") or (urlsplit(url).hostname if url else None) or "unattributed text"
    props = [("publisher", publisher), ("lang", document.get("lang") or "und")]
    if url:
        props.append(("url", url))
    if document.get("title"):
        props.append(("title", document["title"]))
    date = document.get("date")
    if date:
        with contextlib.suppress(InvalidValue):
            props.append(("date", normalise_value(kinds()["source"].properties["date"], str(date)[:10])[0]))
    note = f"Entered through the review queue ({document['origin']})."
    if document.get("note"):
        note += f" Reviewer's note: {document['note']}"
    props.append(("note", note))
    return document["id"], props


def _lang(text: str) -> str:
    return "zh" if CJK.search(text) else "en"


@dataclass
class DecisionBasis:
    """What a decision is checked against: the current dataset (built + reviewed statements), read once
    per data version. Built from the store alone, so the write side never reads a presenter's model."""

    store: Store
    jurisdictions: dict[str, dict[str, Any]]
    stations: dict[str, dict[str, Any]]
    places: dict[str, dict[str, Any]]
    sources_by_url: dict[str, str]

    @classmethod
    def of(cls, store: Store) -> DecisionBasis:
        return cls(
            store=store,
            jurisdictions={j["id"]: j for j in store.entities("jurisdiction")},
            stations={s["id"]: s for s in store.entities("station")},
            places=store.places(),
            sources_by_url=store.source_urls(),
        )


STANDING = (
    "SELECT d.id FROM decision_member m JOIN decision d ON d.id = m.decision_id "
    "WHERE m.candidate_id = ? AND d.reversed_at IS NULL"
)


def _candidate_record(db: AppDB, candidate_id: str) -> dict[str, Any]:
    """A candidate with its document, its document's first sentence and its standing decision."""
    row = db.con.execute("SELECT * FROM candidate WHERE id = ?", (candidate_id,)).fetchone()
    if row is None:
        raise ReviewNotFound(f"no candidate '{candidate_id}'")
    item = dict(row)
    item["document"] = dict(db.con.execute("SELECT * FROM document WHERE id = ?", (row["document_id"],)).fetchone())
    first = db.con.execute(
        "SELECT sentence FROM candidate WHERE document_id = ? ORDER BY seq LIMIT 1", (row["document_id"],)
    ).fetchone()
    item["first_sentence"] = first[0]
    item["decided"] = db.con.execute(STANDING, (candidate_id,)).fetchone() is not None
    return item


def station_rows(form: Mapping[str, str], proposed: Mapping[str, str]) -> list[dict[str, str]]:
    """The stations a form accepts: the first from the plain fields, each further one whose "s<n>-include"
    the form sends, from its "s<n>-" fields (a field the form leaves out keeps the proposal)."""
    given = {**proposed, **form}
    rows = [{k: (given.get(k) or "").strip()[:MAX_FIELD] for k in ROW_FIELDS}]
    for n in range(1, MAX_STATIONS):
        if form.get(f"s{n}-include"):
            rows.append({k: (given.get(f"s{n}-{k}") or "").strip()[:MAX_FIELD] for k in ROW_FIELDS})
    return rows


def decide(
    db: AppDB, data: DecisionBasis, candidate_id: str, action: str, form: Mapping[str, str],
    proposed: Mapping[str, str], reviewer: str, members: Sequence[str] = (),
) -> dict[str, Any]:  # fmt: skip
    """Record a decision and the statements it makes; ReviewError (nothing written) if it does not hold.

    ``proposed`` is what the queue offered for this candidate (``longarm.catalog.queue.proposal``): a
    field the form leaves out keeps it, one sent empty is cleared. ``members`` are further candidates
    (the rest of a group of reprints) the same decision covers: each pending one gets the same
    statements citing its own document, with its own sentence as quote."""
    if action not in ACTIONS:
        raise ReviewError(f"action: one of {', '.join(ACTIONS)}")
    item = _candidate_record(db, candidate_id)
    if item["decided"]:
        raise ReviewConflict("this candidate is decided already; reverse that decision first")
    others = [_candidate_record(db, m) for m in dict.fromkeys(members) if m != candidate_id]
    others = [o for o in others if not o["decided"]]
    given = {**proposed, **form}
    fields = {k: (given.get(k) or "").strip()[:MAX_FIELD] for k in (*FORM_FIELDS, "station_id", "target", "reason")}
    fields["quote"] = " ".join((form.get("quote") or proposed.get("quote") or "").split())[:1000]
    reason = fields.pop("reason") or None
    statements: list[tuple[str, str, str]] = []  # (kind, entity_id, "prop\x1fvalue")
    target = None
    not_carried: list[str] = []
    created: list[str] = []
    edited = sorted(k for k in FORM_FIELDS if fields[k] != (proposed.get(k) or ""))
    if action == "accept":
        rows = station_rows(form, proposed)
        jurisdiction, statements = _jurisdiction_for(fields["jurisdiction"], item, data)
        if statements:
            created.append(jurisdiction)
        taken: set[str] = set()
        for n, row in enumerate(rows):
            station_id, made = _accepted_station(row, jurisdiction, data, taken, "" if n == 0 else f"s{n}-")
            taken.add(station_id)
            created.append(station_id)
            statements += made
        fields["stations"] = ",".join(created)
        target = created[-len(rows)]
        edited += sorted(
            f"s{n}-{k}" for n in range(1, len(rows)) for k in ROW_FIELDS[:4]
            if (form.get(f"s{n}-{k}") or "") not in ("", proposed.get(f"s{n}-{k}") or "")
        )  # fmt: skip
    elif action == "same":
        target = fields["target"]
        if target not in data.stations:
            raise ReviewError(f"target: no station with id '{target}'")
    left_pending: list[str] = []
    if statements or action == "same":  # a decision that makes statements cites a source (see source_problem)
        item["document"] = _attached_source(item["document"], form, data)
        fields.update({k: (form.get(k) or "").strip()[:MAX_FIELD] for k in SOURCE_FIELDS if form.get(k)})
        # a reprint whose document names no source stays in the queue, to be decided (a source attached) on
        # its own page; the decision covers the rest of the group
        left_pending = [o["id"] for o in others if _citation_problem(o, data)]
        others = [o for o in others if o["id"] not in left_pending]
    built: list[Statement] = []
    subjects: dict[str, str] = {}
    for member in (item, *others):
        quote = fields["quote"] if member is item else trim_quote(member["sentence"])
        planned = statements
        if action == "same" and target:
            planned, missing = _same_station(fields, data.stations[target], subject=member["id"])
            not_carried = not_carried or missing
            subjects[member["id"]] = target
        built += _statements(member, data, quote, planned, edited)
    if built:
        _check(data, built, subjects)
        _check_citable(item, data)
    covered = [item["id"], *(o["id"] for o in others)]
    decided_at = now_iso()
    with db.transaction() as con:
        for covered_id in covered:
            if con.execute(STANDING, (covered_id,)).fetchone():
                raise ReviewConflict(f"candidate {covered_id} was decided meanwhile; reverse that decision first")
        record: dict[str, Any] = {k: v for k, v in fields.items() if v}
        if not_carried:
            record["not_carried"] = not_carried
        if others:
            record["members"] = covered[1:]
        cursor = con.execute(
            "INSERT INTO decision (candidate_id, action, target, fields, reason, reviewer, decided_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (candidate_id, action, target, json.dumps(record, ensure_ascii=False), reason, reviewer, decided_at),
        )
        decision_id = int(cursor.lastrowid or 0)
        con.executemany(
            "INSERT INTO decision_member (decision_id, candidate_id) VALUES (?, ?)",
            [(decision_id, c) for c in covered],
        )
        con.executemany(
            "INSERT OR IGNORE INTO reviewed_statement (decision_id, id, kind, entity_id, prop, value, precision, "
            "source_id, quote, lang, origin, note, reviewer, accepted_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (decision_id, st.id, st.kind, st.entity_id, st.prop, st.value, st.precision, st.source_id, st.quote,
                 st.lang, st.origin, st.note, reviewer, decided_at)
                for st in built
            ],
        )  # fmt: skip
        if action == "same" and target:
            con.executemany(
                "INSERT INTO judgement (candidate_id, decision_id, subject, target, verdict, reviewer, judged_at) "
                "VALUES (?, ?, ?, ?, 'same', ?, ?)",
                [(c, decision_id, c, target, reviewer, decided_at) for c in covered],
            )
        summary: dict[str, Any] = {"action": action, "target": target, "statements": len(built), "edited": edited}
        if created:
            summary["created"] = created
        if others:
            summary["members"] = covered[1:]
        if left_pending:
            summary["left_pending"] = left_pending
        if reason:
            summary["reason"] = reason
        db.audit(con, reviewer, action, json.dumps(summary, ensure_ascii=False), candidate_id, decision_id)
        if built:
            db.bump_data_version(con)
    return {"decision": decision_id, "action": action, "target": target, "statements": len(built),
            "not_carried": not_carried, "created": created, "covered": covered,
            "left_pending": left_pending}  # fmt: skip


def gazetteer_jurisdiction(name_zh: str) -> Any:
    """The gazetteer's entry for a Chinese jurisdiction name (福清市), or None."""
    core = name_zh.removesuffix("公安局")
    for meaning in gazetteer_names().get(core, ()):
        if meaning.kind == "jurisdiction" and meaning.name_zh == core:
            return meaning
    return None


def dataset_jurisdiction(name_zh: str, jurisdictions: Mapping[str, Mapping[str, Any]]) -> str | None:
    """The dataset's jurisdiction whose Chinese name is ``name_zh`` (丽水市 matches 丽水市公安局), or None."""
    for jid, row in jurisdictions.items():
        names_zh = row.get("name_zh") or []
        if isinstance(names_zh, str):
            names_zh = [names_zh]
        if any(z.startswith(name_zh) for z in names_zh):
            return jid
    return None


def _jurisdiction_for(chosen: str, item: dict[str, Any], data: DecisionBasis) -> tuple[str, list[tuple[str, str, str]]]:
    """The running jurisdiction's id, and the statements that create it when it is new to the dataset."""
    if not chosen.startswith(NEW_JURISDICTION):
        if chosen not in data.jurisdictions:
            raise ReviewError("jurisdiction: choose the jurisdiction that runs the station")
        return chosen, []
    name_zh = chosen.removeprefix(NEW_JURISDICTION)
    entry = gazetteer_jurisdiction(name_zh)
    if entry is None:
        raise ReviewError(f"jurisdiction: '{name_zh[:40]}' is not a jurisdiction of the gazetteer")
    if dataset_jurisdiction(entry.name_zh, data.jurisdictions):
        raise ReviewError(f"jurisdiction: {entry.name_zh} is in the dataset already; choose it from the list")
    base = re.sub(r"[^a-z0-9]+", "-", entry.name.casefold()).strip("-") or "jurisdiction"
    jid, n = base, 1
    while jid in data.jurisdictions or jid in data.stations:
        n += 1
        jid = f"{base}-{n}"
    sentence = item["sentence"]
    bureau = f"{entry.name_zh}公安局"
    police = bureau in sentence or bool(re.search(r"police|public security", sentence, re.I))
    level = GAZETTEER_LEVEL.get(entry.level, "county")
    props = [("name", entry.name), ("name_zh", bureau if bureau in sentence else entry.name_zh), ("level", level),
             ("runs_stations", "true")]  # fmt: skip
    if police:
        props.append(("organ", "public-security"))
    parent = dataset_jurisdiction(entry.parent_zh, data.jurisdictions) if entry.parent_zh else None
    if parent:
        props.append(("parent", parent))
    return jid, [("jurisdiction", jid, f"{prop}\x1f{value}") for prop, value in props]


def _attached_source(document: dict[str, Any], form: Mapping[str, str], data: DecisionBasis) -> dict[str, Any]:
    """The document with the source the reviewer attached (form fields ``source_*``) laid over it;
    ReviewError for a malformed URL or date (``_check_citable`` says whether it can be cited)."""
    attached = {k.removeprefix("source_"): (form.get(k) or "").strip()[:MAX_FIELD] for k in SOURCE_FIELDS}
    document = {**document, **{k: v for k, v in attached.items() if v}}
    if attached["url"]:
        try:
            document["url"] = check_web_url(attached["url"])
        except BadUrl as exc:
            raise ReviewError(f"source_url: {exc}") from None
    if attached["date"]:
        try:
            normalise_value(kinds()["source"].properties["date"], attached["date"])
        except InvalidValue as exc:
            raise ReviewError(f"source_date: {exc}") from None
    return document


def _citation_problem(member: dict[str, Any], data: DecisionBasis) -> str | None:
    """Why a candidate's document cannot be cited (see ``source_problem``), or None: a dataset source
    already, or one with a title, URL or note, and a date."""
    document = member["document"]
    url = document.get("url")
    with contextlib.suppress(BadUrl):
        if url and url_key(check_web_url(url)) in data.sources_by_url:
            return None  # a source of the dataset already: cited as it is
    return source_problem(document)


def _check_citable(member: dict[str, Any], data: DecisionBasis) -> None:
    """ReviewError unless the decided candidate's document (with the source the reviewer attached) can
    be cited."""
    problem = _citation_problem(member, data)
    if problem:
        raise ReviewError(
            f"source: {problem}; attach a source (source_title, source_url or source_note, and source_date) "
            "before accepting"
        )


def judge(db: AppDB, data: DecisionBasis, candidate_id: str, target: str, verdict: str, reviewer: str) -> int:
    """Record that a candidate is not (``not-same``) or may be (``unsure``) station ``target``.

    Such a judgement makes no statement: the candidate stays in the queue, and the queue stops
    suggesting a station judged not the same. A 'same' judgement comes only with a decision."""
    if verdict not in ("not-same", "unsure"):
        raise ReviewError("verdict: not-same or unsure (a 'same' judgement is a decision: action=same)")
    _candidate_record(db, candidate_id)
    if target not in data.stations:
        raise ReviewError(f"target: no station with id '{target}'")
    with db.transaction() as con:
        cursor = con.execute(
            "INSERT INTO judgement (candidate_id, decision_id, subject, target, verdict, reviewer, judged_at) "
            "VALUES (?, NULL, ?, ?, ?, ?, ?)",
            (candidate_id, candidate_id, target, verdict, reviewer, now_iso()),
        )
        judgement_id = int(cursor.lastrowid or 0)
        db.audit(con, reviewer, "judge", json.dumps({"verdict": verdict, "target": target}), candidate_id)
    return judgement_id


def reverse_judgement(db: AppDB, judgement_id: int, actor: str) -> dict[str, Any]:
    """Withdraw a 'not-same' or 'unsure' judgement (a 'same' one goes with its decision)."""
    with db.transaction() as con:
        row = con.execute("SELECT * FROM judgement WHERE id = ?", (judgement_id,)).fetchone()
        if row is None:
            raise ReviewNotFound(f"no judgement {judgement_id}")
        if row["decision_id"] is not None:
            raise ReviewConflict(f"judgement {judgement_id} belongs to decision {row['decision_id']}; reverse that")
        if row["reversed_at"] is not None:
            raise ReviewConflict(f"judgement {judgement_id} is reversed already")
        con.execute(
            "UPDATE judgement SET reversed_at = ?, reversed_by = ? WHERE id = ?", (now_iso(), actor, judgement_id)
        )
        db.audit(con, actor, "reverse-judgement", json.dumps({"judgement": judgement_id}), row["candidate_id"])
    return {"reversed": judgement_id, "candidate": row["candidate_id"]}


def _accepted_station(
    row: dict[str, str], jurisdiction: str, data: DecisionBasis, taken: set[str], prefix: str = ""
) -> tuple[str, list[tuple[str, str, str]]]:
    """One accepted station's id and statements; ``prefix`` names its row's fields in messages."""
    country = row["country"].upper()
    try:
        normalise_value(kinds()["station"].properties["country"], country)
    except InvalidValue as exc:
        raise ReviewError(f"{prefix}country: {exc}") from None
    place = row["place"]
    if place and place not in data.places:
        raise ReviewError(f"{prefix}place: no place with id '{place}' in the gazetteer")
    precision = data.places[place]["kind"] if place else "country"
    station_id = row["station_id"] or _new_station_id(jurisdiction, country, place, data, taken)
    if not ID_PATTERN.match(station_id) or len(station_id) > 80:
        raise ReviewError(f"{prefix}station_id: lower-case letters, digits and '-', starting with a letter or digit")
    if station_id in data.stations or station_id in taken:
        raise ReviewError(f"{prefix}station_id: '{station_id}' exists already; mark the candidate as the same station")
    props = [("jurisdiction", jurisdiction), ("country", country), ("location_precision", precision)]
    if place:
        props.append(("place", place))
    if row["locality"]:
        props.append(("locality", row["locality"]))
    if row["opened"]:
        props.append(("opened", row["opened"]))
    return station_id, [("station", station_id, f"{prop}\x1f{value}") for prop, value in props]


def _new_station_id(jurisdiction: str, country: str, place: str, data: DecisionBasis, taken: set[str]) -> str:
    base = f"{jurisdiction}-{country.lower()}" + (f"-{place}" if place else "")
    candidate_id, n = base, 1
    while candidate_id in data.stations or candidate_id in taken:
        n += 1
        candidate_id = f"{base}-{n}"
    return candidate_id


def _same_station(
    fields: dict[str, str], station: dict[str, Any], subject: str
) -> tuple[list[tuple[str, str, str]], list[str]]:
    """The candidate's values that agree with the station's, as statements about ``subject`` (which a
    'same' judgement resolves to the station when read), and the values that do not agree."""
    carried, not_carried = [], []
    for prop in ("jurisdiction", "country", "place", "opened"):
        value = fields[prop].upper() if prop == "country" else fields[prop]
        if not value:
            continue
        if station.get(prop) == value or (prop == "opened" and not station.get("opened")):
            carried.append(("station", subject, f"{prop}\x1f{value}"))
        else:
            not_carried.append(f"{prop} {value} (the station has {station.get(prop) or 'none'})")
    return carried, not_carried


def _statements(
    item: dict[str, Any], data: DecisionBasis, quote: str, planned: list[tuple[str, str, str]], edited: list[str]
) -> list[Statement]:
    if not planned:
        return []
    if not quote:
        raise ReviewError("quote: a statement needs the quote that supports it")
    if len(quote.split()) > MAX_QUOTE_WORDS or len(CJK.findall(quote)) > MAX_QUOTE_CJK:
        raise ReviewError(f"quote: at most {MAX_QUOTE_WORDS} words or {MAX_QUOTE_CJK} CJK characters")
    source_id, source_props = _source_for(item["document"], data)
    origin = f"extracted:{item['engine']}"
    note = f"Reviewer edited: {', '.join(edited)}." if edited else None
    result = []
    for kind, entity_id, packed in planned:
        prop_name, raw = packed.split("\x1f", 1)
        prop = kinds()[kind].properties[prop_name]
        try:
            value, precision = normalise_value(prop, raw)
        except InvalidValue as exc:
            raise ReviewError(f"{prop_name}: {exc}") from None
        result.append(
            Statement(kind, entity_id, prop_name, value, source_id, quote, _lang(quote), origin, precision, note,
                      f"review:{item['id']}")
        )  # fmt: skip
    # One quote per document, whichever candidate is accepted first, so its source statements coincide.
    source_quote = trim_quote(item["document"].get("title") or item["first_sentence"])
    for prop_name, raw in source_props:
        try:
            value, precision = normalise_value(kinds()["source"].properties[prop_name], raw)
        except InvalidValue as exc:
            raise ReviewError(f"source {prop_name}: {exc}") from None
        result.append(
            Statement("source", source_id, prop_name, value, source_id, source_quote, _lang(source_quote),
                      "curated", precision, None, f"review:{item['id']}")
        )  # fmt: skip
    return result


def _check(data: DecisionBasis, new: list[Statement], resolved: dict[str, str]) -> None:
    """Refuse statements that would break the dataset's integrity (the build's own rules), checked as
    the read side will see them: ``resolved`` maps a judged subject to the station it is."""
    existing = [Statement.from_row(row) for row in data.store.iter_statements() if row["kind"] in kinds()]
    as_read = [dataclasses.replace(st, entity_id=resolved.get(st.entity_id, st.entity_id)) for st in new]
    marker = new[0].data_file
    problems = [p for p in problems_in([*existing, *as_read]) if p.data_file == marker]
    if problems:
        raise ReviewError(problems[0].message)


def reverse(db: AppDB, decision_id: int, actor: str, reason: str | None = None) -> dict[str, Any]:
    """Mark a decision reversed: its statements and its 'same' judgement leave the read side."""
    with db.transaction() as con:
        row = con.execute("SELECT * FROM decision WHERE id = ?", (decision_id,)).fetchone()
        if row is None:
            raise ReviewNotFound(f"no decision {decision_id}")
        if row["reversed_at"] is not None:
            raise ReviewConflict(f"decision {decision_id} is reversed already")
        released_in = _released_in(con, decision_id)
        if released_in:
            raise ReviewConflict(
                f"decision {decision_id} is part of the released edition '{released_in}', which never changes; "
                "record a correction in the working edition instead"
            )
        con.execute(
            "UPDATE decision SET reversed_at = ?, reversed_by = ?, reversal_reason = ? WHERE id = ?",
            (now_iso(), actor, (reason or "")[:MAX_FIELD] or None, decision_id),
        )
        made = con.execute("SELECT COUNT(*) FROM reviewed_statement WHERE decision_id = ?", (decision_id,)).fetchone()
        db.audit(
            con, actor, "reverse", json.dumps({"reversed": row["action"], "reason": reason}, ensure_ascii=False),
            row["candidate_id"], decision_id,
        )  # fmt: skip
        if made[0]:
            db.bump_data_version(con)
    return {"reversed": decision_id, "candidate": row["candidate_id"]}


def _released_in(con: sqlite3.Connection, decision_id: int) -> str | None:
    for name, decisions in con.execute("SELECT name, decisions FROM release"):
        if decision_id in json.loads(decisions):
            return str(name)
    return None


def is_candidate_id(text: str) -> bool:
    return bool(re.fullmatch(r"cand-[0-9a-f]{16}", text))
