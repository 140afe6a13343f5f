"""Who may review: users with argon2 password hashes, sessions, CSRF tokens, login rate limits.

Reading is public; reviewing needs a logged-in user with the role reviewer or
admin (a reader may log in and look at the queue). Users are added from the
command line only (`longarm user add`), so the server has no sign-up form.

- Passwords are hashed with argon2id (argon2-cffi's defaults); a hash made
  with older parameters is upgraded at the next successful login.
- A session is a random token in a cookie (HttpOnly, SameSite=Strict, Secure
  unless the server runs plain HTTP on a loopback address); the database keeps
  only its SHA-256, so a copy of the database does not hand out sessions.
- Every form carries a CSRF token: for a logged-in user an HMAC of the session
  token under the app's secret; before login (the login form itself) a random
  token in its own cookie that the form must repeat (double submit).
- Failed logins are counted in the database (so every server worker sees them),
  three ways (see ``retry_after``):
  per (name, address): MAX_FAILURES free tries, then a wait that doubles with
  each further failure (BACKOFF_FIRST s, up to WINDOW), so guessing from one
  address is slow; per address: at most MAX_PER_ADDRESS failures for any names
  within WINDOW, so one address cannot try many names; per name, from every
  address: at most NAME_DELAY s between tries once the name has MAX_FAILURES
  failures, so many addresses guessing one name are slowed, but the owner,
  from their own address, waits at most NAME_DELAY s: nobody can lock a user
  out. A successful login clears the count of its (name, address).
- The address is the connection's peer; a proxy's X-Forwarded-For is believed
  only from the addresses `longarm serve --forwarded-allow-ips` names.
- argon2 runs in worker threads (at most HASHING_THREADS at a time), never on
  the event loop, so logins do not stall the pages and the API.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
import time
import weakref
from dataclasses import dataclass
from functools import cache

import anyio.to_thread
from anyio import CapacityLimiter
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from longarm.ledger.reviewdb import AppDB, now_iso

ROLES = ("reader", "reviewer", "admin")
REVIEW_ROLES = ("reviewer", "admin")
SESSION_SECONDS = 12 * 3600
MAX_FAILURES = 5
BACKOFF_FIRST = 15.0
WINDOW = 900.0
MAX_PER_ADDRESS = 30
NAME_DELAY = 2.0
HASHING_THREADS = 2
MAX_NAME = 64
MIN_PASSWORD = 8
MAX_PASSWORD = 1024

_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verified against when a user name is unknown, so a wrong name costs as long as a wrong password
    (made at the first such login, not when a server worker or CLI command starts: hashing takes 0.3 s)."""
    return _hasher.hash(secrets.token_hex(16))


class AuthError(ValueError):
    """A user that cannot be added, or a login refused; the message is safe to show."""


class Throttled(AuthError):
    """A login not tried because of earlier failures; ``wait`` is the seconds until it may be."""

    def __init__(self, wait: int) -> None:
        super().__init__(f"too many failed logins; try again in {wait} s")
        self.wait = wait


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str

    @property
    def can_review(self) -> bool:
        return self.role in REVIEW_ROLES


def check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > MAX_NAME or not all(c.isalnum() or c in "._-" for c in name):
        raise AuthError(f"a user name is 1-{MAX_NAME} letters, digits, '.', '_' or '-'")
    return name


def add_user(db: AppDB, name: str, role: str, password: str) -> User:
    name = check_name(name)
    if role not in ROLES:
        raise AuthError(f"unknown role '{role}' (one of {', '.join(ROLES)})")
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise AuthError(f"a password has {MIN_PASSWORD} to {MAX_PASSWORD} characters")
    password_hash = _hasher.hash(password)
    with db.transaction() as con:
        if con.execute("SELECT 1 FROM user WHERE name = ?", (name,)).fetchone():
            raise AuthError(f"user '{name}' exists already")
        cursor = con.execute(
            "INSERT INTO user (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)",
            (name, role, password_hash, now_iso()),
        )
        db.audit(con, "cli", "user-add", f"{name} ({role})")
    return User(int(cursor.lastrowid or 0), name, role)


def list_users(db: AppDB) -> list[dict[str, str]]:
    rows = db.con.execute("SELECT name, role, created_at FROM user ORDER BY name").fetchall()
    return [dict(r) for r in rows]


def _pair_wait(db: AppDB, client: str, name: str, now: float) -> float:
    """Back-off for one name from one address: failures since its last success within WINDOW."""
    last_ok = db.con.execute(
        "SELECT MAX(at) FROM login_attempt WHERE ok = 1 AND client = ? AND username = ?", (client, name)
    ).fetchone()[0]
    since = max(now - WINDOW, float(last_ok or 0))
    count, last = db.con.execute(
        "SELECT COUNT(*), MAX(at) FROM login_attempt WHERE ok = 0 AND at > ? AND client = ? AND username = ?",
        (since, client, name),
    ).fetchone()
    if count < MAX_FAILURES:
        return 0.0
    return float(last) + min(WINDOW, BACKOFF_FIRST * 2.0 ** (int(count) - MAX_FAILURES)) - now


