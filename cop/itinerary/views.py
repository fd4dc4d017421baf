from __future__ import annotations

from datetime import date
from typing import Any

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
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from cop import access
from cop.accounts.logic import is_safe_redirect
from cop.calendars.ics import Participant, build_calendar
from cop.database import utcnow
from cop.directory.models import Person
from cop.extensions import db
from cop.formatting import (
    format_clock,
    format_full_day,
    format_moment,
    language_name,
    regional_locale,
    zone_city,
)
from cop.forms import EmptyForm, options
from cop.interpreting.bookings import (
    HOLDING,
    bookings_of_item,
    confirmed_interpreters,
    release_for_cancelled_item,
)
from cop.itinerary import changes, logic, stored
from cop.itinerary import day_sheet as day_sheet_logic
from cop.itinerary.forms import ItemForm
from cop.itinerary.models import ItineraryItem
from cop.itinerary.queries import (
    first_start,
    people_by_id,
    visitor_zones_of,
)
from cop.itinerary.stored import calendar_item, interpreting_line
from cop.links import LinkError, issue_link, live_link, revoke_links, token_for
from cop.mail import language_of, mail_person
from cop.stored_pages import stored_page
from cop.viewhelpers import (
    child_of_visit,
    commit_written,
    form_status,
    in_reader_language,
    link_problem_page,
    object_behind_link,
    with_form_token,
)
from cop.visits.models import Visit
from cop.visits.queries import members_of_visit

blueprint = Blueprint("itinerary", __name__)

FEED_PURPOSE = "calendar-feed"
NO_ONE = 0


def _members(visit: Visit) -> list:
    return list(db.session.scalars(members_of_visit(visit.id)).unique())


@blueprint.route("/visits/<int:visit_id>/itinerary")
@stored_page
@login_required
def itinerary(visit_id: int) -> str:
    visit = access.visit_for(visit_id)
    can_manage = access.can_manage_visit(current_user, visit)
    zones = db.session.scalars(visitor_zones_of(visit.id))
    visitor_zones = logic.home_zones(zones, visit.time_zone)
    visitor_zone = visitor_zones[0] if visitor_zones else None
    days = with_form_token(stored.days(visit, visitor_zone, can_manage))
    person = current_user.person
    viewer_zone = (
        person.organisation.time_zone if person is not None and person.organisation else None
    )
    if viewer_zone == visit.time_zone:
        viewer_zone = None
    first = db.session.scalar(first_start(visit.id))  # the offset of the visit's first day
    feed = live_link(FEED_PURPOSE, person.id, person.id) if person is not None else None
    return render_template(
        "itinerary/itinerary.html",
        visit=visit,
        days=days,
        visitor_zone=visitor_zone,
        viewer_zone=viewer_zone,
        viewer_offset=logic.offset_hours(first or utcnow(), visit.time_zone, viewer_zone)
        if viewer_zone
        else 0,
        can_manage=can_manage,
        feed_url=url_for(
            "itinerary.personal_feed",
            token=token_for(current_app.config["SECRET_KEY"], feed),
            _external=True,
        )
        if feed
        else None,
        has_person=person is not None,
        button_form=EmptyForm(),
        sheet_days=day_sheet_logic.days_of(
            db.session.execute(day_sheet_logic.days_with_items(visit.id, person.id)).all()
        )
        if person is not None
        else [],
    )


def _item_form(visit: Visit, members: list, item: ItineraryItem | None) -> ItemForm:
    form = ItemForm(obj=item)
    people = [(membership.person.id, membership.person.name) for membership in members]
    form.host_contact_id.choices = options([(NO_ONE, _("No one named")), *people])
    form.language.choices = options(
        (code, language_name(code)) for code in (visit.language_list or ["en"])
    )
    form.attendee_ids.choices = options(people)
    if request.method == "GET":
        if item is None:
            form.day.data = visit.start_date
            form.attendee_ids.data = [person_id for person_id, _name in people]
        else:
            starts = logic.in_zone(item.starts_at, item.time_zone)
            form.day.data = starts.date()
            form.starts.data = starts.time()
            form.ends.data = logic.in_zone(item.ends_at, item.time_zone).time()
            form.host_contact_id.data = item.host_contact_id or NO_ONE
            form.attendee_ids.data = [person.id for person in item.attendees]
    return form


