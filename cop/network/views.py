from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from cop import access
from cop.database import latest_today, utcnow
from cop.directory.models import Person
from cop.extensions import db
from cop.forms import options
from cop.network import export, panel, stored
from cop.network.analysis import build_graph
from cop.network.forms import ContactForm, ContactImportForm
from cop.network.importing import contacts_for_programme, save_contacts
from cop.network.loading import (
    ALL_SOURCES,
    DEFAULT_SOURCES,
    Windows,
    load_scope,
    programme_organisations,
    windows_around,
)
from cop.network.models import Channel, Contact, SurveyWave, TieSource
from cop.network.report import graph_in
from cop.pseudonyms import pseudonym
from cop.stored_pages import stored_page
from cop.viewhelpers import form_status, offer_people, stored_network
from cop.visits.models import Membership, Programme, Visit

blueprint = Blueprint("network", __name__)

NO_VISIT = 0


@blueprint.route("/contacts/new", methods=["GET", "POST"])
@login_required
def log_contact() -> str | WerkzeugResponse | tuple[str, int]:
    if current_user.person_id is None:
        abort(403)
    form = ContactForm()
    form.channel.choices = options(Channel.choices())
    form.started.choices = options(
        [("me", _("I did")), ("them", _("They did")), ("both", _("Both of us / a meeting"))]
    )
    my_visits = db.session.execute(
        select(Visit.id, Visit.title)
        .join(Membership, Membership.visit_id == Visit.id)
        .where(Membership.person_id == current_user.person_id)
        .order_by(Visit.start_date.desc().nulls_first())
    )
    form.visit_id.choices = options(
        [(NO_VISIT, _("No visit")), *((row.id, row.title) for row in my_visits)]
    )
    me = current_user.person_id
    co_members = select(Membership.person_id).where(
        Membership.visit_id.in_(select(Membership.visit_id).where(Membership.person_id == me))
    )
    others = select(Person).where(Person.id != me)
    picker = offer_people(
        form.to_person_id,
        others,
        # Before a search: the people of one's own visits, whom one most likely met.
        unsearched=others.where(Person.id.in_(co_members)),
        chosen=[request.args.get("with", 0, type=int)] if request.args.get("with") else [],
    )
    if request.method == "GET":
        form.visit_id.data = request.args.get("visit", NO_VISIT, type=int)
        form.day.data = utcnow().date()
    if form.validate_on_submit():
        other = db.session.get(Person, form.to_person_id.data)
        if other is not None:
            them = other.id
            source, target = (them, me) if form.started.data == "them" else (me, them)
            db.session.add(
                Contact(
                    from_person_id=source,
                    to_person_id=target,
                    day=form.day.data,
                    channel=Channel(form.channel.data),
                    topic=form.topic.data or "",
                    mutual=form.started.data == "both",
                    source=TieSource.LOGGED,
                    visit_id=form.visit_id.data or None,
                    logged_by_id=me,
                )
            )
            db.session.commit()
            flash(_("Your contact with %(name)s is logged.", name=other.name), "success")
            return redirect(url_for("network.log_contact"))
    return render_template("network/log_contact.html", form=form, picker=picker), form_status(form)


IMPORT_PROBLEMS = {
    "missing_columns": lambda value: _("The file lacks the columns: %(columns)s.", columns=value),
    "bad_email": lambda value: _("“%(value)s” is not an email address.", value=value),
    "unknown_person": lambda value: _(
        "No one in the directory has the address %(value)s.", value=value
    ),
    "bad_date": lambda value: _("“%(value)s” is not a date like 2017-03-06.", value=value),
    "future_date": lambda value: _(
        "%(value)s is in the future: a contact is recorded once it has happened.", value=value
    ),
    "bad_channel": lambda value: _(
        "“%(value)s” is not a channel (email, phone, video, meeting, event, social, other).",
        value=value,
    ),
    "same_person": lambda value: _("Both ends are the same person (%(value)s).", value=value),
    "name_needed": lambda value: _(
        "A name is needed to add %(value)s to the directory.", value=value
    ),
    "too_many_rows": lambda value: _("The file has more than %(value)s rows.", value=value),
    "no_rows": lambda value: _("The file has no contacts."),
    "unreadable": lambda value: _("This line cannot be read as CSV (%(value)s).", value=value),
    "outside_programme": lambda value: _(
        "%(value)s is not in this programme’s visits: contacts of other programmes are not "
        "imported here.",
        value=value,
    ),
}


