"""Importing received mail into a visit's correspondence, threaded by the mail's own ids."""

from __future__ import annotations

import io
import re

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from cop import access
from cop.correspondence import logic
from cop.correspondence.forms import MailImportForm
from cop.correspondence.mailfiles import (
    MAX_BYTES,
    MAX_DEPTH,
    MailRefused,
    ReceivedMail,
    read_mail_file,
)
from cop.correspondence.models import Direction, Message, MessageAttachment, Thread
from cop.database import utcnow
from cop.directory.models import Person
from cop.documents.storage import UploadRefused, path_of, store
from cop.extensions import db
from cop.queue import translate_soon
from cop.translation.language import UNDETERMINED, identify
from cop.viewhelpers import attachments_folder, form_status
from cop.visits.models import Visit

blueprint = Blueprint("mail_import", __name__)

REFUSALS = {
    "too_large": lambda: _("The file is too large."),
    "empty": lambda: _("The file is empty."),
    "not_mail": lambda: _("This is not a mail message that can be read."),
    "not_mbox": lambda: _("This is not a mailbox (.mbox) file."),
    "no_text": lambda: _("The message has neither text nor attachments."),
    "too_many": lambda: _("The mailbox holds too many messages for one import."),
    "too_deep": lambda: _(
        "The message nests parts within parts more than %(count)s levels deep, which real mail "
        "does not; it was not imported.",
        count=MAX_DEPTH,
    ),
}


def _bare_subject(subject: str) -> str:
    return re.sub(r"^(\s*(re|tr|fw|fwd|aw)\s*:\s*)+", "", subject, flags=re.IGNORECASE).strip()


def _thread_for(visit: Visit, mail: ReceivedMail) -> Thread:
    ids = [i for i in [mail.in_reply_to, *mail.references] if i]
    if ids:
        thread = db.session.scalar(
            select(Thread)
            .join(Message, Message.thread_id == Thread.id)
            .where(Thread.visit_id == visit.id, Message.message_id.in_(ids))
            .limit(1)
        )
        if thread is not None:
            return thread
    subject = _bare_subject(mail.subject) or _("(no subject)")
    thread = db.session.scalar(
        select(Thread).where(Thread.visit_id == visit.id, Thread.subject == subject)
    )
    if thread is None:
        thread = Thread(visit_id=visit.id, subject=subject)
        db.session.add(thread)
        db.session.flush()
    return thread


def keep(visit: Visit, mail: ReceivedMail) -> Message | None:
    """Store one mail (None when it is already there: the same Message-ID, or for mail
    without one the same content); its attachments go on disk."""
    same = (
        Message.message_id == mail.message_id
        if mail.message_id
        else Message.content_hash == mail.content_hash
    )
    if db.session.scalar(
        select(Message.id)
        .join(Thread, Thread.id == Message.thread_id)
        .where(Thread.visit_id == visit.id, same)
    ):
        return None
    languages = visit.language_list or ["en", "fr"]
    author = db.session.scalar(select(Person).where(Person.email == mail.sender_email))
    message = Message(
        thread=_thread_for(visit, mail),
        direction=Direction.INBOUND,
        author_name=mail.sender_name or mail.sender_email,
        author_person_id=author.id if author else None,
        # Told from its text; a short or two-language mail waits for a reader to say.
        language=identify(mail.body, languages),
        body=mail.body,
        message_id=mail.message_id,
        content_hash=None if mail.message_id else mail.content_hash,
        in_reply_to=mail.in_reply_to,
        sent_at=mail.sent_at or utcnow(),
        date_given=mail.sent_at is not None,
    )
    for attachment in mail.attachments:
        try:
            kept = store(
                io.BytesIO(attachment.data),
                attachment.filename,
                attachments_folder(visit.id),
                current_app.config["DOCUMENT_MAX_BYTES"],
                any_kind=True,
            )
        except UploadRefused:
            continue  # an empty or oversized part; the message itself is still kept
        message.attachments.append(
            MessageAttachment(
                filename=kept.filename,
                # As the mail declared it (downloads are still served as octet-streams).
                content_type=attachment.content_type[:100] or kept.content_type,
                size=kept.size,
                stored_name=kept.stored_name,
            )
        )
    db.session.add(message)
    return message


@blueprint.route("/visits/<int:visit_id>/correspondence/import", methods=["GET", "POST"])
@login_required
def import_mail(visit_id: int) -> str | Response | tuple[str, int]:
    visit = access.visit_for(visit_id, records=True)
    if not access.belongs_to_visit(current_user, visit):
        abort(403)
    form = MailImportForm()
    if form.validate_on_submit():
        data = form.mail.data.stream.read(MAX_BYTES + 1)
        try:
            found = read_mail_file(data)
        except MailRefused as refusal:
            form.mail.errors = [REFUSALS[refusal.reason]()]
        else:
            mails = found.mails
            for number, reason in found.left_out:
                flash(
                    _(
                        "Message %(number)s of the mailbox was not imported: %(reason)s",
                        number=number,
                        reason=REFUSALS[reason](),
                    ),
                    "warning",
                )
            kept = [message for mail in mails if (message := keep(visit, mail)) is not None]
            # The mail is committed before any translation is tried, so none can be lost.
            db.session.commit()
            # Translated by the workers: a slow provider never holds the import.
            now = utcnow()
            waiting = [
                logic.waiting_translation(db.session, message, target, now)
                for message in kept
                if (target := logic.other_language(visit.language_list, message.language))
            ]
            db.session.commit()
            translate_soon([translation.id for translation in waiting])
            flash(
                ngettext(
                    "%(num)s message imported (%(skipped)s already there).",
                    "%(num)s messages imported (%(skipped)s already there).",
                    len(kept),
                    skipped=len(mails) - len(kept),
                ),
                "success",
            )
            untold = sum(message.language == UNDETERMINED for message in kept)
            if untold:
                flash(
                    ngettext(
                        "cop cannot tell the language of %(num)s message (it is short, or in "
                        "two languages): choose it on its thread, and it will be translated.",
                        "cop cannot tell the language of %(num)s messages (they are short, or "
                        "in two languages): choose it on their threads, and they will be "
                        "translated.",
                        untold,
                    ),
                    "warning",
                )
            return redirect(url_for("correspondence.threads", visit_id=visit.id))
    return render_template("correspondence/import.html", visit=visit, form=form), form_status(form)


@blueprint.route("/visits/<int:visit_id>/correspondence/attachments/<int:attachment_id>")
@login_required
def attachment(visit_id: int, attachment_id: int) -> Response:
    visit = access.visit_for(visit_id, records=True)
    found = db.get_or_404(MessageAttachment, attachment_id)
    message = db.session.get(Message, found.message_id)
    if message is None or message.thread.visit_id != visit.id:
        abort(404)
    path = path_of(attachments_folder(visit.id), found.stored_name)
    if not path.exists():
        abort(404)
    # Always a download with a neutral type: mail attachments are not vetted like documents.
    response = send_file(
        path, mimetype="application/octet-stream", as_attachment=True, download_name=found.filename
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
