"""Small helpers every blueprint's views share."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from flask import Response, abort, current_app, g, render_template, request
from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from cop.documents.storage import MAIL_ATTACHMENTS, visit_folder
from cop.extensions import db
from cop.forms import CopForm
from cop.links import LinkError, SignedLink, link_for, resolve_link, token_for
from cop.mail import site_url

Model = TypeVar("Model")

LINK_PROBLEMS = {
    "invalid": (400, lambda: _("This link is not valid. Check you copied the whole link.")),
    "expired": (410, lambda: _("This link has expired. Ask for a new one.")),
    "revoked": (410, lambda: _("This link has already been used or was replaced by a newer one.")),
}


# Which part of the navigation a page belongs to, by the first segment of its path.
NAV_SECTIONS = {
    "programmes": "programmes",
    "survey": "programmes",
    "people": "directory",
    "organisations": "directory",
    "interpreters": "directory",
    "glossary": "directory",
    "contacts": "directory",
    "admin": "directory",
}


def nav_section_of(path: str) -> str:
    """The navigation section of a page: visits unless its address says otherwise."""
    first = path.strip("/").split("/", 1)[0].split(".", 1)[0]
    return NAV_SECTIONS.get(first, "visits")


def paginate(query: Select) -> Pagination:
    """One page of a list, the page number taken from ``?page=``; a page past the end is empty."""
    return db.paginate(
        query,
        page=request.args.get("page", 1, type=int) or 1,
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )


def child_of_visit(visit: Any, model: type[Model], child_id: int) -> Model:
    """A row of ``model`` (anything with a ``visit_id``) that belongs to this visit, else 404:
    an id from another visit is answered as if it did not exist."""
    found = db.session.get(model, child_id)
    if found is None or found.visit_id != visit.id:
        abort(404)
    return found


def form_status(form: CopForm) -> int:
    """400 for a form sent back with errors, so that bad input is never answered as a success."""
    return 400 if form.errors else 200


def search_text() -> str:
    return request.args.get("q", "")


def link_behind(purpose: str, token: str) -> SignedLink:
    """The signed link a token stands for (:class:`LinkError` saying why not). The page it opens
    is personal to the link's holder: no browser or proxy may keep a copy of it."""
    g.signed_link_page = True
    return resolve_link(current_app.config["SECRET_KEY"], purpose, token)


def object_behind_link(purpose: str, token: str, model: type[Model]) -> Model:
    """What a signed link points at; :class:`LinkError` when the link or the object is gone."""
    link = link_behind(purpose, token)
    found = db.session.get(model, link.subject_id)
    if found is None:
        raise LinkError("invalid")
    db.session.commit()  # records when the link was last used
    return found


def speak_to(person: Any) -> None:
    """Show this page in the language of the person the link was sent to."""
    g.link_language = person.preferred_language


def link_problem_page(error: LinkError) -> tuple[str, int]:
    """Say plainly why a link cannot be used: 400 for a broken one, 410 for one that is gone."""
    db.session.rollback()
    g.signed_link_page = True
    status, message = LINK_PROBLEMS[error.reason]
    return render_template("accounts/link_problem.html", message=message()), status


def csv_download(body: str, filename: str) -> Response:
    # A byte-order mark so that spreadsheet programs read the accents right.
    return Response(
        "\ufeff" + body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def mailed_link(
    purpose: str,
    subject_id: int,
    person_id: int | None,
    endpoint: str,
    *,
    visit_id: int | None = None,
    **values: Any,
) -> str:
    """The full address of the recipient's own working signed link for a subject (issued when
    they have none), as a mail carries it; a resent mail carries the same link as the first.
    With ``visit_id`` the link stops working when the person leaves that visit."""
    secret = current_app.config["SECRET_KEY"]
    link = link_for(secret, purpose, subject_id, person_id=person_id, visit_id=visit_id)
    return site_url(endpoint, token=token_for(secret, link), **values)


def folder_of(visit_id: int) -> Path:
    """Where a visit's documents are kept on this installation."""
    return Path(current_app.instance_path) / visit_folder(visit_id)


def attachments_folder(visit_id: int) -> Path:
    """Where the attachments of a visit's correspondence are kept on this installation."""
    return Path(current_app.instance_path) / visit_folder(visit_id, MAIL_ATTACHMENTS)
