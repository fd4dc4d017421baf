"""What an administrator does for data protection: the audit log, a person's data, erasure."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    request,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import BooleanField
from wtforms.validators import DataRequired

from cop.accounts.models import User
from cop.directory.models import Person
from cop.extensions import db
from cop.forms import CopForm
from cop.privacy.logic import compact_database, erase_person, export_person
from cop.privacy.models import AuditEntry
from cop.privacy.tables import TABLE_NAMES, table_name
from cop.pseudonyms import pseudonym
from cop.stored_pages import stored_page
from cop.viewhelpers import paginate

blueprint = Blueprint("privacy", __name__)


class EraseForm(CopForm):
    confirm = BooleanField(
        _l("I understand that this person’s personal data will be gone for good"),
        validators=[DataRequired(_l("Tick the box to confirm"))],
    )


def _admin() -> None:
    if not current_user.is_admin:
        abort(403)


@blueprint.route("/admin/audit")
@stored_page
@login_required
def audit() -> str:
    _admin()
    table = request.args.get("table", "")
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if table:
        query = query.where(AuditEntry.table_name == table)
    page = paginate(query)
    users = {
        user.id: user.email
        for user in db.session.scalars(
            select(User).where(User.id.in_({e.user_id for e in page.items if e.user_id}))
        )
    }
    tables = sorted(
        ((name, table_name(name)) for name in TABLE_NAMES), key=lambda pair: pair[1].casefold()
    )
    return render_template(
        "privacy/audit.html",
        page=page,
        users=users,
        table=table,
        tables=tables,
        table_name=table_name,
    )


@blueprint.route("/people/<int:person_id>/export.json")
@login_required
def export(person_id: int) -> Response:
    """Everything held about a person: for administrators, and for the person themself."""
    if not (current_user.is_admin or current_user.person_id == person_id):
        abort(403)
    try:
        data = export_person(db.session, person_id)
    except LookupError:
        abort(404)
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="person-{person_id}.json"'},
    )


@blueprint.route("/people/<int:person_id>/erase", methods=["GET", "POST"])
@login_required
def erase(person_id: int) -> Any:
    _admin()
    person = db.get_or_404(Person, person_id)
    form = EraseForm()
    if form.validate_on_submit():
        # The pseudonym researchers already know the person by, in no language in particular.
        label = pseudonym(current_app.config["SECRET_KEY"], person.id)
        report = erase_person(db.session, person.id, label, Path(current_app.instance_path))
        db.session.commit()
        compact_database(db.engine)
        return render_template("privacy/erased.html", person=person, report=report)
    status = 400 if form.errors else 200
    return render_template("privacy/erase.html", person=person, form=form), status
