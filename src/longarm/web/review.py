"""The review queue's pages: import and paste candidates, decide, judge, reverse, read the audit log.

Reading goes through ``longarm.catalog.queue``, writing through ``longarm.ledger.review``; a refusal
is a typed ``ReviewError`` that either re-renders the form with its message or becomes an error page
with its status (see ``longarm.web.errors``).
"""

from __future__ import annotations

import dataclasses
import json
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from longarm.catalog import queue
from longarm.ledger import review
from longarm.ledger.editions import WORKING
from longarm.ledger.errors import ReviewError, ReviewNotFound
from longarm.ledger.groups import station_key
from longarm.web import auth
from longarm.web.login import same_origin, user_of
from longarm.web.state import error_page, html, web

Status = Annotated[str, Query(pattern="^(pending|accepted|rejected|same|all)$")]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
NOTICES = {
    "imported": "Candidates added.",
    "decided": "Decision recorded.",
    "decided-some-left": "Decision recorded. Reprints whose documents name no source stay in the queue: "
    "attach a source on each one's page.",
    "reversed": "Decision reversed.",
    "judged": "Judgement recorded.",
    "none": "The extractor found no claim sentence in this text.",
    "confirmed": "Known claims confirmed as further evidence.",
}

router = APIRouter(include_in_schema=False)


def review_page(request: Request, template: str, path: str, title: str, http_status: int = 200,
                **context: Any) -> Response:  # fmt: skip
    user, csrf = user_of(request)
    if user is None:
        return RedirectResponse(f"/login.html?next={path}", 303)
    site = web(request).live.snapshot(WORKING).site  # reviewers see what they accepted, released or not
    context.setdefault("error", "")
    notice = NOTICES.get(request.query_params.get("done", ""), "")
    body = site.page(template, path, title, user=user, csrf=csrf, notice=notice, **context)
    response = html(body, http_status)
    response.headers["cache-control"] = "no-store"
    return response


async def reviewer_form(request: Request) -> tuple[auth.User | None, dict[str, Any], Response | None]:
    """The posted form of a logged-in reviewer whose CSRF token matches; else the response to give."""
    state = web(request)
    user, csrf = user_of(request)
    if user is None:
        return None, {}, error_page(state.live, 401, "401", "Log in to review.")
    form = await request.form(max_files=1, max_fields=120, max_part_size=state.config.max_upload)
    if not same_origin(request) or not auth.same_token(str(form.get("csrf", "")), csrf):
        return None, {}, error_page(state.live, 403, "403", "The form had expired or came from elsewhere; reload it.")
    if not user.can_review:
        return None, {}, error_page(state.live, 403, "403", "Your account may read the queue but not decide.")
    return user, dict(form), None


@router.get("/review/")
async def review_root() -> Response:
    return RedirectResponse("/review/index.html", 303)


Known = Annotated[str, Query(pattern="^(|new|known)$")]
Sort = Annotated[str, Query(pattern="^(" + "|".join(queue.SORTS) + ")$")]
Facet = Annotated[str, Query(max_length=200)]


def triage_of(request: Request, status: str = "pending") -> queue.Triage:
    """The queue's filters from its URL parameters (invalid ones are refused by the route's Query types)."""
    params = request.query_params
    return queue.Triage(
        status=None if status == "all" else status, known=params.get("known", ""),
        jurisdiction=params.get("jurisdiction", "")[:200], country=params.get("country", "")[:2],
        date=params.get("date", "")[:10], source=params.get("source", "")[:200],
        engine=params.get("engine", "")[:80], sort=params.get("sort", "added"),
    )  # fmt: skip


@dataclasses.dataclass
class QueueCache:
    """The queue's rendered tables by (filters, offset, may review) and its filters' choices: what 20
    reviewers refreshing the queue share. Emptied whole when the review database or the site changes
    (``version``), so it never shows stale rows. One per server process."""

    version: Any = None
    tables: dict[tuple[Any, ...], tuple[Markup, int]] = dataclasses.field(default_factory=dict)
    facets: dict[str, list[str]] | None = None

    def current(self, version: Any) -> QueueCache:
        if version != self.version or len(self.tables) > 512:
            self.version, self.tables, self.facets = version, {}, None
        return self