@blueprint.route("/programmes/<int:programme_id>/contacts/import", methods=["GET", "POST"])
@login_required
def import_contacts(programme_id: int) -> str | WerkzeugResponse | tuple[str, int]:
    programme = db.get_or_404(Programme, programme_id)
    if not access.can_import_contacts(current_user, programme.id):
        abort(403)
    form = ContactImportForm()
    problems = []
    if form.validate_on_submit():
        raw = form.contacts.data.stream.read(5 * 1024 * 1024 + 1)
        if len(raw) > 5 * 1024 * 1024:
            form.contacts.errors = [_("The file is larger than %(mb)s MB.", mb=5)]
        else:
            text = raw.decode("utf-8-sig", errors="replace")
            rows, known, found = contacts_for_programme(
                db.session, text, programme.id, form.create_people.data, latest_today()
            )
            problems = [(p.line, IMPORT_PROBLEMS[p.reason](p.value)) for p in found]
            if not problems:
                added = save_contacts(db.session, rows, known, current_user.person_id)
                db.session.commit()
                flash(
                    ngettext("%(num)s contact imported.", "%(num)s contacts imported.", added),
                    "success",
                )
                return redirect(url_for("network.import_contacts", programme_id=programme.id))
    status = 400 if (form.errors or problems) else 200
    return render_template(
        "network/import.html", form=form, problems=problems, programme=programme
    ), status


def _sources() -> tuple[str, ...]:
    chosen = tuple(s for s in request.args.getlist("ties") if s in ALL_SOURCES)
    return chosen or DEFAULT_SOURCES


@blueprint.route("/programmes/<int:programme_id>/network")
@stored_page
@login_required
def network(programme_id: int) -> str:
    programme = access.programme_for(programme_id)
    custom, window_problem = custom_windows(request.args.get("visit", type=int))
    organisations = db.session.execute(programme_organisations(programme.id)).all()
    chosen = tuple(
        sorted(
            {o for o in request.args.getlist("organisation", type=int)}
            & {o.id for o in organisations}
        )
    )
    question = stored.NetworkQuestion(
        programme.id,
        request.args.get("visit", type=int),
        _sources(),
        request.args.get("people") == "visit",
        custom,
        chosen,
    )
    computed, pictures = stored_network(question)
    report = computed.value
    visits = db.session.execute(
        select(Visit.id, Visit.title)
        .where(Visit.programme_id == programme.id, Visit.start_date.is_not(None))
        .order_by(Visit.start_date)
    ).all()
    return render_template(
        "network/network.html",
        programme=programme,
        can_import=access.can_import_contacts(current_user, programme.id),
        can_research=access.researches_programme(current_user, programme.id),
        report=report,
        visits=visits,
        sources=_sources(),
        all_sources=list(TieSource),
        formats=export.FORMATS,
        pictures=pictures,
        only_visit=question.only_visit_people,
        custom=custom,
        computed=computed,
        window_problem=window_problem,
        organisations=organisations,
        chosen_organisations=chosen,
        args=request.args,
        waves=db.session.scalars(
            select(SurveyWave)
            .where(SurveyWave.programme_id == programme.id)
            .order_by(SurveyWave.asked_on)
        ).all(),
    )


def custom_windows(visit_id: int | None) -> tuple[Windows | None, bool]:
    """Windows typed by the researcher (all four days), and whether what was typed was wrong."""
    names = ("before_from", "before_to", "after_from", "after_to")
    raw = [request.args.get(name, "").strip() for name in names]
    if not any(raw):
        return None, False
    try:
        days = [date.fromisoformat(value) for value in raw]
    except ValueError:
        return None, True
    if days[1] < days[0] or days[3] < days[2]:
        return None, True
    return Windows((days[0], days[1]), (days[2], days[3]), visit_id), False


@blueprint.route("/programmes/<int:programme_id>/network.<kind>")
@login_required
def network_export(programme_id: int, kind: str) -> Response:
    programme = access.programme_for(programme_id)
    if kind not in export.FORMATS:
        abort(404)
    scope = load_scope(db.session, programme.id, _sources())
    which = request.args.get("window", "all")
    windows = windows_around(db.session, programme.id, request.args.get("visit", type=int))
    if which in ("before", "after") and windows is not None:
        graph = graph_in(scope, *getattr(windows, which))
    else:
        graph = build_graph(scope.people, scope.ties)
    secret = current_app.config["SECRET_KEY"]
    body = export.render(
        export.pseudonymised(graph, lambda person_id: pseudonym(secret, person_id)), kind
    )
    mimetype, extension = export.FORMATS[kind]
    filename = f"programme-{programme.id}-{which}.{extension}"
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@blueprint.route("/programmes/<int:programme_id>/network-panel.zip")
@login_required
def network_panel(programme_id: int) -> Response:
    """Panel data for RSiena: a matrix per survey wave (or per window, without two waves),
    organisation and country covariates, pseudonymised."""
    programme = access.programme_for(programme_id)
    scope = load_scope(db.session, programme.id, _sources())
    ids = {person.id for person in scope.people}
    observations = panel.survey_observations(db.session, programme.id, ids)
    if len(observations) < 2:
        windows = windows_around(db.session, programme.id, request.args.get("visit", type=int))
        if windows is None:
            abort(404)
        observations = [
            panel.window_observation(scope, "before", *windows.before),
            panel.window_observation(scope, "after", *windows.after),
        ]
    secret = current_app.config["SECRET_KEY"]
    body = panel.panel_zip(
        scope.people, observations, lambda person_id: pseudonym(secret, person_id), utcnow().date()
    )
    return Response(
        body,
        mimetype="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="programme-{programme.id}-panel.zip"'
        },
    )
