"""The commands of the web app: `longarm serve`, `longarm user add|list`, `longarm review import`."""

from __future__ import annotations

import ipaddress
import os
import signal
import socket
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import click

from longarm.cli.archive import archive_dir_option
from longarm.cli.support import Context, emit_json, fail, json_option, pass_context

if TYPE_CHECKING:
    from starlette.types import ASGIApp

    from longarm.ledger.reviewdb import AppDB

# How long a worker whose master died gives its open requests before it exits anyway.
ORPHAN_GRACE = 10.0


def _app_db(ctx: Context) -> AppDB:
    """The app database (users, review queue, reviewed statements): always ``<db>.app.db`` beside the
    database, the one every command lays over it (see longarm.ledger.reviewdb)."""
    from longarm.ledger.reviewdb import AppDB, AppDBError, review_db_path

    try:
        return AppDB(review_db_path(ctx.db))
    except AppDBError as exc:
        fail(str(exc))


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _port_taken(host: str, port: int) -> str | None:
    """Why ``host:port`` cannot be listened on, or None: bound and let go the way uvicorn binds it."""
    if port == 0:
        return None
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            return exc.strerror or str(exc)
    return None


def _exit_with_parent() -> None:
    """In a worker process of `serve --workers N`: stop when the master dies, even by kill -9.

    uvicorn's workers are spawned multiprocessing children; the parent's sentinel (a pipe the
    master holds open) becomes readable when the master is gone. The worker then stops as on
    Ctrl+C (SIGTERM: open requests finish) and, if that hangs, exits after ORPHAN_GRACE s."""
    import multiprocessing
    from multiprocessing.connection import wait

    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:
        return  # one worker: uvicorn serves in this very process, nothing to watch
    sentinel = parent.sentinel

    def watch() -> None:
        wait([sentinel])
        os.kill(os.getpid(), signal.SIGTERM)
        threading.Timer(ORPHAN_GRACE, os._exit, (1,)).start()

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def worker_app() -> ASGIApp:
    """The factory uvicorn's workers call: the app, in a process that dies with its master."""
    from longarm.web.app import app_from_env

    _exit_with_parent()
    return app_from_env()


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    help="Server processes [default: one per CPU core, at most 4].",
)
@click.option(
    "--cookies",
    type=click.Choice(["auto", "secure", "insecure"]),
    default="auto",
    show_default=True,
    help="Mark session cookies Secure (HTTPS only); auto = secure unless serving plain HTTP on a loopback address.",
)
@click.option(
    "--forwarded-allow-ips",
    default="",
    metavar="ADDRESSES",
    help="Comma-separated addresses of reverse proxies whose X-Forwarded-For/-Proto are believed "
    "(the client's address in the login throttle and the audit log); '*' trusts every peer. "
    "[default: none; the connection's own address is used]",
)
@archive_dir_option
@click.option(
    "--max-upload-mb", default=10, show_default=True, type=click.IntRange(1, 1024), help="Largest request body."
)
@json_option
@pass_context
def serve_command(
    ctx: Context,
    host: str,
    port: int,
    workers: int | None,
    cookies: str,
    forwarded_allow_ips: str,
    archive_dir: Path | None,
    max_upload_mb: int,
    as_json: bool,
) -> None:
    """Serve the site, the JSON API, search, the country check and the review queue.

    Pages are the published site's, rendered live from the database with the
    statements accepted in the review queue laid over it; reading is public,
    reviewing needs a user (see `longarm user add`). Users, the queue and the
    reviewed statements live in <db>.app.db beside the database, which every
    other command (publish included) reads too. The API is documented at
    /api/docs. With --json the startup information is printed as JSON.

    \b
    Example:
      longarm serve
      longarm serve --port 8080 --workers 2
      longarm serve --host 10.0.0.5 --forwarded-allow-ips 10.0.0.1   # behind a proxy at 10.0.0.1
    """
    import uvicorn

    from longarm.web.app import CONFIG_ENV, ServeConfig

    store = ctx.store()  # builds the default database on first use
    db_path = store.path
    store.close()
    database = _app_db(ctx)
    database.close()
    secure = cookies == "secure" or (cookies == "auto" and not _is_loopback(host))
    config = ServeConfig(
        db=str(db_path.resolve()),
        app_db=str(database.path.resolve()),
        include_sensitive=ctx.include_sensitive,
        archive_dir=str(archive_dir.resolve()) if archive_dir else None,
        secure_cookies=secure,
        max_upload=max_upload_mb * 2**20,
    )
    count = workers or max(1, min(4, os.cpu_count() or 1))
    taken = _port_taken(host, port)
    if taken:
        fail(f"cannot listen on {host}:{port} ({taken}); is another server running there? Try --port")
    info = {
        "url": f"http://{host}:{port}/",
        "api_docs": f"http://{host}:{port}/api/docs",
        "database": config.db,
        "app_database": config.app_db,
        "workers": count,
        "secure_cookies": secure,
        "redacted": not ctx.include_sensitive,
    }
    if as_json:
        emit_json(info)
    else:
        click.echo(f"longarm serving {config.db} at {info['url']} ({count} worker{'s' if count != 1 else ''}); "
                   f"API docs at {info['api_docs']}; Ctrl+C stops")  # fmt: skip
        if ctx.include_sensitive:
            click.echo("WARNING: names of sensitive persons are shown; do not expose this server", err=True)
    os.environ[CONFIG_ENV] = config.to_env()
    try:
        uvicorn.run(
            "longarm.cli.serve:worker_app" if count > 1 else "longarm.web.app:app_from_env",
            factory=True,
            host=host,
            port=port,
            workers=count,
            log_level="warning",
            access_log=False,
            server_header=False,
            # uvicorn believes X-Forwarded-For from loopback unless told otherwise: only named proxies.
            proxy_headers=bool(forwarded_allow_ips),
            forwarded_allow_ips=forwarded_allow_ips or None,
        )
    except OSError as exc:
        fail(f"cannot listen on {host}:{port} ({exc.strerror or exc})")


