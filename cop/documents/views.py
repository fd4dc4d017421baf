from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from cop import access
from cop.documents.forms import DocumentForm
from cop.documents.models import VisitDocument
from cop.documents.storage import UploadRefused, path_of, store
from cop.extensions import db
from cop.forms import EmptyForm
from cop.stored_pages import stored_page
from cop.viewhelpers import child_of_visit, confirmation_page, folder_of
from cop.visits.models import Visit

blueprint = Blueprint("documents", __name__)


def _can_share(visit: Visit) -> bool:
    return (
        access.can_manage_visit(current_user, visit)
        or access.visit_role(current_user, visit) is not None
    )


def _form() -> DocumentForm:
    form = DocumentForm()
    megabytes = current_app.config["DOCUMENT_MAX_BYTES"] / (1024 * 1024)
    form.file.description = _(
        "PDF, Word, OpenDocument, PowerPoint, Excel, CSV, text, PNG, JPEG or calendar (.ics) "
        "files, up to %(megabytes)s MB.",
        megabytes=f"{megabytes:g}",
    )
    return form


REFUSALS = {
    "kind": lambda: _("This kind of file cannot be shared here. Use one of the kinds listed."),
    "too_large": lambda: _("The file is too large."),
    "empty": lambda: _("The file is empty."),
}


@blueprint.route("/visits/<int:visit_id>/documents", methods=["GET", "POST"])
@stored_page
@login_required
def documents(visit_id: int) -> str | Response | tuple[str, int]:
    visit = access.visit_for(visit_id, records=True)
    can_share = _can_share(visit)
    form = _form()
    if form.is_submitted():
        if not can_share:
            abort(403)
        if form.validate():
            upload = form.file.data
            try:
                kept = store(
                    upload.stream,
                    upload.filename or "",
                    folder_of(visit.id),
                    current_app.config["DOCUMENT_MAX_BYTES"],
                )
            except UploadRefused as refusal:
                form.file.errors = [REFUSALS[refusal.reason]()]
            else:
                document = VisitDocument(
                    visit_id=visit.id,
                    uploaded_by_id=current_user.person_id,
                    title=form.title.data or kept.filename,
                    filename=kept.filename,
                    stored_name=kept.stored_name,
                    content_type=kept.content_type,
                    size=kept.size,
                    sha256=kept.sha256,
                )
                db.session.add(document)
                try:
                    db.session.commit()
                except Exception:
                    # Keep disk and database in step: no orphan file for a row never written.
                    db.session.rollback()
                    path_of(folder_of(visit.id), kept.stored_name).unlink(missing_ok=True)
                    raise
                flash(_("“%(title)s” is shared with the visit.", title=document.title), "success")
                return redirect(url_for("documents.documents", visit_id=visit.id))
    shared = db.session.scalars(
        select(VisitDocument)
        .where(VisitDocument.visit_id == visit.id)
        .options(joinedload(VisitDocument.uploaded_by))
        .order_by(VisitDocument.created_at.desc(), VisitDocument.id.desc())
    ).all()
    return render_template(
        "documents/documents.html",
        visit=visit,
        documents=shared,
        form=form,
        can_share=can_share,
        can_manage=access.can_manage_visit(current_user, visit),
    ), (400 if form.errors else 200)


def _document_of(visit: Visit, document_id: int) -> VisitDocument:
    return child_of_visit(visit, VisitDocument, document_id)


@blueprint.route("/visits/<int:visit_id>/documents/<int:document_id>")
@login_required
def download(visit_id: int, document_id: int) -> Response:
    visit = access.visit_for(visit_id, records=True)
    document = _document_of(visit, document_id)
    path = path_of(folder_of(visit.id), document.stored_name)
    if not path.exists():
        abort(404)
    response = send_file(
        path,
        mimetype=document.content_type,
        as_attachment=True,
        download_name=document.filename,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@blueprint.route(
    "/visits/<int:visit_id>/documents/<int:document_id>/delete", methods=["GET", "POST"]
)
@login_required
def delete(visit_id: int, document_id: int) -> Any:
    visit = access.visit_for(visit_id, records=True)
    document = _document_of(visit, document_id)
    mine = document.uploaded_by_id is not None and document.uploaded_by_id == current_user.person_id
    if not (mine or access.can_manage_visit(current_user, visit)):
        abort(403)
    back = url_for("documents.documents", visit_id=visit.id)
    if request.method == "GET":
        return confirmation_page(
            _("Remove “%(title)s”?", title=document.title),
            [
                _(
                    "The file is deleted from cop for everyone in the visit, interpreters "
                    "included. Copies people downloaded are not affected."
                )
            ],
            _("Remove the document"),
            (_("Keep it"), back),
            caption=(visit.title, url_for("visits.visit", visit_id=visit.id)),
        )
    if not EmptyForm().validate_on_submit():
        abort(400)
    stored_name, title = document.stored_name, document.title
    db.session.delete(document)
    db.session.commit()
    path_of(folder_of(visit.id), stored_name).unlink(missing_ok=True)
    flash(_("“%(title)s” has been removed.", title=title), "success")
    return redirect(url_for("documents.documents", visit_id=visit.id))