def _save_item(form: ItemForm, visit: Visit, item: ItineraryItem) -> bool:
    try:
        starts_at = logic.to_utc(form.day.data, form.starts.data, visit.time_zone)
    except logic.NonexistentLocalTime:
        form.starts.errors = [_("This time does not exist on that day: the clocks go forward.")]
        return False
    try:
        ends_at = logic.to_utc(form.day.data, form.ends.data, visit.time_zone)
    except logic.NonexistentLocalTime:
        form.ends.errors = [_("This time does not exist on that day: the clocks go forward.")]
        return False
    if ends_at <= starts_at:
        form.ends.errors = [_("It must end after it starts")]
        return False
    attendees = people_by_id(db.session, form.attendee_ids.data or [])
    item.title = form.title.data
    item.starts_at, item.ends_at, item.time_zone = starts_at, ends_at, visit.time_zone
    item.place = form.place.data or ""
    item.address = form.address.data or ""
    item.travel_minutes = form.travel_minutes.data or 0
    item.host_contact_id = form.host_contact_id.data or None
    item.language = form.language.data
    item.needs_interpreter = form.needs_interpreter.data
    item.notes = form.notes.data or ""
    item.attendees = list(attendees.values())
    return True


@blueprint.route("/visits/<int:visit_id>/itinerary/new", methods=["GET", "POST"])
@login_required
def new_item(visit_id: int) -> str | WerkzeugResponse | tuple[str, int]:
    visit = access.visit_for(visit_id, manage=True)
    form = _item_form(visit, _members(visit), None)
    if form.validate_on_submit():
        item = ItineraryItem(visit_id=visit.id)
        if _save_item(form, visit, item):
            db.session.add(item)
            commit_written(item)
            flash(_("“%(title)s” has been added to the itinerary.", title=item.title), "success")
            return redirect(url_for("itinerary.itinerary", visit_id=visit.id))
        db.session.rollback()
    return render_template(
        "itinerary/item_form.html", form=form, visit=visit, item=None
    ), form_status(form)


def _item_of(visit: Visit, item_id: int) -> ItineraryItem:
    return child_of_visit(visit, ItineraryItem, item_id)