@click.group("user")
def user_group() -> None:
    """Users of the review queue: readers, reviewers and admins.

    Reading the site and the API needs no account; reviewing does.

    \b
    Example:
      longarm user add alice --role reviewer
      longarm user list --json
    """


@user_group.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["reader", "reviewer", "admin"]), default="reviewer", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input instead of prompting.")
@json_option
@pass_context
def user_add_command(ctx: Context, name: str, role: str, password_stdin: bool, as_json: bool) -> None:
    """Add a user; the password is asked for twice (or read from stdin) and stored as an argon2 hash.

    \b
    Example:
      longarm user add alice --role reviewer
      printf '%s\\n' "$PASSWORD" | longarm user add bot --role reader --password-stdin --json
    """
    from longarm.web import auth

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    database = _app_db(ctx)
    try:
        user = auth.add_user(database, name, role, password)
    except auth.AuthError as exc:
        fail(str(exc))
    finally:
        database.close()
    if as_json:
        emit_json({"user": user.name, "role": user.role, "app_database": str(database.path)})
    else:
        click.echo(f"added {user.role} '{user.name}' to {database.path}")


@user_group.command("list")
@json_option
@pass_context
def user_list_command(ctx: Context, as_json: bool) -> None:
    """List users and their roles (never their password hashes).

    \b
    Example:
      longarm user list
    """
    from longarm.web import auth

    database = _app_db(ctx)
    rows = auth.list_users(database)
    database.close()
    if as_json:
        emit_json(rows)
    else:
        for row in rows:
            click.echo(f"{row['name']}\t{row['role']}\tadded {row['created_at']}")


@click.group("review")
def review_group() -> None:
    """The review queue: import extracted candidates; decide on them in `longarm serve`.

    \b
    Example:
      longarm extract --json article.html > claims.json
      longarm review import claims.json
    """


@review_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--as-user", default="cli", show_default=True, help="Name recorded in the audit log.")
@json_option
@pass_context
def review_import_command(ctx: Context, file: Path, as_user: str, as_json: bool) -> None:
    """Add the claims of `longarm extract --json`/`--jsonl` or `longarm scan` output to the review queue.

    Each claim sentence becomes one candidate; importing a file again adds
    nothing twice. Lines the extractor marked as errors are skipped and listed.

    \b
    Example:
      longarm review import claims.json
      longarm scan corpus/ --out candidates.jsonl && longarm review import candidates.jsonl --json
    """
    from longarm.ledger.errors import ReviewError
    from longarm.ledger.review import import_candidates

    try:
        data = sys.stdin.buffer.read() if str(file) == "-" else file.read_bytes()
    except OSError as exc:
        fail(f"{file}: {exc.strerror}")
    database = _app_db(ctx)
    try:
        result = import_candidates(database, data, file.name, as_user)
    except ReviewError as exc:
        fail(f"{file}: {exc}")
    finally:
        database.close()
    if as_json:
        emit_json(result.as_dict())
        return
    click.echo(
        f"queued {result.candidates} candidates from {result.documents} documents"
        + (f" ({result.duplicates} already in the queue)" if result.duplicates else "")
    )
    for problem in result.skipped:
        click.echo(f"skipped {problem}", err=True)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)


__all__ = ["review_group", "serve_command", "user_group"]
