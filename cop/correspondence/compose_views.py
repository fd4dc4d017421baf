"""Writing to a host in your own language: a machine translation into theirs, a translation back
into yours to check the meaning, your corrections, then the mail through the outbox."""

from __future__ import annotations

from email.utils import make_msgid

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from cop import access
from cop.correspondence.forms import ComposeForm
from cop.correspondence.models import (
    Direction,
    Draft,
    DraftState,
    Message,
    MessageTranslation,
    Thread,
)
from cop.correspondence.views import provider_settings, reason_text
from cop.database import utcnow
from cop.directory.models import Person
from cop.extensions import db
from cop.formatting import language_name
from cop.forms import options
from cop.mail import language_of, queue_mail
from cop.queue import translate_soon
from cop.translation.language import UNDETERMINED
from cop.translation.models import TranslationStatus
from cop.translation.service import remember
from cop.viewhelpers import child_of_visit
from cop.visits.models import MembershipRole
from cop.visits.queries import members_of_visit

blueprint = Blueprint("compose", __name__)
NOBODY = 0


def honest_label(
    sent: str, machine: str, checked: bool, provider: str
) -> tuple[TranslationStatus, str]:
    """How a sent translation is labelled: a machine's sent as it came stays a machine
    translation; one the writer edited, wrote or said they checked is checked by them."""
    if not sent:
        return TranslationStatus.PENDING, ""
    if machine and sent.strip() == machine.strip() and not checked:
        return TranslationStatus.MACHINE, provider
    return TranslationStatus.REVIEWED, "person"


def _host_of(thread: Thread, recipients: list[Person], hosts: set[int]) -> int:
    """Whom a message goes to unless the writer chooses: the thread's counterpart, else a host
    of the visit (from the thread's organisation first), else the first one can write to."""
    if thread.counterpart_person_id in {person.id for person in recipients}:
        return thread.counterpart_person_id
    candidates = [person for person in recipients if person.id in hosts]
    candidates.sort(key=lambda p: p.organisation_id != thread.counterpart_organisation_id)
    if candidates:
        return candidates[0].id
    return recipients[0].id if recipients else NOBODY


def _subject_language(thread: Thread, writer_language: str) -> str:
    """The language a thread's subject is in: that of its first message (a thread a host began
    has their subject), else the writer's, who is about to begin it."""
    first = db.session.scalar(
        select(Message.language)
        .where(Message.thread_id == thread.id, Message.language != UNDETERMINED)
        .order_by(Message.sent_at, Message.id)
        .limit(1)
    )
    return first or writer_language


def _recipients(thread: Thread) -> tuple[list[Person], set[int]]:
    """Whom the writer may write to (the visit's members and the thread's counterpart, with an
    address), and which of them are the visit's hosts."""
    members = db.session.scalars(members_of_visit(thread.visit_id)).unique().all()
    people = {m.person.id: m.person for m in members}
    hosts = {m.person_id for m in members if m.role is MembershipRole.HOST}
    if thread.counterpart_person is not None:
        people[thread.counterpart_person.id] = thread.counterpart_person
    writable = sorted(
        (p for p in people.values() if p.email and p.id != current_user.person_id),
        key=lambda p: p.name,
    )
    return writable, hosts


@blueprint.route(
    "/visits/<int:visit_id>/correspondence/<int:thread_id>/write", methods=["GET", "POST"]
)
@login_required
def write(visit_id: int, thread_id: int) -> str | Response | tuple[str, int]:
    visit = access.visit_for(visit_id, records=True)
    if not access.belongs_to_visit(current_user, visit):
        abort(403)
    thread = child_of_visit(visit, Thread, thread_id)
    recipients, hosts = _recipients(thread)
    form = ComposeForm()
    form.recipient_id.choices = options((p.id, f"{p.name} <{p.email}>") for p in recipients)
    form.language.choices = options(
        (code, language_name(code)) for code in visit.language_list or ["en"]
    )
    if request.method == "GET":
        form.recipient_id.data = _host_of(thread, recipients, hosts)
        own = current_user.person.preferred_language if current_user.person else "en"
        form.language.data = (
            own if own in visit.language_list else (visit.language_list or ["en"])[0]
        )
    draft = _own_draft(thread, request.values.get("draft") or form.draft_id.data)
    if request.method == "GET" and draft is not None:
        _show(form, draft)
    if form.validate_on_submit():
        recipient = next((p for p in recipients if p.id == form.recipient_id.data), None)
        if recipient is None:
            abort(400)
        target = language_of(recipient)
        if request.form.get("action") == "translate" or (
            not form.translation.data and target != form.language.data
        ):
            # A worker translates; the page answers at once whatever the service does, and
            # shows the translation when it is there (at once when the queue runs inline).
            draft = _keep_draft(thread, recipient, form, target, draft)
            translate_soon(drafts=[draft.id])
            db.session.expire(draft)
            _show(form, draft)
        else:
            _send(visit, thread, recipient, form, target, draft)
            flash(_("Your message to %(name)s is sent.", name=recipient.name), "success")
            return redirect(
                url_for("correspondence.thread", visit_id=visit.id, thread_id=thread.id)
            )
    translated = draft is not None and draft.state is DraftState.TRANSLATED
    return render_template(
        "correspondence/write.html",
        visit=visit,
        thread=thread,
        form=form,
        draft=draft,
        back_translation=draft.back_translation if translated else None,
        problem=reason_text(draft.failure_reason)
        if draft is not None and draft.state is DraftState.FAILED
        else None,
    ), (400 if form.errors else 200)


