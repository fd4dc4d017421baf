"""The evaluation report of a visit as a page, a PDF, JSON and CSV; and visits compared across a
programme."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from flask import Blueprint, Response, abort, render_template
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select

from cop import access
from cop.evaluation import pdf, stored
from cop.evaluation.report import Report, rounded_figure
from cop.extensions import db
from cop.queue import queue_is_immediate, refresh_stored_soon
from cop.reflections.logic import code_name
from cop.spreadsheets import csv_text
from cop.stored_pages import stored_page
from cop.viewhelpers import csv_download
from cop.visits.models import Visit

blueprint = Blueprint("evaluation", __name__)


def _visit(visit_id: int) -> Visit:
    visit = db.get_or_404(Visit, visit_id)
    if not access.can_read_evaluation(current_user, visit):
        abort(403)
    return visit


@blueprint.route("/visits/<int:visit_id>/report")
@stored_page
@login_required
def visit_report(visit_id: int) -> str:
    visit = _visit(visit_id)
    page = stored.report_page(visit, stale_is_enough=not queue_is_immediate())
    if not page.fresh:
        refresh_stored_soon()
    # The body is HTML cop's own template rendered (and escaped) when it was computed.
    body = Markup(page.value)  # noqa: S704
    return render_template("evaluation/report.html", visit=visit, body=body, computed=page)


@blueprint.route("/visits/<int:visit_id>/report.pdf")
@login_required
def visit_report_pdf(visit_id: int) -> Response:
    visit = _visit(visit_id)
    network = stored.network_of(visit)
    body = pdf.render(
        stored.report_for(visit, network), str(get_locale()), stored.pictures_of(network)
    )
    return Response(
        body,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="evaluation-visit-{visit.id}.pdf"'},
    )


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value


def report_json(report: Report) -> dict:
    return {
        "visit": report.visit.title,
        "currency": report.currency,
        "figures": {key: _plain(value) for key, value in report.figures.as_json().items()},
        "sections": [
            {
                "key": section.key,
                "title": section.title,
                "question": section.question,
                "findings": section.findings,
                "quotes": [
                    {"theme": theme, "quote": quote, "who": who}
                    for theme, quote, who in section.quotes
                ],
                "tables": [
                    {
                        "key": table.key,
                        "title": table.title,
                        "columns": table.columns,
                        "rows": [[_plain(cell) for cell in row] for row in table.rows],
                    }
                    for table in section.tables
                ],
            }
            for section in [*report.sections, report.toolkit]
        ],
    }


@blueprint.route("/visits/<int:visit_id>/report.json")
@login_required
def visit_report_json(visit_id: int) -> Response:
    visit = _visit(visit_id)
    return Response(
        json.dumps(
            report_json(stored.report_for(visit)), ensure_ascii=False, indent=2, default=str
        ),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="evaluation-visit-{visit.id}.json"'},
    )


@blueprint.route("/visits/<int:visit_id>/report/<key>.csv")
@login_required
def visit_report_table(visit_id: int, key: str) -> Response:
    visit = _visit(visit_id)
    table = next((t for t in stored.report_for(visit).all_tables() if t.key == key), None)
    if table is None:
        abort(404)
    return csv_download(
        csv_text(table.columns, ([_plain(c) for c in row] for row in table.rows)),
        f"evaluation-visit-{visit.id}-{key}.csv",
    )


@blueprint.route("/programmes/<int:programme_id>/report")
@stored_page
@login_required
def programme_report(programme_id: int) -> str:
    programme = access.programme_for(programme_id)
    visits = db.session.scalars(
        select(Visit)
        .where(Visit.programme_id == programme.id, Visit.start_date.is_not(None))
        .order_by(Visit.start_date)
    ).all()
    rows = []
    for visit in visits:
        report = stored.report_for(visit)
        figures = report.figures
        density = next(
            (
                (i.before, i.after)
                for i in (figures.network.indicators if figures.network else [])
                if i.key == "density"
            ),
            (None, None),
        )
        themes = [code_name(c.code) for c in figures.themes if c.passages][:2]
        rows.append(
            {
                "visit": visit,
                "participants": figures.units.participants,
                "total_cost": figures.units.total,
                "implemented": figures.units.implemented_actions,
                "per_action": figures.units.per_implemented_action,
                "density_before": rounded_figure(density[0]),
                "density_after": rounded_figure(density[1]),
                "verdict": figures.network.conclusion if figures.network else None,
                "themes": ", ".join(themes),
            }
        )
    return render_template(
        "evaluation/programme.html",
        programme=programme,
        rows=rows,
        verdicts={
            "forming": _("forming"),
            "not_forming": _("not forming"),
            "mixed": _("mixed"),
            "too_small": _("too small to tell"),
        },
    )
