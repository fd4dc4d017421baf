"""Account rules that need no web request."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import delete
from sqlalchemy.orm import Session


def is_safe_redirect(target: str | None) -> bool:
    """Only a path on this site: no scheme, no host, no protocol-relative or backslash tricks."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(char) < 32 for char in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def parse_language_codes(text: str) -> str:
    """Normalise "EN, fr ,," to "en,fr", keeping order and dropping repeats."""
    codes: list[str] = []
    for raw in text.split(","):
        code = raw.strip().lower()
        if code and code not in codes:
            codes.append(code)
    return ",".join(codes)


def stale_sessions(session: Session, before: datetime) -> int:
    """Delete the sign-in sessions that ended, or began before ``before``; returns how many."""
    from cop.accounts.models import SignInSession

    result = session.execute(
        delete(SignInSession).where(
            SignInSession.ended_at.is_not(None) | (SignInSession.created_at < before)
        )
    )
    return result.rowcount or 0
