"""The interpreters' directory, bookings for itinerary items, and what an interpreter sees through
their own link: their bookings to accept or decline, and the briefing pack of each visit."""

from __future__ import annotations

from datetime import date, datetime, time
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
from flask_babel import ngettext
from flask_login import current_user, login_required

from cop import access
from cop.database import utcnow
from cop.documents.models import VisitDocument
from cop.documents.storage import path_of
from cop.extensions import db
from cop.formatting import format_clock, language_name
from cop.forms import EmptyForm, options
from cop.interpreting import bookings as booking_logic
from cop.interpreting import engagements, logic, teams
from cop.interpreting.directory import directory_query
from cop.interpreting.engagements import local_day
from cop.interpreting.forms import (
    BookingForm,
    BookingStatusForm,
    DayBookingForm,
)
from cop.interpreting.models import (
    Booking,
    BookingStatus,
    Engagement,
    Interpreter,
    Mode,
)
from cop.itinerary.logic import NonexistentLocalTime, to_utc
from cop.itinerary.models import ItineraryItem
from cop.links import LinkError
from cop.mail import mail_person, site_url
from cop.stored_pages import stored_page
from cop.viewhelpers import (
    child_of_visit,
    folder_of,
    form_status,
    link_problem_page,
    mailed_link,
    object_behind_link,
    speak_to,
)
from cop.visits.models import Visit
from cop.visits.notices import tell_leads

blueprint = Blueprint("interpreting", __name__)

LINK_PURPOSE = booking_logic.LINK_PURPOSE


def problem_text(problem: logic.Problem) -> str:
    if problem.kind == "clash":
        return _("Already confirmed at the same time for “%(item)s”.", item=problem.other)
    if problem.kind == "unavailable":
        return _("Not available on these days (%(days)s).", days=problem.other)
    if problem.kind == "travel":
        return _(
            "%(minutes)s minutes short of the travel time from or to “%(item)s”.",
            minutes=problem.minutes,
            item=problem.other,
        )
    if problem.kind == "parallel":
        return _(
            "Runs at the same time as “%(item)s”: one interpreter cannot take both.",
            item=problem.other,
        )
    if problem.kind == "rest":
        return _(
            "Arrives %(rest)s before the first item; after such a journey they need %(needed)s "
            "of rest.",
            rest=duration_text(problem.minutes),
            needed=duration_text(problem.needed),
        )
    return _(
        "Simultaneous interpreting for %(minutes)s minutes needs a second interpreter.",
        minutes=problem.minutes,
    )


