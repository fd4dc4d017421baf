from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import Select, select
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms.fields.choices import SelectChoice

from cop import access
from cop.database import matches_text
from cop.extensions import db
from cop.formatting import country_name, language_name
from cop.forms import options
from cop.spreadsheets import numbered_rows, safe_cell
from cop.stored_pages import stored_page
from cop.translation.forms import GlossaryImportForm, TermForm
from cop.translation.models import GlossaryTerm
from cop.translation.scopes import EVERYWHERE, Scope
from cop.viewhelpers import csv_download, form_status, paginate, search_text
from cop.visits.models import Programme, Visit

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
    "applies_to",
)


@blueprint.route("/glossary")
@stored_page
@login_required
def glossary() -> str:
    text = search_text()
    query = _visible_terms().order_by(GlossaryTerm.term_a)
    if text.strip():
        query = query.where(
            matches_text(text, GlossaryTerm.term_a, GlossaryTerm.term_b, GlossaryTerm.explanation)
        )
    page = paginate(query)
    return render_template(
        "translation/glossary.html",
        scope_names=_scope_names(page.items),
        page=page,
        q=text,
        can_organise=access.can_organise(current_user),
    )


def _visible_terms() -> Select:
    """Every term but those of visits the reader may not open."""
    visible = select(Visit.id).where(access.visible_visits_filter(current_user))
    return select(GlossaryTerm).where(
        GlossaryTerm.visit_id.is_(None) | GlossaryTerm.visit_id.in_(visible)
    )


def _scope_names(terms: list[GlossaryTerm]) -> dict[int, str]:
    """Where each term holds, in words."""
    programme_ids = {t.programme_id for t in terms if t.programme_id is not None}
    visit_ids = {t.visit_id for t in terms if t.visit_id is not None}
    programmes = dict(
        db.session.execute(
            select(Programme.id, Programme.name).where(Programme.id.in_(programme_ids))
        ).all()
    )
    visits = dict(
        db.session.execute(select(Visit.id, Visit.title).where(Visit.id.in_(visit_ids))).all()
    )
    names = {}
    for term in terms:
        if term.visit_id is not None:
            names[term.id] = _("This visit only: %(title)s", title=visits.get(term.visit_id, ""))
        elif term.programme_id is not None:
            names[term.id] = _(
                "Visits of the programme %(name)s", name=programmes.get(term.programme_id, "")
            )
        elif term.host_city:
            names[term.id] = _city_name(term.host_city, term.host_country)
        else:
            names[term.id] = _("Every visit")
    return names


def _city_name(city: str, country: str) -> str:
    return _("Visits to %(city)s (%(country)s)", city=city, country=country_name(country))


def _scope_choices() -> list[SelectChoice]:
    """Every scope the organiser may give a term: the installation, any programme, the host
    cities of the visits they see, and those visits."""
    choices = [SelectChoice(EVERYWHERE, _("Every visit"))]
    group = _("A programme")
    for programme_id, name in db.session.execute(
        select(Programme.id, Programme.name).order_by(Programme.name)
    ):
        choices.append(SelectChoice(Scope(programme_id=programme_id).key, name, optgroup=group))
    visits = db.session.execute(
        select(Visit.id, Visit.title, Visit.host_city, Visit.host_country)
        .where(access.visible_visits_filter(current_user))
        .order_by(Visit.title)
    ).all()
    cities = sorted(
        {(v.host_city.strip(), (v.host_country or "").upper()) for v in visits if v.host_city}
    )
    group = _("A host city")
    for city, country in cities:
        scope = Scope(host_city=city, host_country=country)
        choices.append(SelectChoice(scope.key, _city_name(city, country), optgroup=group))
    group = _("One visit")
    for visit in visits:
        choices.append(SelectChoice(Scope(visit_id=visit.id).key, visit.title, optgroup=group))
    return choices


@blueprint.route("/glossary/new", methods=["GET", "POST"])
@access.organiser_required
def new_term() -> str | WerkzeugResponse | tuple[str, int]:
    form = TermForm()
    choices = options((code, language_name(code)) for code in LANGUAGES)
    form.language_a.choices, form.language_b.choices = choices, list(choices)
    form.applies_to.choices = _scope_choices()
    if request.method == "GET":
        form.language_a.data, form.language_b.data = "fr", "en"
    if form.validate_on_submit():
        if form.language_a.data == form.language_b.data:
            form.language_b.errors = [_("Choose a different language from the term’s")]
        else:
            term = GlossaryTerm(
                language_a=form.language_a.data,
                term_a=form.term_a.data,
                language_b=form.language_b.data,
                term_b=form.term_b.data or "",
                explanation=form.explanation.data or "",
                do_not_translate=form.do_not_translate.data,
                domain=form.domain.data or "",
            )
            # The choice is one of the offered scopes (the field checks), so it reads.
            Scope.parse(form.applies_to.data).apply(term)
            db.session.add(term)
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
    for term in db.session.scalars(_visible_terms().order_by(GlossaryTerm.term_a)):
        writer.writerow(
            [
                term.language_a,
                safe_cell(term.term_a),
                term.language_b,
                safe_cell(term.term_b),
                safe_cell(term.explanation),
                "yes" if term.do_not_translate else "no",
                safe_cell(term.domain),
                safe_cell(Scope.of(term).key),
            ]
        )
    return csv_download(out.getvalue(), "glossary.csv")


def read_terms(text: str, scopes: set[str]) -> tuple[list[dict], list[tuple[int, str]]]:
    """Rows of a glossary CSV, and (line, problem) for every row that cannot be used; a row's
    ``applies_to`` must be one of ``scopes`` (empty means every visit)."""
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
        elif values.get("applies_to", "") not in scopes:
            problems.append(
                (
                    line,
                    _(
                        "“%(value)s” is not a scope you may use: write all, programme:<number>, "
                        "city:<country code>:<city> or visit:<number>.",
                        value=values.get("applies_to", ""),
                    ),
                )
            )
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
            allowed = {"", *(choice.value for choice in _scope_choices())}
            rows, problems = read_terms(raw.decode("utf-8-sig", errors="replace"), allowed)
            if not problems:
                for row in rows:
                    term = GlossaryTerm(
                        language_a=row["language_a"],
                        term_a=row["term_a"],
                        language_b=row["language_b"],
                        term_b=row["term_b"],
                        explanation=row.get("explanation", "")[:2000],
                        do_not_translate=row.get("do_not_translate", "").lower()
                        in {"yes", "true", "1", "oui"},
                        domain=row.get("domain", "")[:100],
                    )
                    Scope.parse(row.get("applies_to", "")).apply(term)
                    db.session.add(term)
                db.session.commit()
                flash(
                    ngettext("%(num)s term imported.", "%(num)s terms imported.", len(rows)),
                    "success",
                )
                return redirect(url_for("glossary.glossary"))
    status = 400 if (form.errors or problems) else 200
    return render_template("translation/import.html", form=form, problems=problems), status