def _own_draft(thread: Thread, draft_id: str | None) -> Draft | None:
    """The writer's own draft in this thread (none asked for: None); anyone else's, or one
    that is gone, is not found."""
    if not draft_id or not draft_id.isdigit():
        return None
    draft = db.session.get(Draft, int(draft_id))
    if draft is None or draft.thread_id != thread.id:
        abort(404)
    if draft.writer_person_id != current_user.person_id:
        abort(404)
    return draft


def _keep_draft(
    thread: Thread, recipient: Person, form: ComposeForm, target: str, draft: Draft | None
) -> Draft:
    """The words as written, committed before any translation is tried."""
    if draft is None:
        draft = Draft(thread_id=thread.id, writer_person_id=current_user.person_id)
        db.session.add(draft)
    draft.recipient_person_id = recipient.id
    draft.language, draft.target_language = form.language.data, target
    draft.body = form.body.data
    draft.subject = thread.subject
    draft.subject_language = _subject_language(thread, form.language.data)
    draft.translation = draft.subject_translation = draft.back_translation = ""
    draft.state, draft.failure_reason = DraftState.WAITING, ""
    db.session.commit()
    return draft


def _show(form: ComposeForm, draft: Draft) -> None:
    form.draft_id.data = str(draft.id)
    form.recipient_id.data = draft.recipient_person_id
    form.language.data = draft.language
    form.body.data = draft.body
    if draft.state is DraftState.TRANSLATED:
        form.translation.data = form.machine_translation.data = draft.translation
        form.subject_translation.data = draft.subject_translation


def _send(
    visit, thread: Thread, recipient: Person, form: ComposeForm, target: str, draft: Draft | None
) -> None:
    """Keep the message, its translation and the mail in one transaction (the draft goes)."""
    same_language = target == form.language.data
    translated = form.body.data if same_language else form.translation.data or ""
    earlier = db.session.scalars(
        select(Message.message_id)
        .where(Message.thread_id == thread.id, Message.message_id.is_not(None))
        .order_by(Message.sent_at)
    ).all()
    message = Message(
        thread_id=thread.id,
        direction=Direction.OUTBOUND,
        author_name=current_user.display_name,
        author_person_id=current_user.person_id,
        recipient_person_id=recipient.id,
        language=form.language.data,
        body=form.body.data,
        message_id=make_msgid(domain="cop.example"),
        in_reply_to=earlier[-1] if earlier else None,
    )
    db.session.add(message)
    db.session.flush()
    if not same_language:
        status, provider = honest_label(
            translated,
            form.machine_translation.data or "",
            bool(form.checked.data),
            provider_settings().name,
        )
        db.session.add(
            MessageTranslation(
                message_id=message.id,
                target_language=target,
                text=translated,
                status=status,
                provider=provider,
                reviewed_by_id=current_user.person_id
                if status is TranslationStatus.REVIEWED
                else None,
            )
        )
        if status is TranslationStatus.REVIEWED:
            # What the writer checked and sent is the best translation there is: remember it.
            remember(
                db.session,
                form.language.data,
                target,
                form.body.data,
                translated,
                "person",
                reviewed=True,
            )
    writer = current_user.person
    mail = queue_mail(
        recipient.email,
        "correspondence",
        target,
        subject=thread.subject
        if _subject_language(thread, form.language.data) == target
        else form.subject_translation.data or thread.subject,
        body=translated or form.body.data,
        signature=writer.signature_or_default if writer else current_user.display_name,
        from_name=current_user.display_name,
        reply_to=current_user.email,
        original=form.body.data if (form.both_languages.data and not same_language) else "",
        original_language=form.language.data,
        in_reply_to=message.in_reply_to,
        references=" ".join(earlier) or None,
    )
    mail.message_id = message.message_id
    message.sent_at = utcnow()
    if draft is not None:
        db.session.delete(draft)
    db.session.commit()
