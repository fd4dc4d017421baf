"""The translations of a visit's content, for its leads and interpreters to read against the
originals and correct."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from cop import access
from cop.extensions import db
from cop.stored_pages import stored_page
from cop.translation import content
from cop.translation.forms import CorrectionForm
from cop.translation.models import ContentTranslation
from cop.visits.models import Visit

blueprint = Blueprint("content_translations", __name__)

FIELD_NAMES = {
    ("visit", "title"): lambda: _("Title of the visit"),
    ("visit", "objective"): lambda: _("Objective"),
    ("item", "title"): lambda: _("Itinerary item"),
    ("item", "notes"): lambda: _("Notes of an itinerary item"),
    ("protocol", "forbidden_topics"): lambda: _("Topics not to post about"),
    ("protocol", "photo_rules"): lambda: _("Photo rules"),
    ("protocol", "video_rules"): lambda: _("Video rules"),
    ("embargo", "subject"): lambda: _("Embargo"),
    ("organisation", "description"): lambda: _("What the host organisation is and does"),
}


def _visit(visit_id: int) -> Visit:
    visit = access.visit_for(visit_id)
    if not access.can_correct_translations(current_user, visit):
        abort(403)
    return visit


def _rows(visit: Visit) -> list[ContentTranslation]:
    """The visit's translations, and its host organisation's description's."""
    of_host = (
        (ContentTranslation.kind == "organisation")
        & (ContentTranslation.record_id == visit.host_organisation_id)
        if visit.host_organisation_id
        else None
    )
    where = ContentTranslation.visit_id == visit.id
    return list(
        db.session.scalars(
            select(ContentTranslation)
            .where(or_(where, of_host) if of_host is not None else where)
            .options(selectinload(ContentTranslation.reviewed_by))
            .order_by(ContentTranslation.kind, ContentTranslation.record_id, ContentTranslation.id)
        )
    )


def _page(visit: Visit, refused: CorrectionForm | None = None, refused_id: int = 0):
    rows = _rows(visit)
    forms = {
        row.id: refused
        if row.id == refused_id
        else CorrectionForm(prefix=f"row-{row.id}", formdata=None, text=row.text)
        for row in rows
    }
    return render_template(
        "translation/content.html",
        visit=visit,
        rows=rows,
        forms=forms,
        field_name=lambda row: FIELD_NAMES[(row.kind, row.field)](),
    )


@blueprint.route("/visits/<int:visit_id>/translations")
@stored_page
@login_required
def translations(visit_id: int) -> str:
    return _page(_visit(visit_id))


@blueprint.route("/visits/<int:visit_id>/translations/<int:row_id>", methods=["POST"])
@login_required
def correct(visit_id: int, row_id: int) -> Response | tuple[str, int]:
    visit = _visit(visit_id)
    row = next((found for found in _rows(visit) if found.id == row_id), None)
    if row is None:
        abort(404)
    form = CorrectionForm(prefix=f"row-{row.id}")
    if not form.validate_on_submit():
        return _page(visit, form, row.id), 400
    content.correct(db.session, row, form.text.data, current_user.person_id)
    db.session.commit()
    flash(_("The translation is saved as checked by you."), "success")
    return redirect(
        url_for("content_translations.translations", visit_id=visit.id) + f"#row-{row.id}"
    )
