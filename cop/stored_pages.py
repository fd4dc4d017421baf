"""Signed-in pages served as they were last rendered for the same reader, while nothing changed.

A view marked ``@stored_page`` is rendered once per reader and version of the data, then
served from cop.pagestore: one query (the sign-in check, which reads the data's version as
well) instead of the page's own queries and its template. What makes a kept page different
is all in its key or its version:

- the reader: their sign-in session and everything it holds (who signed in, the language
  they chose, the form token the page's forms carry), the language the page is in, and the
  address asked for (host, path and query);
- the data: every commit that writes a row any page shows renews the version
  (cop.computed.changes), which makes every kept page old at once; roles, memberships and
  consent are rows like any other, so an access taken away is noticed on the next request;
- the clock: a page is kept at most ``STORED_PAGE_SECONDS`` (a deadline that passes, "today").

Nothing is kept when the view changed the session (a message shown once, a form token made
for the first time), answered anything but 200, or the reader has a message waiting. Each
server process keeps its own pages under the version all of them read from the database, so
several app servers never serve what another one changed."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, request, session
from flask_babel import get_locale
from flask_login.utils import _create_identifier

from cop.accounts.logic import signed_in_reader
from cop.extensions import db
from cop.formatting import regional_locale
from cop.pagestore import KeptPage, PageStore
from cop.viewhelpers import reader_language, sign_in_of_session

EXTENSION = "cop.stored_pages"
View = TypeVar("View", bound=Callable[..., Any])


def stored_page(view: View) -> View:
    """Mark a read-only view whose page depends only on the data, the reader and the address."""
    view.stored_page = True  # type: ignore[attr-defined]
    return view


def page_store() -> PageStore:
    return current_app.extensions[EXTENSION]


def _reader_key(locale: str) -> str:
    reader = json.dumps(dict(session), sort_keys=True, default=str)
    parts = (request.host, request.full_path, locale, reader)
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _may_be_stored() -> bool:
    if request.method != "GET" or "_flashes" in session:
        return False
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "stored_page", False))


def _signed_in_reader() -> tuple[str, str] | None:
    """The reader's page language and the data's version, if the session's sign-in is still
    open and belongs to this browser, read in one query without building the account (that
    is what the page itself would do first, and is not needed to serve it as kept)."""
    said = sign_in_of_session(str(session.get("_user_id", "")))
    if said is None:
        return None
    user_id, session_version, key = said
    # Flask-Login's strong protection: the browser that signed in, else no kept page (and the
    # view's own sign-in check ends the session).
    if session.get("_id") != _create_identifier():
        return None
    # Outside a transaction: a single read needs no BEGIN and ROLLBACK round trips.
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        found = connection.execute(signed_in_reader(), {"user_id": user_id, "key": key})
        found = found.first()
    if found is None or str(found.session_version) != session_version:
        return None
    return regional_locale(reader_language(found.locale)), found.pages_version or ""


def init_app(app: Flask) -> None:
    """Register after every other request hook, so that a page served from the store is still
    timed, logged and given the security headers (after-request hooks run last-first)."""
    seconds = float(app.config["STORED_PAGE_SECONDS"])
    if seconds <= 0:
        return
    store = PageStore(int(app.config["STORED_PAGES_MAX_BYTES"]), seconds)
    app.extensions[EXTENSION] = store

    @app.before_request
    def serve_kept_page() -> Response | None:
        if not _may_be_stored():
            return None
        reader = _signed_in_reader()
        if reader is None:
            return None
        locale, version = reader
        key = _reader_key(locale)
        page = store.get(key, version, time.monotonic())
        if page is None:
            g.kept_page_key = (key, version, locale)
            return None
        return Response(page.body, headers=list(page.headers))

    @app.after_request
    def keep_page(response: Response) -> Response:
        kept = g.pop("kept_page_key", None)
        if (
            kept is None
            # The page was rendered for the reader the key was made for (an account whose
            # language changed meanwhile renders in the new one).
            or str(get_locale()) != kept[2]
            or response.status_code != 200
            or response.is_streamed
            or response.direct_passthrough
            or session.modified
            or "Set-Cookie" in response.headers
        ):
            return response
        key, version, _locale = kept
        # The view's own headers only: this hook runs before the others add theirs.
        page = KeptPage(response.get_data(), tuple(response.headers.items()), time.monotonic())
        store.put(key, version, page)
        return response
