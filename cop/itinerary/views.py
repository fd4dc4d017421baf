from __future__ import annotations

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
from flask_babel import force_locale, get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from cop import access
from cop.accounts.logic import is_safe_redirect
from cop.calendars.ics import CalendarItem, Participant, build_calendar
from cop.computed import store
from cop.computed.changes import visit_scope
from cop.database import utcnow
from cop.extensions import db
from cop.formatting import language_name, regional_locale
from cop.forms import EmptyForm, options
from cop.interpreting.bookings import confirmed_interpreters
from cop.itinerary import logic
from cop.itinerary.forms import ItemForm
from cop.itinerary.models import ItineraryItem
from cop.itinerary.queries import (
    first_start,
    items_attended_by,
    items_of_visit,
    people_by_id,
    visitor_zones_of,
    visits_attended_by,
)
from cop.links import LinkError, issue_link, live_link, revoke_links, token_for
from cop.mail import language_of, mail_person
from cop.viewhelpers import (
    CSRF_MARK,
    child_of_visit,
    commit_written,
    form_status,
    in_reader_language,
    link_problem_page,
    object_behind_link,
    stored_fragment,
)
from cop.visits.models import Visit
from cop.visits.queries import members_of_visit

blueprint = Blueprint("itinerary", __name__)

FEED_PURPOSE = "calendar-feed"
NO_ONE = 0


def _members(visit: Visit) -> list:
    return list(db.session.scalars(members_of_visit(visit.id)).unique())


@blueprint.route("/visits/<int:visit_id>/itinerary")
@login_required
def itinerary(visit_id: int) -> str:
    visit = access.visit_for(visit_id)
    can_manage = access.can_manage_visit(current_user, visit)
    zones = db.session.scalars(visitor_zones_of(visit.id))
    visitor_zones = logic.home_zones(zones, visit.time_zone)
    visitor_zone = visitor_zones[0] if visitor_zones else None
    days = stored_fragment(
        f"itinerary:{visit.id}:{get_locale()}:{'manage' if can_manage else 'read'}:{visitor_zone}",
        [visit_scope(visit.id)],
        lambda: _itinerary_days(visit, visitor_zone, can_manage),
    )
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
    )


def _itinerary_days(visit: Visit, visitor_zone: str | None, can_manage: bool) -> str:
    """The itinerary's days as HTML: every item with its times in both zones, interpreting,
    attendees and the warnings of the plan (overlaps, travel, dates)."""
    items = list(db.session.scalars(items_of_visit(visit.id)).unique())
    warnings = logic.check_itinerary(
        (
            logic.Slot(
                item_id=item.id,
                title=item.title,
                starts_at=item.starts_at,
                ends_at=item.ends_at,
                place=item.place,
                travel_minutes=item.travel_minutes,
            )
            for item in items
            if not item.cancelled
        ),
        visit.time_zone,
        visit.start_date,
        visit.end_date,
    )
    warnings_by_item: dict[int, list[logic.ItineraryWarning]] = {}
    for warning in warnings:
        warnings_by_item.setdefault(warning.item_id, []).append(warning)
    return render_template(
        "itinerary/days.html",
        visit=visit,
        days=logic.group_by_local_day(items, visit.time_zone),
        titles={item.id: item.title for item in items},
        warnings_by_item=warnings_by_item,
        interpreters=confirmed_interpreters(db.session, [item.id for item in items]),
        interpreting_line=interpreting_line,
        visitor_zone=visitor_zone,
        can_manage=can_manage,
        csrf_mark=CSRF_MARK,
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


def interpreting_line(item: ItineraryItem, interpreters: list[str]) -> str | None:
    """What a calendar or an invitation says about interpreting: who is confirmed, or that one
    is still needed (never "booked" before someone has said yes)."""
    if interpreters:
        return ngettext(
            "Interpreter: %(names)s",
            "Interpreters: %(names)s",
            len(interpreters),
            names=", ".join(interpreters),
        )
    if item.needs_interpreter:
        return _("Interpreter needed: none confirmed yet.")
    return None


def item_description(item: ItineraryItem, interpreters: list[str]) -> str:
    """The text under an event in a calendar, in the current language."""
    lines = []
    if item.notes:
        lines.append(in_reader_language(item, "notes").text)
    lines.append(_("Language: %(language)s", language=language_name(item.language)))
    interpreting = interpreting_line(item, interpreters)
    if interpreting:
        lines.append(interpreting)
    if item.host_contact is not None:
        lines.append(_("Host contact: %(name)s", name=item.host_contact.name))
    return "\n".join(lines)


def calendar_item(item: ItineraryItem, interpreters: list[str]) -> CalendarItem:
    location = ", ".join(part for part in (item.place, item.address.replace("\n", ", ")) if part)
    return CalendarItem(
        uid=item.uid,
        sequence=item.sequence,
        title=in_reader_language(item, "title").text,
        starts_at=item.starts_at,
        ends_at=item.ends_at,
        time_zone=item.time_zone,
        updated_at=item.updated_at,
        location=location,
        description=item_description(item, interpreters),
        cancelled=item.cancelled,
        attendees=tuple(
            Participant(person.name, person.email) for person in item.attendees if person.email
        ),
    )


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
            form=EmptyForm(),
        )
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not item.cancelled:
        item.cancelled = True
        item.touch()
        _send_invitations(visit, item, "CANCEL")
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
@login_required
def visit_calendar(visit_id: int) -> Response:
    visit = access.visit_for(visit_id)

    def build() -> bytes:
        items = list(db.session.scalars(items_of_visit(visit.id)).unique())
        interpreters = confirmed_interpreters(db.session, [item.id for item in items])
        return build_calendar(
            (calendar_item(item, interpreters.get(item.id, [])) for item in items),
            name=visit.title,
        )

    body = store.fresh_or_computed(
        db.session, f"ics:{visit.id}:{get_locale()}", [visit_scope(visit.id)], build
    )
    return _ics_response(body, f"visit-{visit.id}.ics")


@blueprint.route("/calendar/<token>.ics")
def personal_feed(token: str) -> Response | tuple[str, int]:
    """A person's own feed, for calendar apps that subscribe without signing in."""
    from cop.directory.models import Person

    try:
        person = object_behind_link(FEED_PURPOSE, token, Person)
    except LinkError as error:
        return link_problem_page(error)
    language = regional_locale(language_of(person))

    def build() -> bytes:
        items = list(db.session.scalars(items_attended_by(person.id)).unique())
        interpreters = confirmed_interpreters(db.session, [item.id for item in items])
        with force_locale(language):
            return build_calendar(
                (calendar_item(item, interpreters.get(item.id, [])) for item in items),
                name=_("cop: my visits"),
            )

    # The feed changes with any visit the person attends an item of (being added to one
    # changes that visit, which then joins the list).
    visits = db.session.scalars(visits_attended_by(person.id))
    body = store.fresh_or_computed(
        db.session, f"feed:{person.id}:{language}", [visit_scope(v) for v in visits], build
    )
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
