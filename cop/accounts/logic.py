"""Account rules that need no web request."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from functools import cache
from urllib.parse import urlsplit

from sqlalchemy import Select, bindparam, delete, select
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


def _open_sign_in() -> Select:
    """Rows of the account with ``user_id`` behind sign-in session ``key``, if the server still
    holds it open (bound parameters: the statement is built and compiled once)."""
    from cop.accounts.models import SignInSession, User

    return (
        select()
        .join_from(SignInSession, User, SignInSession.user_id == User.id)
        .where(
            SignInSession.user_id == bindparam("user_id"),
            SignInSession.key == bindparam("key"),
            SignInSession.ended_at.is_(None),
        )
    )


@cache
def signed_in_user() -> Select:
    """The account (a User) of an open sign-in session: one query on every signed-in request
    that renders a page."""
    from cop.accounts.models import User

    return _open_sign_in().add_columns(User)


@cache
def signed_in_reader() -> Select:
    """What a kept page needs of an open sign-in session, without building the account: the
    session version the cookie must carry, the language chosen in the profile and the data's
    version. Accounts that were switched off have none."""
    from cop.accounts.models import User
    from cop.computed.changes import pages_version

    return (
        _open_sign_in()
        .add_columns(User.session_version, User.locale, pages_version())
        .where(User.active)
    )


def choose_language(
    profile: str | None,
    chosen: str | None,
    link: str | None,
    browser: Callable[[Sequence[str]], str | None],
    languages: Sequence[str],
    default: str,
) -> str:
    """The language of a page: the profile's, else the one chosen with the switcher, else a
    personal link's (a host answering a poll reads it in their own), else the browser's best
    match (``browser`` is a function of the languages offered: Werkzeug's best_match)."""
    for language in (profile, chosen, link):
        if language in languages:
            return language
    return browser(languages) or default