_CACHE = QueueCache()


def queue_table(request: Request, triage: queue.Triage, offset: int, can_review: bool) -> tuple[Markup, int]:
    """The queue's table and pager as HTML, and how many claims the filters leave."""
    state = web(request)
    snapshot = state.live.snapshot()
    cache = _CACHE.current((snapshot.key, state.db.changed()))
    key = (triage, offset, can_review)
    if key not in cache.tables:
        rows, total = queue.candidates(state.db, triage.status, 50, offset, snapshot.review_data, triage)
        query = {k: v for k, v in dataclasses.asdict(triage).items() if v and k != "status"}
        query["status"] = triage.status or "all"
        html_text = snapshot.site.page(
            "review_rows.html", "review/index.html", "", rows=rows, total=total, offset=offset, limit=50,
            query=urlencode(query), can_review=can_review,
        )  # fmt: skip
        cache.tables[key] = (Markup(html_text), total)  # rendered by the autoescaping templates
    if cache.facets is None:
        cache.facets = queue.facet_values(state.db)
    return cache.tables[key]


def queue_context(request: Request, triage: queue.Triage, offset: int) -> dict[str, Any]:
    user, _csrf = user_of(request)
    table, total = queue_table(request, triage, offset, bool(user and user.can_review))
    return {
        "table": table, "total": total, "status": triage.status or "all", "triage": triage,
        "facets": _CACHE.facets or {}, "sorts": queue.SORTS,
    }  # fmt: skip


@router.get("/review/index.html")
async def queue_page(
    request: Request, status: Status = "pending", offset: Offset = 0, known: Known = "", sort: Sort = "added",
    jurisdiction: Facet = "", country: Facet = "", date: Facet = "", source: Facet = "", engine: Facet = "",
) -> Response:  # fmt: skip
    context = queue_context(request, triage_of(request, status), offset)
    return review_page(request, "review.html", "review/index.html", "Review queue", **context)


def queue_error(request: Request, message: str, status: int) -> Response:
    context = queue_context(request, queue.Triage(), 0)
    return review_page(request, "review.html", "review/index.html", "Review queue", status, error=message,
                       **context)  # fmt: skip


def extract_pasted(text: str, date: str | None) -> tuple[str, list[dict[str, Any]]]:
    """The extractor as the review ledger takes it: (engine, claims as `extract --json` gives them). A reviewer
    judges every claim of a pasted text, so none is set aside as a look-alike's (``--keep-look-alikes``)."""
    from longarm.extract import ENGINE, extract_document

    return ENGINE, [claim.as_dict() for claim in extract_document(text, date, lookalikes=True).claims]


@router.post("/review/paste")
async def paste(request: Request) -> Response:
    user, form, refused = await reviewer_form(request)
    if refused or user is None:
        return refused or Response(status_code=403)
    try:
        result = review.add_pasted(
            web(request).db, str(form.get("text", "")), user.name, extract_pasted,
            url=str(form.get("url") or "") or None, title=str(form.get("title") or "") or None,
            publisher=str(form.get("publisher") or "") or None, date=str(form.get("date") or "") or None,
        )  # fmt: skip
    except ReviewError as exc:
        return queue_error(request, str(exc), 422)
    done = "imported" if result.candidates or result.duplicates else "none"
    return RedirectResponse(f"/review/index.html?done={done}", 303)


@router.post("/review/import")
async def upload(request: Request) -> Response:
    user, form, refused = await reviewer_form(request)
    if refused or user is None:
        return refused or Response(status_code=403)
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        return queue_error(request, "file: choose a file to import", 422)
    data = await upload.read()
    name = (upload.filename or "upload")[:200]
    try:
        review.import_candidates(web(request).db, data, name, user.name)
    except ReviewError as exc:
        return queue_error(request, f"file: {exc}", 422)
    return RedirectResponse("/review/index.html?done=imported", 303)


