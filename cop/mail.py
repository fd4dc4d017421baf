"""The outbox: every mail is stored in the database and handed to the task queue only after the
change that caused it has been committed, so a rolled-back request sends nothing, a request never
waits on the mail server, and a failed send is kept for retry."""

from __future__ import annotations

import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import LazyString, force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    event,
    func,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from cop.database import UTCDateTime, utcnow
from cop.enums import LabelledEnum, stored_enum
from cop.extensions import db
from cop.formatting import regional_locale
from cop.privatefiles import write_private
from cop.retrying import backoff

PENDING_KEY = "cop_outbox_pending"
READY_KEY = "cop_outbox_ready"
# How long a mail claimed for sending is left to its sender before another worker may take it
# over (the sender died mid-send): far past any SMTP timeout.
LEASE = timedelta(minutes=10)


class OutboxStatus(LabelledEnum):
    """queued -> sent, or failed (kept with its error, retried by ``cop send-mail``)."""

    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"

    @classmethod
    def _labels(cls) -> dict[str, LazyString]:
        return {"queued": _l("Waiting to be sent"), "sent": _l("Sent"), "failed": _l("Failed")}


class OutboxMail(db.Model):
    __tablename__ = "outbox_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8), default="en")
    message_id: Mapped[str] = mapped_column(String(300), unique=True)
    status: Mapped[OutboxStatus] = mapped_column(
        stored_enum(OutboxStatus, 10), default=OutboxStatus.QUEUED, index=True
    )
    transport: Mapped[str | None] = mapped_column(String(10))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    # Threading headers, so that replies land in the recipient's conversation.
    in_reply_to: Mapped[str | None] = mapped_column(String(300))
    references: Mapped[str | None] = mapped_column(Text)
    # REQUEST or CANCEL when the mail is a calendar invitation (iTIP, RFC 5546).
    calendar_method: Mapped[str | None] = mapped_column(String(10))
    # A mail a person wrote goes out in their name, on the installation's address (which the
    # mail server may send for), and answers go to them.
    from_name: Mapped[str] = mapped_column(String(200), default="")
    reply_to: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When a worker may next try it: after a failure, the backoff; while one is sending it,
    # the end of its lease. None: as soon as a worker is free.
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    attachments: Mapped[list[OutboxAttachment]] = relationship(
        cascade="all, delete-orphan", order_by="OutboxAttachment.id"
    )

    def as_email(self, sender: str) -> EmailMessage:
        message = EmailMessage()
        if self.from_name:
            message["From"] = formataddr((self.from_name, parseaddr(sender)[1]))
        else:
            message["From"] = sender
        if self.reply_to:
            message["Reply-To"] = self.reply_to
        message["To"] = self.recipient
        message["Subject"] = self.subject
        message["Date"] = format_datetime(self.created_at)
        message["Message-ID"] = self.message_id
        if self.in_reply_to:
            message["In-Reply-To"] = self.in_reply_to
        if self.references:
            message["References"] = self.references
        message.set_content(self.body_text)
        for attachment in self.attachments:
            if self.calendar_method and attachment.content_type == "text/calendar":
                # Mail clients show an invitation when the calendar is an alternative body with
                # its METHOD; the same file attached lets people save it by hand.
                message.add_alternative(
                    attachment.data,
                    maintype="text",
                    subtype="calendar",
                    params={"method": self.calendar_method, "charset": "utf-8"},
                )
        for attachment in self.attachments:
            maintype, _, subtype = attachment.content_type.partition("/")
            if self.calendar_method and attachment.content_type == "text/calendar":
                maintype, subtype = "application", "ics"
            message.add_attachment(
                attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename
            )
        # Last, because set_content and add_alternative replace every Content-* header.
        message["Content-Language"] = self.language
        return message