@blueprint.route("/visits/<int:visit_id>/itinerary/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def edit_item(visit_id: int, item_id: int) -> str | WerkzeugResponse | tuple[str, int]:
    visit = access.visit_for(visit_id, manage=True)
    item = _item_of(visit, item_id)
    form = _item_form(visit, _members(visit), item)
    if form.validate_on_submit():
        if _save_item(form, visit, item):
            item.touch()
            commit_written(item)
            flash(_("“%(title)s” has been saved.", title=item.title), "success")
            return redirect(url_for("itinerary.itinerary", visit_id=visit.id))
        db.session.rollback()
    return render_template(
        "itinerary/item_form.html", form=form, visit=visit, item=item
    ), form_status(form)


def _organizer() -> Participant:
    person = current_user.person
    if person is not None and person.email:
        return Participant(person.name, person.email)
    return Participant("cop", current_app.config["MAIL_SENDER"])


def _send_invitations(visit: Visit, item: ItineraryItem, method: str) -> int:
    organizer = _organizer()
    interpreters = confirmed_interpreters(db.session, [item.id]).get(item.id, [])
    sent = 0
    for person in item.attendees:
        if not person.email:
            continue
        with force_locale(regional_locale(language_of(person))):
            ics = build_calendar(
                [calendar_item(item, interpreters)],
                name=visit.title,
                method=method,
                organizer=organizer,
            )
        mail_person(
            person,
            "itinerary_cancelled" if method == "CANCEL" else "itinerary_invitation",
            attachments=[("invite.ics", "text/calendar", ics)],
            calendar_method=method,
            item=item,
            visit=visit,
            # Rendered in the person's language as the mail is queued.
            interpreting=lambda: interpreting_line(item, interpreters),
        )
        sent += 1
    # What they were told: later edits reach them together, as what changed since.
    changes.record_told(db.session, item, [p.id for p in item.attendees if p.email])
    return sent


@blueprint.route("/visits/<int:visit_id>/itinerary/<int:item_id>/invite", methods=["POST"])
@login_required
def invite(visit_id: int, item_id: int) -> WerkzeugResponse:
    visit = access.visit_for(visit_id, manage=True)
    item = _item_of(visit, item_id)
    if not EmptyForm().validate_on_submit() or item.cancelled:
        abort(400)
    count = _send_invitations(visit, item, "REQUEST")
    db.session.commit()
    flash(
        ngettext(
            "Invitation sent to %(num)s person.", "Invitations sent to %(num)s people.", count
        ),
        "success",
    )
    return redirect(url_for("itinerary.itinerary", visit_id=visit.id))


@blueprint.route("/visits/<int:visit_id>/itinerary/<int:item_id>/cancel", methods=["GET", "POST"])
@login_required
def cancel(visit_id: int, item_id: int) -> Any:
    """A confirmation page first: cancelling mails every attendee a cancellation."""
    visit = access.visit_for(visit_id, manage=True)
    item = _item_of(visit, item_id)
    if request.method == "GET":
        return render_template(
            "itinerary/cancel.html",
            visit=visit,
            item=item,
            told=[p for p in item.attendees if p.email],
            interpreters=[
                b.interpreter.person
                for b in bookings_of_item(db.session, item)
                if b.status in HOLDING
            ],
            form=EmptyForm(),
        )
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not item.cancelled:
        item.cancelled = True
        item.touch()
        _send_invitations(visit, item, "CANCEL")
        released = release_for_cancelled_item(db.session, item, utcnow(), _("Cancellation fee"))
        for booking, was_confirmed in released:
            terms = booking.engagement.terms if booking.engagement else []
            mail_person(
                booking.interpreter.person,
                "interpreter_released",
                booking=booking,
                visit=visit,
                terms_apply=was_confirmed and bool(terms),
            )
        db.session.commit()
    flash(_("“%(title)s” is cancelled; attendees have been told.", title=item.title), "success")
    return redirect(url_for("itinerary.itinerary", visit_id=visit.id))


def _ics_response(body: bytes, filename: str) -> Response:
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@blueprint.route("/visits/<int:visit_id>/itinerary.ics")
@stored_page
@login_required
def visit_calendar(visit_id: int) -> Response:
    visit = access.visit_for(visit_id)
    return _ics_response(stored.visit_calendar(visit), f"visit-{visit.id}.ics")


@blueprint.route("/calendar/<token>.ics")
def personal_feed(token: str) -> Response | tuple[str, int]:
    """A person's own feed, for calendar apps that subscribe without signing in."""
    from cop.directory.models import Person

    try:
        person = object_behind_link(FEED_PURPOSE, token, Person)
    except LinkError as error:
        return link_problem_page(error)
    body = stored.personal_feed(person)
    db.session.commit()
    return _ics_response(body, "cop.ics")


@blueprint.route("/calendar/link", methods=["POST"])
@login_required
def reset_feed_link() -> WerkzeugResponse:
    """Make (or replace) the personal feed link; the old one stops working at once."""
    if current_user.person_id is None or not EmptyForm().validate_on_submit():
        abort(400)
    revoke_links(FEED_PURPOSE, current_user.person_id)
    issue_link(
        current_app.config["SECRET_KEY"],
        FEED_PURPOSE,
        current_user.person_id,
        person_id=current_user.person_id,
    )
    db.session.commit()
    flash(_("Your calendar link is ready. Any earlier link no longer works."), "success")
    target = request.form.get("next", "")
    return redirect(target if is_safe_redirect(target) else url_for("accounts.profile"))


@blueprint.route("/visits/<int:visit_id>/day-sheets/<day>.pdf")
@login_required
def day_sheet(visit_id: int, day: str) -> Response:
    """One person's day as a PDF to print or keep offline: their own, or (for a lead) a
    member's chosen with ``?person=``."""
    visit = access.visit_for(visit_id)
    try:
        wanted = date.fromisoformat(day)
    except ValueError:
        abort(404)
    person = current_user.person
    asked = request.args.get("person", type=int)
    if asked is not None and (person is None or asked != person.id):
        if not access.can_manage_visit(current_user, visit):
            abort(403)
        person = db.session.get(Person, asked)
    if person is None:
        abort(404)
    items = day_sheet_logic.on_day(
        list(db.session.scalars(day_sheet_logic.items_of(visit.id, person.id)).unique()), wanted
    )
    if not items:
        abort(404)
    interpreters = confirmed_interpreters(db.session, [item.id for item in items])
    sheet = [
        day_sheet_logic.SheetItem(
            when=(
                f"{format_clock(item.starts_at, item.time_zone)}–"
                f"{format_clock(item.ends_at, item.time_zone)}"
            ),
            title=in_reader_language(item, "title").text,
            lines=(
                ", ".join(part for part in (item.place, item.address.replace("\n", ", ")) if part),
                _(
                    "Host contact: %(name)s %(email)s",
                    name=item.host_contact.name,
                    email=item.host_contact.email or "",
                )
                if item.host_contact
                else "",
                interpreting_line(item, interpreters.get(item.id, [])) or "",
                _(
                    "With: %(names)s",
                    names=", ".join(p.name for p in item.attendees if p.id != person.id),
                )
                if len(item.attendees) > 1
                else "",
                in_reader_language(item, "notes").text,
            ),
        )
        for item in items
    ]
    body = day_sheet_logic.render(
        in_reader_language(visit, "title").text,
        person.name,
        format_full_day(wanted),
        sheet,
        _(
            "Times are in %(city)s time. Printed %(moment)s; the itinerary in cop is the one "
            "that counts.",
            city=zone_city(visit.time_zone),
            moment=format_moment(utcnow(), visit.time_zone),
        ),
    )
    return Response(
        body,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="day-sheet-{visit.id}-{wanted}.pdf"'
        },
    )