def candidate_page(request: Request, candidate_id: str, error: str = "", status: int = 200,
                   form: dict[str, Any] | None = None) -> Response:  # fmt: skip
    state = web(request)
    item = queue.candidate(state.db, candidate_id)
    if item is None:
        return error_page(state.live, 404, "404", "No such candidate.")
    data = state.live.snapshot().review_data
    fields = queue.proposal(item, data)
    if form:
        fields.update({k: str(form[k]) for k in fields if isinstance(form.get(k), str)})
        fields.update({k: str(form[k]) for k in review.SOURCE_FIELDS if isinstance(form.get(k), str)})
    places = sorted(((pid, p["name"], p["country"]) for pid, p in data.places.items()), key=lambda p: (p[2], p[1]))
    suggestions = queue.suggestions(fields, data, queue.judged_not_same(item))
    pending_members = [m for m in item["group"] if m["status"] == "pending" and m["id"] != candidate_id]
    return review_page(
        request, "candidate.html", f"review/candidate/{candidate_id}.html", "Candidate", status, candidate=item,
        fields=fields, rows=queue.station_rows(fields), jurisdictions=data.running(),
        new_jurisdictions=queue.new_jurisdictions(item, data), mismatches=queue.mismatches(item, fields, data),
        places=places, suggestions=suggestions, error=error, pending_members=pending_members,
        next_url=next_pending(state.db, candidate_id), known_station=known_station_of(item, data),
    )  # fmt: skip


def known_station_of(item: dict[str, Any], data: queue.QueueData) -> str | None:
    """The one documented station a candidate's claim matches (pre-selected as "same"), or None."""
    jurisdictions = item["claim"].get("jurisdictions", [])
    return data.known_station({
        "station_key": json.dumps(station_key(item["claim"]), ensure_ascii=False),
        "jurisdiction_zh": jurisdictions[0].get("name_zh") if jurisdictions else None,
    })  # fmt: skip


def next_pending(db: Any, candidate_id: str) -> str | None:
    """The queue's next pending group after this candidate (the key shortcut "n")."""
    rows, _total = queue.candidates(db, "pending", 2, 0)
    following = [r["id"] for r in rows if r["id"] != candidate_id]
    return f"review/candidate/{following[0]}.html" if following else None


def known_candidate(request: Request, candidate_id: str) -> dict[str, Any]:
    item = queue.candidate(web(request).db, candidate_id) if review.is_candidate_id(candidate_id) else None
    if item is None:
        raise ReviewNotFound("No such candidate.")
    return item


@router.get("/review/candidate/{candidate_id}.html")
async def candidate(request: Request, candidate_id: str) -> Response:
    known_candidate(request, candidate_id)
    return candidate_page(request, candidate_id)


@router.post("/review/candidate/{candidate_id}/decide")
async def decide(request: Request, candidate_id: str) -> Response:
    user, form, refused = await reviewer_form(request)
    if refused or user is None:
        return refused or Response(status_code=403)
    item = known_candidate(request, candidate_id)
    data = web(request).live.snapshot().review_data
    text = {k: v for k, v in form.items() if isinstance(v, str)}
    # "the whole group": every pending reprint of this claim, each citing its own document
    members = [m["id"] for m in queue.group_of(web(request).db, candidate_id)] if text.get("scope") == "group" else []
    try:
        result = review.decide(web(request).db, data.basis, candidate_id, text.get("action", ""), text,
                               queue.proposal(item, data), user.name, members)  # fmt: skip
    except ReviewError as exc:
        return candidate_page(request, candidate_id, str(exc), 422, text)
    done = "decided-some-left" if result["left_pending"] else "decided"
    return RedirectResponse(f"/review/candidate/{candidate_id}.html?done={done}", 303)