class OutboxAttachment(db.Model):
    __tablename__ = "outbox_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    mail_id: Mapped[int] = mapped_column(
        ForeignKey("outbox_mail.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    data: Mapped[bytes] = mapped_column(LargeBinary)


def language_of(person: Any) -> str:
    """The language a person reads cop's mail and pages in: theirs, else the installation's."""
    return person.preferred_language or current_app.config["BABEL_DEFAULT_LOCALE"]


def mail_person(person: Any, template: str, **context: Any) -> OutboxMail | None:
    """Queue a mail to a person of the directory in their own language; nothing when they have
    no address. The template gets the person as ``person``."""
    if not person.email:
        return None
    return queue_mail(person.email, template, language_of(person), person=person, **context)


def site_url(endpoint: str, **values: Any) -> str:
    """The full address of a page, as mail carries it: built from the application's routes on
    COP_BASE_URL, the same inside a request and in a background job (where ``url_for`` has no
    host to build on)."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "http"
    )
    return adapter.build(endpoint, values, force_external=True)


def queue_mail(
    recipient: str,
    template: str,
    language: str,
    *,
    attachments: list[tuple[str, str, bytes]] | None = None,
    calendar_method: str | None = None,
    in_reply_to: str | None = None,
    references: str | None = None,
    from_name: str = "",
    reply_to: str | None = None,
    **context: Any,
) -> OutboxMail:
    """Render ``templates/mail/<template>.txt`` in the recipient's language and queue it.

    The first line of the rendered template is the subject, the rest the body. Attachments are
    (filename, content type, data); with ``calendar_method`` a text/calendar attachment is also
    the invitation itself."""
    with force_locale(regional_locale(language)):
        rendered = render_template(f"mail/{template}.txt", **context).strip("\n")
    subject, _, body = rendered.partition("\n")
    mail = OutboxMail(
        recipient=recipient,
        # A title with a line break in it must not break the Subject header.
        subject=" ".join(subject.split()),
        body_text=body.strip() + "\n",
        language=language,
        message_id=make_msgid(domain="cop.example"),
        calendar_method=calendar_method,
        in_reply_to=in_reply_to,
        references=references,
        from_name=" ".join(from_name.split()),
        reply_to=reply_to,
        attachments=[
            OutboxAttachment(filename=name, content_type=kind, data=data)
            for name, kind, data in attachments or []
        ],
    )
    db.session.add(mail)
    db.session.info.setdefault(PENDING_KEY, []).append(mail)
    return mail


@event.listens_for(Session, "after_flush")
def _remember_flushed_mail(session: Session, flush_context: Any) -> None:
    pending = session.info.get(PENDING_KEY)
    if pending:
        session.info.setdefault(READY_KEY, []).extend(m.id for m in pending if m.id is not None)
        session.info[PENDING_KEY] = [m for m in pending if m.id is None]


@event.listens_for(Session, "after_commit")
def _send_after_commit(session: Session) -> None:
    ready = session.info.pop(READY_KEY, None)
    if ready:
        from cop.queue import send_soon

        send_soon(ready)


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back_mail(session: Session, previous_transaction: Any) -> None:
    session.info.pop(READY_KEY, None)
    session.info.pop(PENDING_KEY, None)


def _due(now: datetime) -> Any:
    return (OutboxMail.next_attempt_at.is_(None)) | (OutboxMail.next_attempt_at <= now)


def _claim(session: Session, mail_id: int, now: datetime) -> bool:
    """Take one mail to send, if it is still to send and nobody holds it: its next attempt is
    moved past the lease, so no other worker (or sweep) sends it meanwhile, and if this one
    dies mid-send the mail is taken over when the lease ends. One UPDATE, so two workers can
    never both win, on SQLite as on PostgreSQL."""
    claimed = session.execute(
        update(OutboxMail)
        .where(
            OutboxMail.id == mail_id,
            OutboxMail.status.in_((OutboxStatus.QUEUED, OutboxStatus.FAILED)),
            _due(now),
        )
        .values(next_attempt_at=now + LEASE)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return claimed.rowcount == 1


def waiting_for_retry(session: Session, now: datetime) -> int:
    """Mail not sent yet whose next attempt is still to come (a failure's wait, or a worker
    sending it now)."""
    return (
        session.scalar(
            select(func.count(OutboxMail.id)).where(
                OutboxMail.status.in_((OutboxStatus.QUEUED, OutboxStatus.FAILED)),
                OutboxMail.next_attempt_at > now,
            )
        )
        or 0
    )


def deliver(mail_ids: list[int] | None = None) -> dict[str, int]:
    """Send the given mails (with no ids: every mail whose turn has come, the sweep), each
    claimed first; returns counts by outcome. A failure waits before its next attempt, longer
    each time.

    Runs in a session of its own: it is called from tasks and right after another commit."""
    config = current_app.config
    outcome = {status.value: 0 for status in OutboxStatus}
    with Session(db.engine) as session:
        if mail_ids is None:
            mail_ids = list(
                session.scalars(
                    select(OutboxMail.id)
                    .where(
                        OutboxMail.status.in_((OutboxStatus.QUEUED, OutboxStatus.FAILED)),
                        _due(utcnow()),
                    )
                    .order_by(OutboxMail.id)
                )
            )
        for mail_id in mail_ids:
            if not _claim(session, mail_id, utcnow()):
                continue  # sent already, or another worker has it
            mail = session.get(OutboxMail, mail_id, populate_existing=True)
            if mail is None:
                continue
            status = _deliver_one(mail, config)
            mail.next_attempt_at = (
                None if status == OutboxStatus.SENT else utcnow() + backoff(mail.attempts)
            )
            session.commit()
            outcome[status] += 1
    return outcome


def _write_to_folder(message: EmailMessage, mail: OutboxMail) -> None:
    folder = Path(current_app.instance_path) / "mail"
    stamp = mail.created_at.strftime("%Y%m%dT%H%M%S")
    write_private(folder / f"{stamp}-{mail.id}.eml", bytes(message))


def _deliver_one(mail: OutboxMail, config: Any) -> OutboxStatus:
    message = mail.as_email(config["MAIL_SENDER"])
    write_to_folder = config.get("MAIL_WRITE_TO_FOLDER")
    if write_to_folder is None:
        write_to_folder = config["ENV"] == "development" and not config.get("TESTING")
    if write_to_folder:
        _write_to_folder(message, mail)
    mail.attempts += 1
    if not config["MAIL_SERVER"]:
        if write_to_folder:
            mail.status, mail.transport, mail.sent_at = OutboxStatus.SENT, "folder", utcnow()
            return mail.status
        mail.last_error = "No mail server is configured (COP_MAIL_SERVER)."
        return OutboxStatus.QUEUED
    try:
        smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
        with smtp_class(
            config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]
        ) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        mail.status, mail.last_error = OutboxStatus.FAILED, f"{type(error).__name__}: {error}"
        current_app.logger.warning("mail %s to %s failed: %s", mail.id, mail.recipient, error)
        return mail.status
    mail.status, mail.transport, mail.sent_at = OutboxStatus.SENT, "smtp", utcnow()
    mail.last_error = ""
    return mail.status
