"""The interpreters' directory, bookings for itinerary items, and what an interpreter sees through
their own link: their bookings to accept or decline, and the briefing pack of each visit."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
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
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response as WerkzeugResponse

from cop import access
from cop.database import utcnow
from cop.directory.models import Person
from cop.documents.models import VisitDocument
from cop.documents.storage import path_of
from cop.documents.views import folder_of
from cop.extensions import db
from cop.formatting import language_name
from cop.forms import EmptyForm, options
from cop.interpreting import logic
from cop.interpreting.forms import (
    BookingForm,
    BookingStatusForm,
    InterpreterForm,
    UnavailableForm,
)
from cop.interpreting.models import (
    Booking,
    BookingStatus,
    Interpreter,
    Knowledge,
    LanguagePair,
    Mode,
    Unavailability,
)
from cop.itinerary.logic import in_zone
from cop.itinerary.models import ItineraryItem
from cop.links import LinkError, issue_link, revoke_links
from cop.mail import language_of, mail_person, site_url
from cop.planning.models import Cost, CostCategory
from cop.translation.models import GlossaryTerm
from cop.viewhelpers import (
    child_of_visit,
    form_status,
    link_problem_page,
    mailed_link,
    object_behind_link,
    paginate,
    speak_to,
)
from cop.visits.models import Membership, MembershipRole, Visit

blueprint = Blueprint("interpreting", __name__)

LINK_PURPOSE = "interpreter"


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


def slot_of(item: ItineraryItem) -> logic.Slot:
    return logic.Slot(
        item_id=item.id,
        title=item.title,
        starts_at=item.starts_at,
        ends_at=item.ends_at,
        time_zone=item.time_zone,
        place=item.place,
        travel_minutes=item.travel_minutes,
    )


def problems_for(interpreter: Interpreter, item: ItineraryItem, mode: Mode) -> list:
    """Step one in SQL (confirmed bookings within a day of the item), step two in Python."""
    window = timedelta(days=1)
    nearby = db.session.scalars(
        select(ItineraryItem)
        .join(Booking, Booking.item_id == ItineraryItem.id)
        .where(
            Booking.interpreter_id == interpreter.id,
            Booking.status == BookingStatus.CONFIRMED,
            ItineraryItem.cancelled.is_(False),
            ItineraryItem.starts_at < item.ends_at + window,
            ItineraryItem.ends_at > item.starts_at - window,
        )
    ).all()
    colleagues = db.session.scalar(
        select(db.func.count(Booking.id)).where(
            Booking.item_id == item.id,
            Booking.interpreter_id != interpreter.id,
            Booking.mode == Mode.SIMULTANEOUS,
            Booking.status.in_((BookingStatus.REQUESTED, BookingStatus.CONFIRMED)),
        )
    )
    return logic.booking_problems(
        slot_of(item),
        [slot_of(other) for other in nearby],
        [(u.first_day, u.last_day) for u in interpreter.unavailable],
        mode is Mode.SIMULTANEOUS,
        current_app.config["INTERPRETING_SOLO_LIMIT_MINUTES"],
        colleagues or 0,
    )


# The directory


@blueprint.route("/interpreters")
@access.organiser_required
def interpreters() -> str:
    pair = request.args.get("pair", "").strip()
    knowledge = request.args.get("knowledge", "")
    query = (
        select(Interpreter)
        .join(Person, Person.id == Interpreter.person_id)
        .options(selectinload(Interpreter.pairs), selectinload(Interpreter.person))
        .order_by(Person.name)
    )
    problem = ""
    if pair:
        try:
            wanted = logic.parse_pairs(pair)
        except ValueError:
            wanted, problem = [], _("Write a language pair like fr>en or fr<>en.")
        for source, target in wanted:
            query = query.where(
                Interpreter.id.in_(
                    select(LanguagePair.interpreter_id).where(
                        LanguagePair.source == source, LanguagePair.target == target
                    )
                )
            )
    if knowledge in {k.value for k in Knowledge}:
        query = query.where(Interpreter.knowledge.contains(knowledge))
    return render_template(
        "interpreting/interpreters.html",
        page=paginate(query),
        pair=pair,
        knowledge=knowledge,
        knowledge_choices=Knowledge.choices(),
        problem=problem,
        format_pairs=lambda interpreter: logic.format_pairs(
            [(p.source, p.target) for p in interpreter.pairs]
        ),
    ), (400 if problem else 200)


def _prepare(form: InterpreterForm) -> None:
    form.language.choices = options(
        (code, language_name(code)) for code in current_app.config["LANGUAGES"]
    )
    form.modes.choices = options(Mode.choices())
    form.knowledge.choices = options(Knowledge.choices())


def _save(form: InterpreterForm, interpreter: Interpreter | None) -> Interpreter | None:
    try:
        pairs = logic.parse_pairs(form.pairs.data)
    except ValueError as error:
        form.pairs.errors = [
            _("“%(pair)s” is not a language pair like fr>en or fr<>en.", pair=str(error))
        ]
        return None
    email = form.email.data.strip().lower()
    person = interpreter.person if interpreter else None
    if person is None:
        person = db.session.scalar(select(Person).where(Person.email == email))
        if person is not None and db.session.scalar(
            select(Interpreter.id).where(Interpreter.person_id == person.id)
        ):
            form.email.errors = [_("This person is already in the interpreters’ directory.")]
            return None
    if person is None:
        person = Person(name=form.name.data.strip(), email=email)
        db.session.add(person)
    elif email != person.email and db.session.scalar(
        select(Person.id).where(Person.email == email, Person.id != person.id)
    ):
        form.email.errors = [_("Someone else in the directory has this email address.")]
        return None
    name = form.name.data.strip()
    changes_identity = person.id is not None and (name, email) != (person.name, person.email)
    if changes_identity and not access.can_edit_person(current_user, person):
        # The same rule as the directory's: an account holder's name and address are theirs.
        form.email.errors = [
            _(
                "Only %(name)s or an administrator can change their name or email address.",
                name=person.name,
            )
        ]
        return None
    person.name, person.email = name, email
    person.preferred_language = form.language.data
    if interpreter is None:
        interpreter = Interpreter(person=person)
        db.session.add(interpreter)
    interpreter.modes = ",".join(form.modes.data or [Mode.CONSECUTIVE.value])
    interpreter.knowledge = ",".join(form.knowledge.data or [])
    interpreter.day_rate = form.day_rate.data
    interpreter.half_day_rate = form.half_day_rate.data
    interpreter.currency = form.currency.data.strip().upper()
    interpreter.notes = (form.notes.data or "").strip()
    # Keep the pairs that stay (replacing them all would insert a pair before deleting its
    # twin, which the one-row-per-pair rule refuses), drop the others, add the new ones.
    wanted = set(pairs)
    kept = [pair for pair in interpreter.pairs if (pair.source, pair.target) in wanted]
    have = {(pair.source, pair.target) for pair in kept}
    interpreter.pairs = [
        *kept,
        *(LanguagePair(source=s, target=t) for s, t in pairs if (s, t) not in have),
    ]
    db.session.commit()
    return interpreter


@blueprint.route("/interpreters/new", methods=["GET", "POST"])
@access.organiser_required
def new_interpreter() -> Any:
    form = InterpreterForm()
    _prepare(form)
    if request.method == "GET":
        form.language.data = "fr"
    if form.validate_on_submit() and (saved := _save(form, None)) is not None:
        flash(_("%(name)s is in the interpreters’ directory.", name=saved.person.name), "success")
        return redirect(url_for("interpreting.interpreter", interpreter_id=saved.id))
    status = 400 if form.errors else 200
    return render_template(
        "interpreting/interpreter_form.html", form=form, interpreter=None
    ), status


@blueprint.route("/interpreters/<int:interpreter_id>", methods=["GET", "POST"])
@access.organiser_required
def interpreter(interpreter_id: int) -> Any:
    found = db.get_or_404(Interpreter, interpreter_id)
    form = InterpreterForm() if request.method == "POST" else _filled_form(found)
    _prepare(form)
    if form.validate_on_submit() and _save(form, found) is not None:
        flash(_("The interpreter’s details are saved."), "success")
        return redirect(url_for("interpreting.interpreter", interpreter_id=found.id))
    return _interpreter_page(found, form, UnavailableForm(formdata=None)), form_status(form)


def _filled_form(found: Interpreter) -> InterpreterForm:
    form = InterpreterForm(
        formdata=None,
        name=found.person.name,
        email=found.person.email,
        language=language_of(found.person),
        pairs=logic.format_pairs([(p.source, p.target) for p in found.pairs]),
        modes=[m.value for m in found.mode_list],
        knowledge=[k.value for k in found.knowledge_list],
        day_rate=found.day_rate,
        half_day_rate=found.half_day_rate,
        currency=found.currency,
        notes=found.notes,
    )
    _prepare(form)
    return form


def _interpreter_page(
    found: Interpreter, form: InterpreterForm, unavailable_form: UnavailableForm
) -> str:
    bookings = db.session.scalars(
        select(Booking)
        .where(Booking.interpreter_id == found.id)
        .options(selectinload(Booking.item).selectinload(ItineraryItem.visit))
        .join(ItineraryItem, ItineraryItem.id == Booking.item_id)
        .order_by(ItineraryItem.starts_at.desc())
    ).all()
    return render_template(
        "interpreting/interpreter_form.html",
        form=form,
        interpreter=found,
        bookings=bookings,
        unavailable_form=unavailable_form,
        empty_form=EmptyForm(),
    )


@blueprint.route("/interpreters/<int:interpreter_id>/unavailable", methods=["POST"])
@access.organiser_required
def add_unavailable(interpreter_id: int) -> Any:
    found = db.get_or_404(Interpreter, interpreter_id)
    form = UnavailableForm()
    if form.validate_on_submit():
        if form.last_day.data < form.first_day.data:
            form.last_day.errors = [_("The last day must not be before the first.")]
        else:
            found.unavailable.append(
                Unavailability(
                    first_day=form.first_day.data,
                    last_day=form.last_day.data,
                    note=(form.note.data or "").strip(),
                )
            )
            db.session.commit()
            flash(_("The days are marked as unavailable."), "success")
            return redirect(url_for("interpreting.interpreter", interpreter_id=found.id))
    for errors in form.errors.values():
        for message in errors:
            flash(str(message), "error")
    return _interpreter_page(found, _filled_form(found), form), 400


@blueprint.route(
    "/interpreters/<int:interpreter_id>/unavailable/<int:unavailable_id>/delete", methods=["POST"]
)
@access.organiser_required
def remove_unavailable(interpreter_id: int, unavailable_id: int) -> WerkzeugResponse:
    found = db.get_or_404(Interpreter, interpreter_id)
    entry = db.session.get(Unavailability, unavailable_id)
    if entry is None or entry.interpreter_id != found.id:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    db.session.delete(entry)
    db.session.commit()
    return redirect(url_for("interpreting.interpreter", interpreter_id=found.id))


@blueprint.route("/interpreters/<int:interpreter_id>/link", methods=["POST"])
@access.organiser_required
def send_link(interpreter_id: int) -> WerkzeugResponse:
    """Send the interpreter a new link to their bookings; any older link stops working."""
    found = db.get_or_404(Interpreter, interpreter_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    revoke_links(LINK_PURPOSE, found.id)
    issued = issue_link(
        current_app.config["SECRET_KEY"], LINK_PURPOSE, found.id, person_id=found.person_id
    )
    mail_person(
        found.person,
        "interpreter_link",
        link=site_url("interpreting.linked", token=issued.token),
    )
    db.session.commit()
    flash(_("A new link has been sent; the old one no longer works."), "success")
    return redirect(url_for("interpreting.interpreter", interpreter_id=found.id))


# Bookings


@blueprint.route(
    "/visits/<int:visit_id>/itinerary/<int:item_id>/interpreters", methods=["GET", "POST"]
)
@login_required
def book(visit_id: int, item_id: int) -> Any:
    visit = access.visit_for(visit_id, manage=True)
    item = child_of_visit(visit, ItineraryItem, item_id)
    candidates = db.session.scalars(
        select(Interpreter)
        .join(Person, Person.id == Interpreter.person_id)
        .options(
            selectinload(Interpreter.pairs),
            selectinload(Interpreter.person),
            selectinload(Interpreter.unavailable),
        )
        .order_by(Person.name)
    ).all()
    other_languages = [code for code in visit.language_list if code != item.language]
    suitable = [
        interpreter
        for interpreter in candidates
        if any(
            (p.source == item.language and p.target in other_languages)
            or (p.target == item.language and p.source in other_languages)
            for p in interpreter.pairs
        )
    ]
    form = BookingForm()
    form.interpreter_id.choices = options(
        (i.id, i.person.name + ("" if i in suitable else " " + _("(no matching language pair)")))
        for i in [*suitable, *[c for c in candidates if c not in suitable]]
    )
    form.mode.choices = options(Mode.choices())
    problems: list = []
    if form.validate_on_submit():
        chosen = next(c for c in candidates if c.id == form.interpreter_id.data)
        mode = Mode(form.mode.data)
        problems = problems_for(chosen, item, mode)
        refusing = [p for p in problems if p.refuses]
        if refusing:
            form.interpreter_id.errors = [problem_text(p) for p in refusing]
        elif problems and not form.accept_warnings.data:
            form.accept_warnings.errors = [
                _("Read the warnings, then tick the box to book anyway.")
            ]
        else:
            booking = Booking(
                interpreter_id=chosen.id,
                item_id=item.id,
                mode=mode,
                estimate=logic.estimate(slot_of(item), chosen.day_rate, chosen.half_day_rate),
                currency=chosen.currency,
                warnings="\n".join(problem_text(p) for p in problems),
                note=(form.note.data or "").strip(),
            )
            db.session.add(booking)
            db.session.flush()
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
    bookings = db.session.scalars(
        select(Booking)
        .where(Booking.item_id == item.id)
        .options(selectinload(Booking.interpreter).selectinload(Interpreter.person))
    ).all()
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
    bookings = db.session.scalars(
        select(Booking)
        .join(ItineraryItem, ItineraryItem.id == Booking.item_id)
        .where(ItineraryItem.visit_id == visit.id)
        .options(
            selectinload(Booking.item),
            selectinload(Booking.interpreter).selectinload(Interpreter.person),
        )
        .order_by(ItineraryItem.starts_at, Booking.id)
    ).all()
    items = db.session.scalars(
        select(ItineraryItem)
        .where(ItineraryItem.visit_id == visit.id, ItineraryItem.cancelled.is_(False))
        .order_by(ItineraryItem.starts_at)
    ).all()
    booked = {b.item_id for b in bookings if b.status is not BookingStatus.CANCELLED}
    status_form = BookingStatusForm()
    status_form.status.choices = options(
        (s.value, s.label) for s in BookingStatus if s is not BookingStatus.REQUESTED
    )
    return render_template(
        "interpreting/visit_bookings.html",
        visit=visit,
        bookings=bookings,
        unbooked=[i for i in items if i.needs_interpreter and i.id not in booked],
        can_manage=access.can_manage_visit(current_user, visit),
        # Estimates are the visitors' costs: not shown to hosts unless a lead shares them.
        show_costs=access.can_see_planning(current_user, visit),
        status_form=status_form,
        interpreters={b.interpreter for b in bookings if b.status is not BookingStatus.CANCELLED},
    )


def change_status(booking: Booking, status: BookingStatus) -> str:
    """Move a booking on; returns "" or why it cannot. Confirming checks clashes again and puts
    the estimate into the visit's costs; declining or cancelling takes it out."""
    item = booking.item
    if status is BookingStatus.CONFIRMED:
        refusing = [p for p in problems_for(booking.interpreter, item, booking.mode) if p.refuses]
        if refusing:
            return " ".join(problem_text(p) for p in refusing)
        if booking.cost_id is None and booking.estimate is not None:
            cost = Cost(
                visit_id=item.visit_id,
                day=in_zone(item.starts_at, item.time_zone).date(),
                category=CostCategory.INTERPRETING,
                description=f"{booking.interpreter.person.name}: {item.title}",
                amount=booking.estimate,
                currency=booking.currency,
                rate=_known_rate(item.visit, booking.currency),
                paid_by="",
            )
            db.session.add(cost)
            db.session.flush()
            booking.cost_id = cost.id
    elif booking.cost_id is not None:
        cost = db.session.get(Cost, booking.cost_id)
        if cost is not None:
            db.session.delete(cost)
        booking.cost_id = None
    booking.status = status
    booking.answered_at = utcnow()
    return ""


