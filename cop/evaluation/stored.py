"""The evaluation report's page, computed once and stored (cop.computed) for every reader who may
read it, until the visit's, its programme's or the contacts' data change; the workers compute it
again in the background (cop.jobs.refresh_stored), so a page view reads a stored result."""

from __future__ import annotations

from flask import render_template
from flask_babel import get_locale
from sqlalchemy import select

from cop.computed import store
from cop.computed.changes import CONTACTS, programme_scope, visit_scope
from cop.computed.models import StoredView
from cop.computed.store import Result
from cop.evaluation.report import Report, build
from cop.extensions import db
from cop.network.analysis import PERMUTATION_ROUNDS
from cop.network.loading import DEFAULT_SOURCES
from cop.network.stored import NetworkQuestion
from cop.planning.queries import cost_rows, effort_rows
from cop.viewhelpers import stored_network
from cop.visits.models import Visit

PAGE = "report-page:"


def scopes(visit: Visit) -> list[str]:
    return scopes_of(visit.id, visit.programme_id)


def scopes_of(visit_id: int, programme_id: int | None) -> list[str]:
    """A report shows its visit, the contacts and (through the network) its programme."""
    found = [visit_scope(visit_id), CONTACTS]
    if programme_id is not None:
        found.append(programme_scope(programme_id))
    return found


def key(visit_id: int, language: str) -> str:
    return f"{PAGE}{visit_id}:{language}"


def visit_of_key(stored_key: str) -> tuple[int, str]:
    visit_id, language = stored_key.removeprefix(PAGE).split(":", 1)
    return int(visit_id), language


def network_of(visit: Visit, rounds: int = PERMUTATION_ROUNDS) -> tuple[Result, dict] | None:
    """The programme's network around this visit, from the shared store (cop.network.stored)."""
    if visit.programme_id is None:
        return None
    return stored_network(
        NetworkQuestion(visit.programme_id, visit.id, DEFAULT_SOURCES, rounds=rounds)
    )


def report_for(visit: Visit, network: tuple[Result, dict] | None = None) -> Report:
    if network is None:
        network = network_of(visit)
    currency = visit.programme.reporting_currency if visit.programme else "GBP"
    report = build(
        db.session,
        visit,
        effort_rows(visit),
        cost_rows(visit),
        currency,
        network[0].value if network else None,
    )
    db.session.commit()  # a codebook seeded for the report stays
    return report


def pictures_of(network: tuple[Result, dict] | None) -> dict | None:
    """The network before and after the visit, pseudonymised, for the page and the PDF."""
    if network is None or network[0].value.windows is None:
        return None
    return network[1]


def render_body(visit: Visit) -> str:
    """The report's sections as HTML, in the language of the moment."""
    from cop.evaluation.charts import bar_chart_svg

    network = network_of(visit)
    return render_template(
        "evaluation/report_body.html",
        visit=visit,
        report=report_for(visit, network),
        pictures=pictures_of(network),
        bar_chart=bar_chart_svg,
    )


def report_page(visit: Visit, *, stale_is_enough: bool) -> store.Result:
    return store.stored_or_computed(
        db.session,
        key(visit.id, str(get_locale())),
        scopes(visit),
        lambda: render_body(visit),
        stale_is_enough=stale_is_enough,
    )


def stale_pages() -> list[tuple[int, str]]:
    """The visits and languages of the report pages stored before their data changed (the
    programmes of their visits read in one query)."""
    stored_visits = {
        visit_of_key(stored_key)[0]
        for stored_key in db.session.scalars(
            select(StoredView.key).where(StoredView.key.startswith(PAGE))
        )
    }
    programmes = dict(
        db.session.execute(
            select(Visit.id, Visit.programme_id).where(Visit.id.in_(stored_visits))
        ).all()
    )

    def scopes_of_key(stored_key: str) -> list[str]:
        visit_id = visit_of_key(stored_key)[0]
        if visit_id not in programmes:  # the visit is gone: never fresh, never computed
            return [visit_scope(0)]
        return scopes_of(visit_id, programmes[visit_id])

    return [visit_of_key(k) for k in store.stale_keys(db.session, PAGE, scopes_of_key)]
