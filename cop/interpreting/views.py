"""The interpreters' directory, bookings for itinerary items, and what an interpreter sees through
their own link: their bookings to accept or decline, and the briefing pack of each visit."""

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

from cop import access
from cop.database import utcnow
from cop.documents.models import VisitDocument
from cop.documents.storage import path_of
from cop.extensions import db
from cop.forms import EmptyForm, options
from cop.interpreting import bookings as booking_logic
from cop.interpreting import logic
from cop.interpreting.forms import (
    BookingForm,
    BookingStatusForm,
)
from cop.interpreting.models import (
    Booking,
    BookingStatus,
    Interpreter,
    Mode,
)
from cop.itinerary.models import ItineraryItem
from cop.links import LinkError
from cop.mail import mail_person, site_url
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
    return _(
        "Simultaneous interpreting for %(minutes)s minutes needs a second interpreter.",
        minutes=problem.minutes,
    )


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
    problems: list = []
    if form.validate_on_submit():
        chosen = next(c for c in candidates.all if c.id == form.interpreter_id.data)
        mode = Mode(form.mode.data)
        problems = booking_logic.problems_for(db.session, chosen, item, mode, _solo_limit())
        refusing = [p for p in problems if p.refuses]
        if refusing:
            form.interpreter_id.errors = [problem_text(p) for p in refusing]
        elif problems and not form.accept_warnings.data:
            form.accept_warnings.errors = [
                _("Read the warnings, then tick the box to book anyway.")
            ]
        else:
            booking = booking_logic.request_booking(
                db.session,
                chosen,
                item,
                mode,
                warnings="\n".join(problem_text(p) for p in problems),
                note=form.note.data or "",
            )
            _tell_interpreter(chosen, "interpreter_request", booking=booking, visit=visit)
            db.session.commit()
            flash(
                _(
                    "%(name)s has been asked; the booking waits for their answer.",
                    name=chosen.person.name,
                ),
                "success",
            )
            return redirect(url_for("interpreting.visit_bookings", visit_id=visit.id))
    bookings = booking_logic.bookings_of_item(db.session, item)
    return render_template(
        "interpreting/book.html",
        visit=visit,
        item=item,
        form=form,
        suitable=suitable,
        bookings=bookings,
        warnings=[problem_text(p) for p in problems if not p.refuses],
        format_pairs=lambda interpreter: logic.format_pairs(
            [(p.source, p.target) for p in interpreter.pairs]
        ),
    ), form_status(form)


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
    )


def change_status(booking: Booking, status: BookingStatus) -> str:
    """Move a booking on; returns "" or, worded, why it cannot."""
    refusing = booking_logic.change_status(db.session, booking, status, _solo_limit(), utcnow())
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
    if request.method == "POST":
        booking = db.session.get(Booking, request.form.get("booking", type=int) or 0)
        answer = request.form.get("answer")
        if (
            not EmptyForm().validate_on_submit()
            or booking is None
            or booking.interpreter_id != found.id
            or answer not in ("confirmed", "declined")
            or booking.status is not BookingStatus.REQUESTED
        ):
            flash(_("This booking cannot be answered any more."), "error")
            status = 400
        else:
            problem = change_status(booking, BookingStatus(answer))
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
    bookings = booking_logic.bookings_of_interpreter(db.session, found)
    return render_template(
        "interpreting/linked.html",
        interpreter=found,
        bookings=bookings,
        token=token,
        empty_form=EmptyForm(),
        visits=sorted({b.item.visit for b in bookings}, key=lambda v: v.id),
    ), status


@blueprint.route("/visits/<int:visit_id>/briefing/<int:interpreter_id>")
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