def _address_wait(db: AppDB, client: str, now: float) -> float:
    """Until the oldest counted failure of an address that has MAX_PER_ADDRESS of them leaves the window."""
    row = db.con.execute(
        "SELECT at FROM login_attempt WHERE ok = 0 AND at > ? AND client = ? ORDER BY at DESC LIMIT 1 OFFSET ?",
        (now - WINDOW, client, MAX_PER_ADDRESS - 1),
    ).fetchone()
    return float(row[0]) + WINDOW - now if row else 0.0


def _name_wait(db: AppDB, name: str, now: float) -> float:
    """A short pause between tries of a name that many failed tries (from anywhere) have targeted."""
    count, last = db.con.execute(
        "SELECT COUNT(*), MAX(at) FROM login_attempt WHERE ok = 0 AND at > ? AND username = ?",
        (now - WINDOW, name),
    ).fetchone()
    return float(last) + NAME_DELAY - now if count >= MAX_FAILURES else 0.0


def retry_after(db: AppDB, client: str, name: str) -> int:
    """Whole seconds until a login may be tried again from ``client`` for ``name``; 0 if it may now."""
    now = time.time()
    wait = max(_pair_wait(db, client, name, now), _address_wait(db, client, now), _name_wait(db, name, now))
    return int(wait) + 1 if wait > 0 else 0


# One limiter per event loop: a limiter belongs to the loop that made it (a server process has one;
# a test process may run several servers, each in its own thread and loop).
_hashing: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, CapacityLimiter] = weakref.WeakKeyDictionary()


def _hashing_threads() -> CapacityLimiter:
    """The threads argon2 may use in the running event loop."""
    loop = asyncio.get_running_loop()
    if loop not in _hashing:
        _hashing[loop] = CapacityLimiter(HASHING_THREADS)
    return _hashing[loop]


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


async def login(db: AppDB, name: str, password: str, client: str) -> tuple[User, str]:
    """A new session for a correct name and password: (user, session token). AuthError otherwise.

    The attempt is recorded as failed, in the same transaction as the throttle's check, before the
    password is hashed, so concurrent tries (from any worker) all count; a correct password turns
    it into a success. The database is used on the caller's thread (the event loop's, which owns
    the connection); only argon2 runs in a worker thread."""
    name = name.strip()[:MAX_NAME]
    password = password[:MAX_PASSWORD]
    with db.transaction() as con:
        wait = retry_after(db, client, name)
        if wait:
            raise Throttled(wait)
        attempt = con.execute(
            "INSERT INTO login_attempt (at, client, username, ok) VALUES (?, ?, ?, 0)", (time.time(), client, name)
        ).lastrowid
        con.execute("DELETE FROM login_attempt WHERE at < ?", (time.time() - 86400,))
    row = db.con.execute("SELECT id, name, role, password_hash FROM user WHERE name = ?", (name,)).fetchone()
    threads = _hashing_threads()
    reference = row["password_hash"] if row else await anyio.to_thread.run_sync(_dummy_hash, limiter=threads)
    # Verified even when the name is unknown, so that a wrong name takes as long as a wrong password.
    verified = await anyio.to_thread.run_sync(_verify, reference, password, limiter=threads)
    if row is None or not verified:
        raise AuthError("wrong user name or password")
    new_hash = None
    if _hasher.check_needs_rehash(reference):
        new_hash = await anyio.to_thread.run_sync(_hasher.hash, password, limiter=threads)
    token = secrets.token_urlsafe(32)
    with db.transaction() as con:
        con.execute("UPDATE login_attempt SET ok = 1 WHERE id = ?", (attempt,))
        con.execute(
            "INSERT INTO session (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
            (_digest(token), row["id"], now_iso(), time.time() + SESSION_SECONDS),
        )
        if new_hash:
            con.execute("UPDATE user SET password_hash = ? WHERE id = ?", (new_hash, row["id"]))
        db.audit(con, row["name"], "login", f"from {client}")
    return User(row["id"], row["name"], row["role"]), token


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def session_user(db: AppDB, token: str | None) -> User | None:
    if not token or len(token) > 128:
        return None
    row = db.con.execute(
        "SELECT u.id, u.name, u.role FROM session s JOIN user u ON u.id = s.user_id "
        "WHERE s.token_hash = ? AND s.ended_at IS NULL AND s.expires_at > ?",
        (_digest(token), time.time()),
    ).fetchone()
    return User(row["id"], row["name"], row["role"]) if row else None


def logout(db: AppDB, token: str) -> None:
    with db.transaction() as con:
        con.execute(
            "UPDATE session SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL", (now_iso(), _digest(token))
        )


def csrf_token(db: AppDB, session_token: str) -> str:
    """The CSRF token of a session: an HMAC of it, so it needs no storage and dies with the session."""
    return hmac.new(db.secret, b"csrf:" + session_token.encode(), hashlib.sha256).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(24)


def same_token(given: str | None, expected: str | None) -> bool:
    return bool(given) and bool(expected) and hmac.compare_digest(str(given), str(expected))