def duration_text(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return ngettext("%(num)d minute", "%(num)d minutes", rest)
    if not rest:
        return ngettext("%(num)d hour", "%(num)d hours", hours)
    return _("%(hours)s h %(minutes)02d", hours=hours, minutes=rest)


def refusal_text(problems: list[logic.Problem]) -> str:
    return " ".join(problem_text(p) for p in problems)


def _solo_limit() -> int:
    return current_app.config["INTERPRETING_SOLO_LIMIT_MINUTES"]


# Bookings


@blueprint.route(
    "/visits/<int:visit_id>/itinerary/<int:item_id>/interpreters", methods=["GET", "POST"]
)
@login_required
def book(visit_id: int, item_id: int) -> Any:
    visit = access.visit_for(visit_id, manage=True)
    item = child_of_visit(visit, ItineraryItem, item_id)
    candidates = booking_logic.candidates_for(db.session, visit, item)
    suitable = candidates.suitable
    form = BookingForm()
    form.interpreter_id.choices = options(
        (i.id, i.person.name + ("" if i in suitable else " " + _("(no matching language pair)")))
        for i in candidates.all
    )
    form.mode.choices = options(Mode.choices())
    if request.method == "GET":
        form.cancellation.data = terms_text(default_terms())
    warnings: list[str] = []
    if form.validate_on_submit():
        engagement, warnings = _engage_from(form, visit, candidates.all, [item])
        if engagement is not None:
            return _engaged(engagement)
    bookings = booking_logic.bookings_of_item(db.session, item)
    return render_template(
        "interpreting/book.html",
        visit=visit,
        item=item,
        form=form,
        suitable=suitable,
        bookings=bookings,
        warnings=warnings,
        day=local_day(item),
        format_pairs=lambda interpreter: logic.format_pairs(
            [(p.source, p.target) for p in interpreter.pairs]
        ),
    ), form_status(form)


def default_terms() -> list[teams.CancellationTerm]:
    return teams.parse_terms(current_app.config["INTERPRETING_CANCELLATION_TERMS"])


def terms_text(terms: list[teams.CancellationTerm]) -> str:
    return ", ".join(
        ngettext(
            "%(num)d day: %(percent)s %%", "%(num)d days: %(percent)s %%", t.days, percent=t.percent
        )
        for t in terms
    )


def _arrival(form: BookingForm, zone: str) -> datetime | None:
    if form.arrival_day.data is None:
        return None
    return to_utc(form.arrival_day.data, form.arrival_time.data or time(0, 0), zone)


def _engage_from(
    form: BookingForm, visit: Visit, candidates: list[Interpreter], items: list[ItineraryItem]
) -> tuple[Engagement | None, list[str]]:
    """Engage the chosen interpreter for the items when nothing refuses it and any warnings
    are accepted; else the form carries the errors and the warnings come back to show."""
    chosen = next(c for c in candidates if c.id == form.interpreter_id.data)
    mode = Mode(form.mode.data)
    try:
        arrives_at = _arrival(form, visit.time_zone)
    except NonexistentLocalTime:
        form.arrival_time.errors = [_("The clocks skip this time on that day: choose another")]
        return None, []
    journey = int((form.journey_hours.data or 0) * 60)
    problems = engagements.engagement_problems(
        db.session, chosen, items, mode, _solo_limit(), arrives_at, journey
    )
    several = len(items) > 1

    def worded(item: ItineraryItem, problem: logic.Problem) -> str:
        text = problem_text(problem)
        return f"{item.title}: {text}" if several else text

    refusing = [worded(item, p) for item, p in problems if p.refuses]
    warnings = [worded(item, p) for item, p in problems if not p.refuses]
    if refusing:
        form.interpreter_id.errors = refusing
        return None, warnings
    if warnings and not form.accept_warnings.data:
        form.accept_warnings.errors = [_("Read the warnings, then tick the box to book anyway.")]
        return None, warnings
    engagement = engagements.engage(
        db.session,
        visit,
        chosen,
        items,
        mode,
        teams.parse_terms(form.cancellation.data or ""),
        arrives_at=arrives_at,
        journey_minutes=journey,
        warnings="\n".join(warnings),
        note=form.note.data or "",
    )
    return engagement, warnings


def _engaged(engagement: Engagement) -> Any:
    """One mail for the whole engagement, then back to the visit's interpreting."""
    interpreter = engagement.interpreter
    # One item keeps the mail that names it; several are listed in one.
    _tell_interpreter(
        interpreter,
        "interpreter_request" if len(engagement.bookings) == 1 else "interpreter_engagement",
        engagement=engagement,
        booking=engagement.bookings[0],
        visit=engagement.visit,
        terms=engagement.terms,
    )
    db.session.commit()
    flash(
        ngettext(
            "%(name)s has been asked for %(num)d item; the booking waits for their answer.",
            "%(name)s has been asked for %(num)d items in one request; the bookings wait for "
            "their answer.",
            len(engagement.bookings),
            name=interpreter.person.name,
        ),
        "success",
    )
    return redirect(url_for("interpreting.visit_bookings", visit_id=engagement.visit_id))


@blueprint.route("/visits/<int:visit_id>/interpreting/days/<day>", methods=["GET", "POST"])
@stored_page
@login_required
def day(visit_id: int, day: str) -> Any:
    """A day of the itinerary as its interpreters see it: what each item needs and who is held
    for it, the team the day's simultaneous work needs, parallel items, relay, rest after
    travel; and booking one interpreter for the whole day or several of its items at once."""
    visit = access.visit_for(visit_id)
    try:
        on = date.fromisoformat(day)
    except ValueError:
        abort(404)
    found = engagements.day_of_visit(db.session, visit, on, _solo_limit())
    if not found.items:
        abort(404)
    can_manage = access.can_manage_visit(current_user, visit)
    form = None
    warnings: list[str] = []
    if can_manage:
        form = DayBookingForm()
        everyone = list(db.session.scalars(directory_query([], None)))
        form.interpreter_id.choices = options((i.id, i.person.name) for i in everyone)
        form.mode.choices = options(Mode.choices())
        form.items.choices = options(
            (
                item.id,
                f"{format_clock(item.starts_at, item.time_zone)}–"
                f"{format_clock(item.ends_at, item.time_zone)} {item.title}",
            )
            for item in found.items
        )
        if request.method == "GET":
            form.cancellation.data = terms_text(default_terms())
            form.items.data = [item.id for item in found.needing]
        elif form.validate_on_submit():
            chosen_items = [item for item in found.items if item.id in set(form.items.data)]
            engagement, warnings = _engage_from(form, visit, everyone, chosen_items)
            if engagement is not None:
                return _engaged(engagement)
    elif request.method == "POST":
        abort(403)
    days = engagements.interpreting_days(db.session, visit)
    return render_template(
        "interpreting/day.html",
        visit=visit,
        found=found,
        form=form,
        warnings=warnings,
        days=days,
        finding_text=finding_text,
        format_pairs=lambda interpreter: logic.format_pairs(
            [(p.source, p.target) for p in interpreter.pairs]
        ),
    ), (form_status(form) if form is not None else 200)


def finding_text(finding: teams.Finding) -> str:
    items = ", ".join(f"“{title}”" for title in finding.items)
    if finding.kind == "team":
        return ngettext(
            "The day has %(length)s of simultaneous interpreting: AIIC’s guidance asks for a team "
            "of %(needed)s; %(num)d interpreter is asked.",
            "The day has %(length)s of simultaneous interpreting: AIIC’s guidance asks for a team "
            "of %(needed)s; %(num)d interpreters are asked.",
            finding.booked,
            length=duration_text(finding.minutes),
            needed=finding.needed,
        )
    if finding.kind == "alone":
        return ngettext(
            "%(items)s: %(length)s of simultaneous interpreting needs %(needed)s interpreters "
            "taking turns; %(num)d is asked.",
            "%(items)s: %(length)s of simultaneous interpreting needs %(needed)s interpreters "
            "taking turns; %(num)d are asked.",
            finding.booked,
            items=items,
            length=duration_text(finding.minutes),
            needed=finding.needed,
        )
    if finding.kind == "parallel":
        text = _("%(items)s run at the same time: each needs its own interpreter.", items=items)
        if finding.names:
            text += " " + _(
                "Asked for more than one of them: %(names)s.", names=", ".join(finding.names)
            )
        return text
    if finding.kind == "relay":
        return _(
            "%(items)s: from %(source)s into %(target)s only through %(pivot)s (relay, which AIIC "
            "advises against): ask someone who works directly from one into the other.",
            items=items,
            source=language_name(finding.source),
            target=language_name(finding.target),
            pivot=language_name(finding.pivot),
        )
    if finding.kind == "uncovered":
        return _(
            "%(items)s: no one asked works from %(source)s into %(target)s.",
            items=items,
            source=language_name(finding.source),
            target=language_name(finding.target),
        )
    return _(
        "%(names)s arrives %(rest)s before their first item; after their journey they need "
        "%(needed)s of rest.",
        names=", ".join(finding.names),
        rest=duration_text(finding.minutes),
        needed=duration_text(finding.needed),
    )


def _tell_interpreter(interpreter: Interpreter, template: str, **context: Any) -> None:
    """Mail the interpreter in their language, with the link to answer (issued if needed)."""
    mail_person(
        interpreter.person,
        template,
        link=mailed_link(
            LINK_PURPOSE, interpreter.id, interpreter.person_id, "interpreting.linked"
        ),
        **context,
    )


@blueprint.route("/visits/<int:visit_id>/interpreting")
@stored_page
@login_required
def visit_bookings(visit_id: int) -> str:
    visit = access.visit_for(visit_id)
    found = booking_logic.bookings_of_visit(db.session, visit)
    status_form = BookingStatusForm()
    status_form.status.choices = options(
        (s.value, s.label) for s in BookingStatus if s is not BookingStatus.REQUESTED
    )
    return render_template(
        "interpreting/visit_bookings.html",
        visit=visit,
        bookings=found.bookings,
        unbooked=found.unbooked,
        can_manage=access.can_manage_visit(current_user, visit),
        # Estimates are the visitors' costs: not shown to hosts unless a lead shares them.
        show_costs=access.can_see_planning(current_user, visit),
        status_form=status_form,
        interpreters=found.interpreters,
        days=engagements.interpreting_days(db.session, visit),
        engaged=engagements.engagements_of_visit(db.session, visit),
        terms_text=terms_text,
    )


def change_status(booking: Booking, status: BookingStatus) -> str:
    """Move a booking on; returns "" or, worded, why it cannot."""
    refusing = booking_logic.change_status(
        db.session, booking, status, _solo_limit(), utcnow(), _("Cancellation fee")
    )
    return refusal_text(refusing)


@blueprint.route("/visits/<int:visit_id>/bookings/<int:booking_id>", methods=["POST"])
@login_required
def set_status(visit_id: int, booking_id: int) -> Any:
    visit = access.visit_for(visit_id, manage=True)
    booking = db.session.get(Booking, booking_id)
    if booking is None or booking.item.visit_id != visit.id:
        abort(404)
    form = BookingStatusForm()
    form.status.choices = options((s.value, s.label) for s in BookingStatus)
    if not form.validate_on_submit() or form.status.data == BookingStatus.REQUESTED.value:
        abort(400)
    problem = change_status(booking, BookingStatus(form.status.data))
    if problem:
        db.session.rollback()
        flash(problem, "error")
        return visit_bookings(visit.id), 409
    db.session.commit()
    flash(_("The booking is now “%(status)s”.", status=booking.status.label), "success")
    return redirect(url_for("interpreting.visit_bookings", visit_id=visit.id))


# What the interpreter sees through their link


@blueprint.route("/interpreting/<token>", methods=["GET", "POST"])
def linked(token: str) -> Any:
    try:
        found = object_behind_link(LINK_PURPOSE, token, Interpreter)
    except LinkError as error:
        return link_problem_page(error)
    speak_to(found.person)
    status = 200
    if request.method == "POST" and request.form.get("engagement"):
        return _answer_engagement(found, token)
    if request.method == "POST":
        booking = db.session.get(Booking, request.form.get("booking", type=int) or 0)
        answer = _answer_given(
            found,
            booking.interpreter_id if booking else None,
            booking is not None and booking.status is BookingStatus.REQUESTED,
        )
        if booking is None or answer is None:
            flash(_("This booking cannot be answered any more."), "error")
            status = 400
        else:
            problem = change_status(booking, answer)
            if problem:
                db.session.rollback()
                flash(problem, "error")
                status = 409
            else:
                # The organisers hear at once, without watching the page.
                tell_leads(
                    db.session,
                    booking.item.visit,
                    "booking_answered",
                    booking=booking,
                    interpreter=found.person,
                    link=site_url("interpreting.visit_bookings", visit_id=booking.item.visit_id),
                )
                db.session.commit()
                flash(_("Thank you: your answer is recorded."), "success")
                return redirect(request.path)
    return _linked_page(found, token, status)


def _answer_given(found: Interpreter, owner_id: int | None, waiting: bool) -> BookingStatus | None:
    """The interpreter's answer, when the form is theirs to send: their own booking or request,
    still waiting, answered yes or no (the same check for one item and for a whole request)."""
    answer = request.form.get("answer")
    if (
        not EmptyForm().validate_on_submit()
        or owner_id != found.id
        or not waiting
        or answer not in ("confirmed", "declined")
    ):
        return None
    return BookingStatus(answer)


def _linked_page(found: Interpreter, token: str, status: int) -> Any:
    bookings = booking_logic.bookings_of_interpreter(db.session, found)
    return render_template(
        "interpreting/linked.html",
        interpreter=found,
        bookings=bookings,
        token=token,
        empty_form=EmptyForm(),
        visits=sorted({b.item.visit for b in bookings}, key=lambda v: v.id),
        waiting=[
            e
            for e in {b.engagement for b in bookings if b.engagement is not None}
            if len(e.bookings) > 1 and engagements.waiting(e)
        ],
        terms_text=terms_text,
    ), status


def _answer_engagement(found: Interpreter, token: str) -> Any:
    """The interpreter answers every waiting item of one request at once: all are confirmed,
    or none when one now clashes with other work."""
    engagement = db.session.get(Engagement, request.form.get("engagement", type=int) or 0)
    answer = _answer_given(
        found,
        engagement.interpreter_id if engagement else None,
        engagement is not None and engagements.waiting(engagement),
    )
    if engagement is None or answer is None:
        flash(_("This booking cannot be answered any more."), "error")
        return _linked_page(found, token, 400)
    refused = engagements.answer_engagement(db.session, engagement, answer, _solo_limit(), utcnow())
    if refused:
        db.session.rollback()
        flash(
            " ".join(f"{booking.item.title}: {problem_text(p)}" for booking, p in refused),
            "error",
        )
        return _linked_page(found, token, 409)
    answered = [b for b in engagement.bookings if b.answered_at is not None]
    tell_leads(
        db.session,
        engagement.visit,
        "engagement_answered",
        engagement=engagement,
        answer=answer.value,
        bookings=answered,
        interpreter=found.person,
        link=site_url("interpreting.visit_bookings", visit_id=engagement.visit_id),
    )
    db.session.commit()
    flash(_("Thank you: your answer is recorded."), "success")
    return redirect(request.path)


@blueprint.route("/visits/<int:visit_id>/briefing/<int:interpreter_id>")
@stored_page
@login_required
def briefing(visit_id: int, interpreter_id: int) -> str:
    visit = access.visit_for(visit_id)
    found = db.get_or_404(Interpreter, interpreter_id)
    if not (
        access.can_manage_visit(current_user, visit) or current_user.person_id == found.person_id
    ):
        abort(403)
    return render_template(
        "interpreting/briefing.html",
        printable=request.args.get("print") == "1",
        document_url=lambda d: url_for("documents.download", visit_id=visit.id, document_id=d.id),
        **vars(booking_logic.briefing_for(db.session, visit, found)),
    )


@blueprint.route("/interpreting/<token>/briefing/<int:visit_id>")
def linked_briefing(token: str, visit_id: int) -> Any:
    try:
        found = object_behind_link(LINK_PURPOSE, token, Interpreter)
    except LinkError as error:
        return link_problem_page(error)
    speak_to(found.person)
    visit = db.get_or_404(Visit, visit_id)
    if not booking_logic.booked_on(db.session, found, visit):
        abort(404)
    return render_template(
        "interpreting/briefing.html",
        printable=request.args.get("print") == "1",
        token=token,
        document_url=lambda d: url_for(
            "interpreting.linked_document", token=token, visit_id=visit.id, document_id=d.id
        ),
        **vars(booking_logic.briefing_for(db.session, visit, found)),
    )


@blueprint.route("/interpreting/<token>/briefing/<int:visit_id>/documents/<int:document_id>")
def linked_document(token: str, visit_id: int, document_id: int) -> Any:
    try:
        found = object_behind_link(LINK_PURPOSE, token, Interpreter)
    except LinkError as error:
        return link_problem_page(error)
    visit = db.get_or_404(Visit, visit_id)
    document = db.session.get(VisitDocument, document_id)
    if (
        document is None
        or document.visit_id != visit.id
        or not booking_logic.booked_on(db.session, found, visit)
    ):
        abort(404)
    return send_file(
        path_of(folder_of(visit.id), document.stored_name),
        mimetype=document.content_type,
        as_attachment=True,
        download_name=document.filename,
    )
