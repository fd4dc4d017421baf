"""The background work: each job alone for cron, all of them in turn for `cop worker --once`,
and each on its own schedule in the task queue's workers (cop.queue).

Every job is idempotent and safe with several workers at once: each mail is claimed before it is
sent (cop.mail), translations lock the rows they take (skipping rows another worker holds, on
PostgreSQL), polls are closed under a row lock, and each reminder is recorded under a unique key
before its mail leaves. A job that fails is logged and tried again on the next round; what it
had not finished stays in the database."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import IntegrityError

from cop.database import utcnow
from cop.extensions import db

if TYPE_CHECKING:
    from cop.correspondence.models import MessageTranslation
    from cop.translation.providers import ProviderSettings

log = logging.getLogger("cop.jobs")


def send_mail() -> dict[str, int]:
    from cop.mail import deliver

    return deliver()


def _provider_settings() -> ProviderSettings:
    from flask import current_app

    from cop.translation.providers import ProviderSettings

    return ProviderSettings.from_config(current_app.config)


def _translate_message_row(
    translation: MessageTranslation, settings: ProviderSettings, now: datetime
) -> bool:
    """Try one message's translation; True when it is translated."""
    from cop.correspondence.logic import translate_into

    message = translation.message
    result = translate_into(
        db.session, message, translation.target_language, settings, now, message.thread.visit_id
    )
    return not result.failure_reason


def translate_message(translation_id: int) -> None:
    """The task a page hands over when it keeps a message: translate it (or leave it waiting,
    with the reason, for the retries)."""
    from cop.correspondence.models import MessageTranslation

    translation = db.session.get(MessageTranslation, translation_id)
    if translation is not None:
        _translate_message_row(translation, _provider_settings(), utcnow())
        db.session.commit()


def translate_draft(draft_id: int) -> None:
    """The task the writing page hands over: translate a draft and back (or keep why not)."""
    from cop.correspondence.logic import translate_draft as translate
    from cop.correspondence.models import Draft

    draft = db.session.get(Draft, draft_id)
    if draft is None:  # sent or erased meanwhile
        return
    translate(db.session, draft, _provider_settings())
    db.session.commit()


def translate_content(row_ids: list[int]) -> None:
    """The task a page hands over when it saves what a visit says about itself."""
    from cop.translation import content
    from cop.translation.models import ContentTranslation

    rows = db.session.scalars(
        db.select(ContentTranslation).where(ContentTranslation.id.in_(row_ids))
    ).all()
    content.translate_rows(db.session, rows, _provider_settings(), utcnow())
    db.session.commit()


def translate_pending() -> dict[str, int]:
    from cop.correspondence.logic import due_for_retry
    from cop.translation import content

    now, settings = utcnow(), _provider_settings()
    done = waiting = 0
    for translation in due_for_retry(db.session, now):
        if _translate_message_row(translation, settings, now):
            done += 1
        else:
            waiting += 1
    # What visits say about themselves waits in the same way, and is retried the same way.
    rows = content.due_for_retry(db.session, now)
    translated = content.translate_rows(db.session, rows, settings, now)
    done, waiting = done + translated, waiting + len(rows) - translated
    db.session.commit()
    return {"translated": done, "waiting": waiting}


def close_polls() -> dict[str, int]:
    from cop.polls.notices import close_overdue_polls

    return {"closed": close_overdue_polls(db.session, utcnow())}


def remind_polls() -> dict[str, int]:
    """Mail those who have not answered a poll whose reminder time has come."""
    from flask import current_app

    from cop.polls.notices import remind_silent_invitees

    return {
        "reminded": remind_silent_invitees(db.session, utcnow(), current_app.config["SECRET_KEY"])
    }


def itinerary_changes() -> dict[str, int]:
    """One mail per person of what changed in an itinerary since they last heard."""
    from cop.itinerary.changes import send_changes

    return {"mailed": send_changes(db.session, utcnow())}


def remind(today: date | None = None) -> dict[str, int]:
    from cop.reflections.notices import send_reminders

    try:
        return {"queued": send_reminders(db.session, today or utcnow().date())}
    except IntegrityError:
        # Another worker recorded the same reminders first; nothing was mailed from here.
        db.session.rollback()
        return {"queued": 0}