def _known_rate(visit: Visit, currency: str) -> Decimal:
    """The rate to the programme's currency last used for this currency in the visit's costs."""
    reporting = visit.programme.reporting_currency if visit.programme else currency
    if currency == reporting:
        return Decimal(1)
    rate = db.session.scalar(
        select(Cost.rate)
        .where(Cost.visit_id == visit.id, Cost.currency == currency)
        .order_by(Cost.id.desc())
        .limit(1)
    )
    return rate if rate is not None else Decimal(1)


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
                db.session.commit()
                flash(_("Thank you: your answer is recorded."), "success")
                return redirect(request.path)
    bookings = db.session.scalars(
        select(Booking)
        .where(Booking.interpreter_id == found.id)
        .join(ItineraryItem, ItineraryItem.id == Booking.item_id)
        .options(selectinload(Booking.item).selectinload(ItineraryItem.visit))
        .order_by(ItineraryItem.starts_at)
    ).all()
    return render_template(
        "interpreting/linked.html",
        interpreter=found,
        bookings=bookings,
        token=token,
        empty_form=EmptyForm(),
        visits=sorted({b.item.visit for b in bookings}, key=lambda v: v.id),
    ), status


def briefing_context(visit: Visit, interpreter: Interpreter) -> dict:
    """The briefing pack: the interpreter's items, who is who, the organisations explained, the
    glossary terms that matter for this visit, the documents, a confidentiality note."""
    items = db.session.scalars(
        select(ItineraryItem)
        .join(Booking, Booking.item_id == ItineraryItem.id)
        .where(
            ItineraryItem.visit_id == visit.id,
            Booking.interpreter_id == interpreter.id,
            Booking.status.in_((BookingStatus.REQUESTED, BookingStatus.CONFIRMED)),
        )
        .options(selectinload(ItineraryItem.host_contact))
        .order_by(ItineraryItem.starts_at)
    ).all()
    members = db.session.scalars(
        select(Membership)
        .where(Membership.visit_id == visit.id, Membership.role != MembershipRole.INTERPRETER)
        .options(selectinload(Membership.person).selectinload(Person.organisation))
    ).all()
    people = sorted((m.person for m in members), key=lambda p: (p.organisation_id or 0, p.name))
    organisations = sorted(
        {p.organisation for p in people if p.organisation is not None}, key=lambda o: o.name
    )
    text = " ".join([visit.objective, *(i.title for i in items), *(i.notes for i in items)]).lower()
    terms = [
        term
        for term in db.session.scalars(
            select(GlossaryTerm)
            .where(or_(GlossaryTerm.visit_id.is_(None), GlossaryTerm.visit_id == visit.id))
            .order_by(GlossaryTerm.term_a)
        )
        # The visit's own terms, and the general ones its agenda uses.
        if term.visit_id == visit.id
        or logic.term_used(term.term_a, text)
        or (term.term_b and logic.term_used(term.term_b, text))
        or term.domain.lower() in ("participatory budgeting", "local government")
    ]
    documents = db.session.scalars(
        select(VisitDocument)
        .where(VisitDocument.visit_id == visit.id)
        .order_by(VisitDocument.title)
    ).all()
    return {
        "visit": visit,
        "interpreter": interpreter,
        "items": items,
        "people": people,
        "organisations": organisations,
        "terms": terms,
        "documents": documents,
    }


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
        **briefing_context(visit, found),
    )


