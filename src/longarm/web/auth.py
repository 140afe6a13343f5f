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
- Failed logins are counted per client address and per user name in the
  database (so every server worker sees them): after MAX_FAILURES within
  WINDOW seconds further attempts are refused until the window has passed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from longarm.ledger.reviewdb import AppDB, now_iso

ROLES = ("reader", "reviewer", "admin")
REVIEW_ROLES = ("reviewer", "admin")
SESSION_SECONDS = 12 * 3600
MAX_FAILURES = 5
WINDOW = 300.0
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


def _failures(db: AppDB, client: str, name: str, now: float) -> int:
    row = db.con.execute(
        "SELECT COUNT(*) FROM login_attempt WHERE ok = 0 AND at > ? AND (client = ? OR username = ?)",
        (now - WINDOW, client, name),
    ).fetchone()
    return int(row[0])


def retry_after(db: AppDB, client: str, name: str) -> int:
    """Seconds until a login may be tried again from ``client`` for ``name``; 0 if it may now."""
    now = time.time()
    if _failures(db, client, name, now) < MAX_FAILURES:
        return 0
    row = db.con.execute(
        "SELECT at FROM login_attempt WHERE ok = 0 AND at > ? AND (client = ? OR username = ?) "
        "ORDER BY at DESC LIMIT 1 OFFSET ?",
        (now - WINDOW, client, name, MAX_FAILURES - 1),
    ).fetchone()
    return max(1, int(float(row[0]) + WINDOW - now) + 1) if row else 1


def login(db: AppDB, name: str, password: str, client: str) -> tuple[User, str]:
    """A new session for a correct name and password: (user, session token). AuthError otherwise."""
    name = name.strip()[:MAX_NAME]
    if retry_after(db, client, name):
        raise AuthError("too many failed logins; wait a few minutes")
    row = db.con.execute("SELECT id, name, role, password_hash FROM user WHERE name = ?", (name,)).fetchone()
    ok = False
    try:
        ok = _hasher.verify(row["password_hash"] if row else _dummy_hash(), password[:MAX_PASSWORD]) and row is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    token = secrets.token_urlsafe(32)
    with db.transaction() as con:
        con.execute(
            "INSERT INTO login_attempt (at, client, username, ok) VALUES (?, ?, ?, ?)",
            (time.time(), client, name, int(ok)),
        )
        con.execute("DELETE FROM login_attempt WHERE at < ?", (time.time() - 86400,))
        if ok and row is not None:
            con.execute(
                "INSERT INTO session (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                (_digest(token), row["id"], now_iso(), time.time() + SESSION_SECONDS),
            )
            if _hasher.check_needs_rehash(row["password_hash"]):
                con.execute("UPDATE user SET password_hash = ? WHERE id = ?", (_hasher.hash(password), row["id"]))
            db.audit(con, row["name"], "login", f"from {client}")
    if not ok or row is None:
        raise AuthError("wrong user name or password")
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
