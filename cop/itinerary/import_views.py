"""The two steps of importing a host's agenda: a preview, then applying exactly what was shown."""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from cop import access
from cop.calendars.ics_import import (
    MAX_BYTES,
    CalendarRefused,
    LeftOut,
    PlannedChange,
    parse_agenda,
    plan_changes,
)
from cop.extensions import db
from cop.itinerary.forms import AgendaImportForm, ApplyImportForm
from cop.itinerary.models import ItineraryItem
from cop.privatefiles import remove_older_than, write_private
from cop.viewhelpers import commit_written
from cop.visits.models import Visit
from cop.visits.queries import members_of_visit

blueprint = Blueprint("agenda_import", __name__)


def refusal_message(refusal: CalendarRefused) -> str:
    messages = {
        "too_large": _("The file is larger than %(mb)s MB.", mb=MAX_BYTES // (1024 * 1024)),
        "empty": _("The file is empty."),
        "not_calendar": _("This is not a calendar file (.ics) that can be read."),
        "bare_component": _(
            "The file holds a single %(part)s without the calendar around it. Export the whole "
            "calendar.",
            part=refusal.detail,
        ),
        "no_events": _("The calendar has no events."),
        "too_many_events": _(
            "The calendar has %(count)s events: too many for one visit.",
            count=refusal.detail,
        ),
        "unknown_timezone": _(
            "The time zone “%(zone)s” is not known. Ask for the file with standard time zone "
            "names (like Europe/Paris).",
            zone=refusal.detail,
        ),
    }
    return messages.get(refusal.reason, messages["not_calendar"])


def left_out_message(left: LeftOut) -> str:
    """Why one event of the file is not imported, naming it and, where one is at fault, the
    property and its value as the file has them."""
    reasons = {
        "missing_start": _("it has no start"),
        "missing_uid": _("it has no UID, so later changes could not be matched"),
        "ends_before_start": _("it ends before it starts"),
        "unknown_timezone": _("its time zone “%(zone)s” is not known", zone=left.detail),
        "bad_value": _("a value cannot be read: %(value)s", value=left.detail),
        "bad_rule": _("its repetition cannot be read: %(value)s", value=left.detail),
        "repeats_without_dates": _(
            "it repeats, and repeating events are added within the visit’s dates, which are "
            "not agreed yet"
        ),
    }
    return _("“%(event)s”: %(reason)s.", event=left.event, reason=reasons[left.reason])


# An uploaded agenda waits this long for the lead to apply it, then it is removed.
PREVIEW_MAX_AGE = 60 * 60


def _uploads() -> Path:
    return Path(current_app.instance_path) / "imports"


def _existing(visit: Visit) -> dict[str, dict]:
    rows = db.session.execute(
        select(
            ItineraryItem.id,
            ItineraryItem.uid,
            ItineraryItem.title,
            ItineraryItem.starts_at,
            ItineraryItem.ends_at,
            ItineraryItem.place,
            ItineraryItem.cancelled,
        ).where(ItineraryItem.visit_id == visit.id)
    )
    return {row.uid: row._asdict() for row in rows}


def _plan(visit: Visit, data: bytes) -> tuple[list[PlannedChange], list[LeftOut]]:
    days = (visit.start_date, visit.end_date) if visit.start_date and visit.end_date else None
    agenda = parse_agenda(data, visit.time_zone, days)
    return plan_changes(agenda.events, _existing(visit)), agenda.left_out


@blueprint.route("/visits/<int:visit_id>/itinerary/import", methods=["GET", "POST"])
@login_required
def upload(visit_id: int) -> str | tuple[str, int]:
    visit = access.visit_for(visit_id, manage=True)
    form = AgendaImportForm()
    if form.validate_on_submit():
        data = form.agenda.data.stream.read(MAX_BYTES + 1)
        try:
            changes, left_out = _plan(visit, data)
        except CalendarRefused as refusal:
            form.agenda.errors = [refusal_message(refusal)]
        else:
            token = secrets.token_hex(16)
            # Previews nobody applied are not kept: the agenda may name people.
            remove_older_than(_uploads(), PREVIEW_MAX_AGE)
            write_private(_uploads() / f"{visit.id}-{token}.ics", data)
            apply_form = ApplyImportForm(upload=token)
            return render_template(
                "itinerary/import.html",
                visit=visit,
                form=form,
                changes=changes,
                left_out=[left_out_message(left) for left in left_out],
                apply_form=apply_form,
            )
    return render_template(
        "itinerary/import.html", visit=visit, form=form, changes=None, left_out=[], apply_form=None
    ), (400 if form.errors else 200)


@blueprint.route("/visits/<int:visit_id>/itinerary/import/apply", methods=["POST"])
@login_required
def apply(visit_id: int) -> Response:
    visit = access.visit_for(visit_id, manage=True)
    form = ApplyImportForm()
    if not form.validate_on_submit():
        abort(400)
    remove_older_than(_uploads(), PREVIEW_MAX_AGE)
    path = _uploads() / f"{visit.id}-{form.upload.data}.ics"
    if not path.exists():
        flash(
            _("That import has already been applied or has expired. Upload the file again."),
            "error",
        )
        return redirect(url_for("agenda_import.upload", visit_id=visit.id))
    try:
        changes, _left_out = _plan(visit, path.read_bytes())
    except CalendarRefused:
        abort(400)
    attendees = [
        membership.person for membership in db.session.scalars(members_of_visit(visit.id)).unique()
    ]
    items = {
        item.id: item
        for item in db.session.scalars(
            select(ItineraryItem).where(
                ItineraryItem.id.in_([c.item_id for c in changes if c.item_id])
            )
        )
    }
    added = changed = 0
    # A host's agenda is written in the host's language, the visit's last.
    agenda_language = (visit.language_list or ["en"])[-1]
    written = []
    for change in changes:
        event = change.event
        if change.kind == "new":
            item = ItineraryItem(
                visit_id=visit.id,
                uid=event.uid,
                title=event.title,
                starts_at=event.starts_at,
                ends_at=event.ends_at,
                time_zone=visit.time_zone,
                place=event.place,
                notes=event.notes,
                cancelled=event.cancelled,
                language=agenda_language,
                attendees=attendees,
            )
            db.session.add(item)
            written.append(item)
            added += 1
        elif change.kind == "changed":
            item = items[change.item_id]
            item.title, item.starts_at, item.ends_at = event.title, event.starts_at, event.ends_at
            item.place, item.cancelled = event.place, event.cancelled
            if event.notes:
                item.notes = event.notes
            item.touch()
            written.append(item)
            changed += 1
    commit_written(*written, language=agenda_language)
    path.unlink(missing_ok=True)
    flash(
        _(
            "Agenda imported: %(added)s new and %(changed)s changed items.",
            added=added,
            changed=changed,
        ),
        "success",
    )
    return redirect(url_for("itinerary.itinerary", visit_id=visit.id))