@blueprint.route("/interpreting/<token>/briefing/<int:visit_id>")
def linked_briefing(token: str, visit_id: int) -> Any:
    try:
        found = object_behind_link(LINK_PURPOSE, token, Interpreter)
    except LinkError as error:
        return link_problem_page(error)
    speak_to(found.person)
    visit = db.get_or_404(Visit, visit_id)
    if not _booked_on(found, visit):
        abort(404)
    return render_template(
        "interpreting/briefing.html",
        printable=request.args.get("print") == "1",
        token=token,
        document_url=lambda d: url_for(
            "interpreting.linked_document", token=token, visit_id=visit.id, document_id=d.id
        ),
        **briefing_context(visit, found),
    )


def _booked_on(interpreter: Interpreter, visit: Visit) -> bool:
    return (
        db.session.scalar(
            select(Booking.id)
            .join(ItineraryItem, ItineraryItem.id == Booking.item_id)
            .where(
                Booking.interpreter_id == interpreter.id,
                ItineraryItem.visit_id == visit.id,
                Booking.status.in_((BookingStatus.REQUESTED, BookingStatus.CONFIRMED)),
            )
            .limit(1)
        )
        is not None
    )


@blueprint.route("/interpreting/<token>/briefing/<int:visit_id>/documents/<int:document_id>")
def linked_document(token: str, visit_id: int, document_id: int) -> Any:
    try:
        found = object_behind_link(LINK_PURPOSE, token, Interpreter)
    except LinkError as error:
        return link_problem_page(error)
    visit = db.get_or_404(Visit, visit_id)
    document = db.session.get(VisitDocument, document_id)
    if document is None or document.visit_id != visit.id or not _booked_on(found, visit):
        abort(404)
    return send_file(
        path_of(folder_of(visit.id), document.stored_name),
        mimetype=document.content_type,
        as_attachment=True,
        download_name=document.filename,
    )
