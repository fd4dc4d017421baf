from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from cop import access
from cop.database import matches_text
from cop.extensions import db
from cop.formatting import language_name
from cop.forms import options
from cop.spreadsheets import numbered_rows, safe_cell
from cop.translation.forms import GlossaryImportForm, TermForm
from cop.translation.models import GlossaryTerm
from cop.viewhelpers import csv_download, form_status, paginate, search_text
from cop.visits.models import Visit

blueprint = Blueprint("glossary", __name__)

LANGUAGES = ("en", "fr", "de", "es", "pt", "it", "nl")
COLUMNS = (
    "language_a",
    "term_a",
    "language_b",
    "term_b",
    "explanation",
    "do_not_translate",
    "domain",
)


@blueprint.route("/glossary")
@login_required
def glossary() -> str:
    text = search_text()
    visible = select(Visit.id).where(access.visible_visits_filter(current_user))
    query = (
        select(GlossaryTerm)
        .where(GlossaryTerm.visit_id.is_(None) | GlossaryTerm.visit_id.in_(visible))
        .order_by(GlossaryTerm.term_a)
    )
    if text.strip():
        query = query.where(
            matches_text(text, GlossaryTerm.term_a, GlossaryTerm.term_b, GlossaryTerm.explanation)
        )
    page = paginate(query)
    visit_ids = {term.visit_id for term in page.items if term.visit_id}
    titles = dict(
        db.session.execute(select(Visit.id, Visit.title).where(Visit.id.in_(visit_ids))).all()
    )
    return render_template(
        "translation/glossary.html",
        visit_titles=titles,
        page=page,
        q=text,
        can_organise=access.can_organise(current_user),
    )


@blueprint.route("/glossary/new", methods=["GET", "POST"])
@access.organiser_required
def new_term() -> str | WerkzeugResponse | tuple[str, int]:
    form = TermForm()
    choices = options((code, language_name(code)) for code in LANGUAGES)
    form.language_a.choices, form.language_b.choices = choices, list(choices)
    visits = db.session.execute(
        select(Visit.id, Visit.title)
        .where(access.visible_visits_filter(current_user))
        .order_by(Visit.title)
    )
    form.visit_id.choices = options([(0, _("Every visit")), *((v.id, v.title) for v in visits)])
    if request.method == "GET":
        form.language_a.data, form.language_b.data = "fr", "en"
    if form.validate_on_submit():
        if form.language_a.data == form.language_b.data:
            form.language_b.errors = [_("Choose a different language from the term’s")]
        else:
            db.session.add(
                GlossaryTerm(
                    language_a=form.language_a.data,
                    term_a=form.term_a.data,
                    language_b=form.language_b.data,
                    term_b=form.term_b.data or "",
                    explanation=form.explanation.data or "",
                    do_not_translate=form.do_not_translate.data,
                    domain=form.domain.data or "",
                    visit_id=form.visit_id.data or None,
                )
            )
            db.session.commit()
            flash(_("“%(term)s” is in the glossary.", term=form.term_a.data), "success")
            return redirect(url_for("glossary.glossary"))
    return render_template("translation/term_form.html", form=form), form_status(form)


@blueprint.route("/glossary.csv")
@login_required
def export() -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for term in db.session.scalars(
        select(GlossaryTerm).where(GlossaryTerm.visit_id.is_(None)).order_by(GlossaryTerm.term_a)
    ):
        writer.writerow(
            [
                term.language_a,
                safe_cell(term.term_a),
                term.language_b,
                safe_cell(term.term_b),
                safe_cell(term.explanation),
                "yes" if term.do_not_translate else "no",
                safe_cell(term.domain),
            ]
        )
    return csv_download(out.getvalue(), "glossary.csv")


def read_terms(text: str) -> tuple[list[dict], list[tuple[int, str]]]:
    """Rows of a glossary CSV, and (line, problem) for every row that cannot be used."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        headers = [name.strip().lower() for name in reader.fieldnames or []]
    except csv.Error as error:
        return [], [(1, _("This line cannot be read as CSV (%(value)s).", value=str(error)))]
    missing = [name for name in COLUMNS[:4] if name not in headers]
    if missing:
        return [], [(1, _("The file lacks the columns: %(columns)s.", columns=", ".join(missing)))]
    reader.fieldnames = headers
    rows, problems = [], []

    def unreadable(line: int, why: str) -> None:
        problems.append((line, _("This line cannot be read as CSV (%(value)s).", value=why)))

    for line, raw in numbered_rows(reader, unreadable):
        values = {key: (value or "").strip() for key, value in raw.items() if key}
        if values["language_a"] not in LANGUAGES or values["language_b"] not in LANGUAGES:
            problems.append((line, _("Use language codes like en or fr.")))
        elif values["language_a"] == values["language_b"]:
            problems.append((line, _("The two languages are the same.")))
        elif not values["term_a"] or len(values["term_a"]) > 200 or len(values["term_b"]) > 200:
            problems.append((line, _("The term is missing or longer than 200 characters.")))
        else:
            rows.append(values)
    if not rows and not problems:
        problems.append((1, _("The file has no terms.")))
    return rows, problems


@blueprint.route("/glossary/import", methods=["GET", "POST"])
@access.organiser_required
def import_terms() -> str | WerkzeugResponse | tuple[str, int]:
    form = GlossaryImportForm()
    problems: list[tuple[int, str]] = []
    if form.validate_on_submit():
        raw = form.terms.data.stream.read(1024 * 1024 + 1)
        if len(raw) > 1024 * 1024:
            problems = [(1, _("The file is larger than %(mb)s MB.", mb=1))]
        else:
            rows, problems = read_terms(raw.decode("utf-8-sig", errors="replace"))
            if not problems:
                for row in rows:
                    db.session.add(
                        GlossaryTerm(
                            language_a=row["language_a"],
                            term_a=row["term_a"],
                            language_b=row["language_b"],
                            term_b=row["term_b"],
                            explanation=row.get("explanation", "")[:2000],
                            do_not_translate=row.get("do_not_translate", "").lower()
                            in {"yes", "true", "1", "oui"},
                            domain=row.get("domain", "")[:100],
                        )
                    )
                db.session.commit()
                flash(
                    ngettext("%(num)s term imported.", "%(num)s terms imported.", len(rows)),
                    "success",
                )
                return redirect(url_for("glossary.glossary"))
    status = 400 if (form.errors or problems) else 200
    return render_template("translation/import.html", form=form, problems=problems), status