@router.post("/review/confirm-known")
async def confirm_known(request: Request) -> Response:
    """Bulk: each chosen candidate whose claim matches one documented station is recorded as further evidence
    for it (a 'same' decision each, with its judgement; each reversible on its own)."""
    user, form, refused = await reviewer_form(request)
    if refused or user is None:
        return refused or Response(status_code=403)
    state = web(request)
    chosen = [str(v) for k, v in form.items() if k.startswith("c-") and review.is_candidate_id(str(v))]
    confirmed = 0
    problems = []
    for candidate_id in chosen:
        data = state.live.snapshot().review_data
        item = queue.candidate(state.db, candidate_id)
        if item is None or item["status"] != "pending":
            continue
        target = known_station_of(item, data)
        if target is None:
            problems.append(f"{candidate_id}: no single documented station matches")
            continue
        proposed = queue.proposal(item, data)
        members = [m["id"] for m in item["group"]]
        try:
            review.decide(state.db, data.basis, candidate_id, "same", {"target": target}, proposed, user.name,
                          members)  # fmt: skip
            confirmed += 1
        except ReviewError as exc:
            problems.append(f"{candidate_id}: {exc}")
    if problems and not confirmed:
        return queue_error(request, "; ".join(problems[:5]), 422)
    return RedirectResponse(f"/review/index.html?done=confirmed&count={confirmed}", 303)


@router.post("/review/candidate/{candidate_id}/judge")
async def judge(request: Request, candidate_id: str) -> Response:
    """Not the same as, or maybe the same as, a documented station: a judgement that makes no statement."""
    user, form, refused = await reviewer_form(request)
    if refused or user is None:
        return refused or Response(status_code=403)
    known_candidate(request, candidate_id)
    data = web(request).live.snapshot().review_data
    try:
        review.judge(web(request).db, data.basis, candidate_id, str(form.get("target", "")),
                     str(form.get("verdict", "")), user.name)  # fmt: skip
    except ReviewError as exc:
        return candidate_page(request, candidate_id, str(exc), 422)
    return RedirectResponse(f"/review/candidate/{candidate_id}.html?done=judged", 303)


def row_id(text: str, what: str) -> int:
    """A decision or judgement id from a path; one SQLite cannot hold names nothing (404, not a crash)."""
    if not text.isdigit() or not 1 <= int(text) < 2**63:
        raise ReviewNotFound(f"no {what} {text[:30]}")
    return int(text)


@router.post("/review/decision/{decision_id}/reverse")
async def reverse(request: Request, decision_id: str) -> Response:
    user, form, refused = await reviewer_form(request)
    if refused or user is None:
        return refused or Response(status_code=403)
    number = row_id(decision_id, "decision")
    result = review.reverse(web(request).db, number, user.name, str(form.get("reason") or "") or None)
    return RedirectResponse(f"/review/candidate/{result['candidate']}.html?done=reversed", 303)


@router.post("/review/judgement/{judgement_id}/reverse")
async def reverse_judgement(request: Request, judgement_id: str) -> Response:
    user, _form, refused = await reviewer_form(request)
    if refused or user is None:
        return refused or Response(status_code=403)
    result = review.reverse_judgement(web(request).db, row_id(judgement_id, "judgement"), user.name)
    return RedirectResponse(f"/review/candidate/{result['candidate']}.html?done=reversed", 303)


@router.get("/review/audit.html")
async def audit(request: Request, offset: Offset = 0) -> Response:
    user, _csrf = user_of(request)
    # Login rows carry addresses: an admin sees everyone's, anyone else only their own.
    logins_of = None if user is not None and user.role == "admin" else (user.name if user else "")
    rows, total = queue.audit_log(web(request).db, 200, offset, logins_of)
    return review_page(request, "audit.html", "review/audit.html", "Audit log", rows=rows, total=total,
                       offset=offset, limit=200)  # fmt: skip