def apply_retention(today: date | None = None) -> dict[str, int]:
    """Remove personal data of visits past the retention period (COP_RETENTION_YEARS)."""
    from flask import current_app

    from cop.privacy.logic import compact_database, remove_old_personal_data
    from cop.pseudonyms import pseudonym

    years = current_app.config.get("RETENTION_YEARS") or 0
    if years <= 0:
        return {"people": 0, "post_checks": 0, "messages": 0}
    secret = current_app.config["SECRET_KEY"]
    removed = remove_old_personal_data(
        db.session,
        today or utcnow().date(),
        years,
        lambda pid: pseudonym(secret, pid),
        Path(current_app.instance_path),
    )
    db.session.commit()
    if removed["people"]:
        compact_database(db.engine)
    return removed


def forget_old_sessions() -> dict[str, int]:
    """Sign-in sessions whose cookie can no longer be valid (signed out, or older than a
    session's lifetime, past which Flask refuses the cookie) are removed."""
    from flask import current_app

    from cop.accounts.logic import stale_sessions

    lifetime = current_app.permanent_session_lifetime
    removed = stale_sessions(db.session, utcnow() - lifetime)
    db.session.commit()
    return {"removed": removed}


def forget_unused_results() -> dict[str, int]:
    """Stored pages and reports not computed for a month (a visit long over, a network question
    asked once) are removed; one asked for again is computed again."""
    from cop.computed import store

    removed = store.forget_older_than(db.session, utcnow() - store.KEPT_FOR)
    db.session.commit()
    return {"removed": removed}


def refresh_stored() -> dict[str, int]:
    """Compute again what is stored (cop.computed) from data that changed since: network reports
    and pictures, evaluation reports' pages, itineraries' days, calendar files and feeds (a
    contact logged, a member added, an item moved), so that the next reader finds them ready."""
    from flask import current_app
    from flask_babel import force_locale

    from cop.evaluation import stored as evaluation_pages
    from cop.itinerary import stored as itinerary_pages
    from cop.network import stored
    from cop.pseudonyms import pseudonym
    from cop.visits.models import Visit

    secret = current_app.config["SECRET_KEY"]

    def label(person_id: int) -> str:
        return pseudonym(secret, person_id)

    reports, pictures = stored.stale_questions(db.session)
    for question in reports:
        stored.report(db.session, question, label, stale_is_enough=False)
    for language, question in pictures:
        report = stored.report(db.session, question, label, stale_is_enough=False).value
        with force_locale(language):
            stored.pictures(db.session, question, report, language, label, stale_is_enough=False)
    pages = 0
    # Pages are rendered as for a request (their links), in the language they were asked in.
    for visit_id, language in evaluation_pages.stale_pages():
        visit = db.session.get(Visit, visit_id)
        if visit is None:
            continue
        with current_app.test_request_context(), force_locale(language):
            evaluation_pages.report_page(visit, stale_is_enough=False)
        pages += 1
    with current_app.test_request_context():
        itineraries = itinerary_pages.refresh_stale()
    db.session.rollback()  # nothing of its own to keep: results are stored on their own
    return {
        "reports": len(reports),
        "pictures": len(pictures),
        "report pages": pages,
        "itineraries and calendars": itineraries,
    }


JOBS: dict[str, Callable[[], dict[str, int]]] = {
    "send-mail": send_mail,
    "translate-pending": translate_pending,
    "close-polls": close_polls,
    "poll-reminders": remind_polls,
    "itinerary-changes": itinerary_changes,
    "remind": remind,
    "retention": apply_retention,
    "sessions": forget_old_sessions,
    "stored-results": forget_unused_results,
    "refresh-stored": refresh_stored,
}


def run_round(jobs: dict[str, Callable[[], dict[str, int]]] | None = None) -> dict[str, Any]:
    """Run every job once; a failing job is logged and does not stop the others."""
    results: dict[str, Any] = {}
    for name, job in (jobs or JOBS).items():
        try:
            results[name] = job()
        except Exception as error:  # noqa: BLE001 - the worker must outlive any one job
            db.session.rollback()
            log.exception("job %s failed", name)
            results[name] = {"error": f"{type(error).__name__}: {error}"}
    return results
