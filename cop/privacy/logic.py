"""Personal data under UK GDPR: everything held about a person, erasing them, and finding people
whose visits are past the retention period (no Flask here).

Erasing keeps the person's row as an anonymous node, so that networks, counts and costs stay
right: names, addresses and needs go, the organisation stays (it is what the network is measured
on), everything the person wrote or consented to goes with their account, and their name gives
way to their pseudonym in what others wrote."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Enum, String, Table, delete, func, select, update
from sqlalchemy.orm import Session

from cop.accounts.models import User
from cop.actions.models import Action, ActionUpdate
from cop.backup import json_value
from cop.computed.models import StoredView
from cop.correspondence.models import Draft, Message, MessageAttachment, MessageTranslation, Thread
from cop.database import utcnow
from cop.directory.models import Person
from cop.documents.models import VisitDocument
from cop.documents.storage import MAIL_ATTACHMENTS, visit_folder
from cop.extensions import db
from cop.interpreting.models import Interpreter
from cop.links import SignedLink
from cop.mail import OutboxMail
from cop.network.models import Contact
from cop.planning.models import EffortEntry
from cop.polls.models import PollInvitee
from cop.privacy.models import Erasure
from cop.reflections.models import Passage, Reflection
from cop.research.models import Memo
from cop.social.models import MediaConsent, PostCheck, SocialProtocol, post_check_pictured
from cop.translation.models import ContentTranslation
from cop.visits.models import Membership, RemovedMembership, Visit

# Fields no export or log shows.
SECRET_FIELDS = {"password_hash", "session_version"}


def person_references() -> list[tuple[Table, str]]:
    """Every (table, column) that points at a person."""
    found = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if any(fk.column.table.name == "person" for fk in column.foreign_keys):
                found.append((table, column.name))
    return found


def export_person(session: Session, person_id: int) -> dict[str, Any]:
    """Everything held about a person: their own row, their account, and every row of every
    table that refers to them, grouped by table."""
    person = session.get(Person, person_id)
    if person is None:
        raise LookupError(person_id)
    data: dict[str, Any] = {
        "person": _row(session, Person.__table__, Person.__table__.c.id == person_id)[0],
        "held": {},
    }
    for table, column in person_references():
        rows = _row(session, table, table.c[column] == person_id)
        if rows:
            data["held"].setdefault(table.name, []).extend(rows)
    reflections = session.scalars(select(Reflection).where(Reflection.person_id == person_id))
    data["reflection_text"] = [
        {
            "reflection": reflection.id,
            "passages": [
                {"question": p.question_text, "speaker": p.speaker, "text": p.text}
                for p in reflection.passages
            ],
        }
        for reflection in reflections
    ]
    return data


def _row(session: Session, table: Table, condition: Any) -> list[dict[str, Any]]:
    return [
        {k: json_value(v) for k, v in row.items() if k not in SECRET_FIELDS}
        for row in session.execute(select(table).where(condition)).mappings()
    ]


@dataclass
class ErasureReport:
    """What an erasure did, and what a person must still look at: files others shared that
    mention the erased person (cop cannot rewrite a PDF), and texts of others in which their
    name was replaced by the label."""

    files_to_review: list[str] = field(default_factory=list)
    texts_changed: dict[str, int] = field(default_factory=dict)
    files_removed: int = 0


REGISTER_FILE = "erasures.jsonl"
# A name this short would be replaced inside ordinary words of other people's texts.
SHORTEST_NAME_REPLACED = 4


def _blank(session: Session, column: Any, condition: Any, value: str = "") -> None:
    session.execute(update(column.table).where(condition).values({column.key: value}))


def _remove_stored(paths: list[Path]) -> int:
    for path in paths:
        path.unlink(missing_ok=True)
    return len(paths)


def erase_person(
    session: Session, person_id: int, label: str, instance: Path | None = None
) -> ErasureReport:
    """Remove a person's personal data everywhere cop holds it and keep an anonymous node under
    ``label``: their words go (reflections, action texts and updates, contact topics, effort
    notes, messages they wrote, post checks, memos, poll comments), the documents and
    attachments they shared go with their files, mail to them leaves the outbox, their name
    and address give way to the label in every other text, and the erasure is registered so
    that a restore of an older backup erases them again."""
    person = session.get(Person, person_id)
    if person is None:
        raise LookupError(person_id)
    user = session.scalar(select(User).where(User.person_id == person_id))
    names = [person.name] if len(person.name or "") >= SHORTEST_NAME_REPLACED else []
    addresses = sorted({a for a in (person.email, user.email if user else None) if a})
    report = ErasureReport()
    stored: list[Path] = []

    for reflection in session.scalars(select(Reflection).where(Reflection.person_id == person_id)):
        session.delete(reflection)
    _blank(session, Passage.speaker, Passage.speaker_person_id == person_id, label)
    if names:
        _blank(session, Passage.speaker, Passage.speaker == person.name, label)
    owned = select(Action.id).where(Action.owner_id == person_id)
    for column in (Action.title, Action.learning_point, Action.adaptation, Action.evidence):
        _blank(session, column, Action.owner_id == person_id)
    _blank(session, ActionUpdate.note, ActionUpdate.author_id == person_id)
    _blank(session, ActionUpdate.note, ActionUpdate.action_id.in_(owned))
    involved = (
        (Contact.from_person_id == person_id)
        | (Contact.to_person_id == person_id)
        | (Contact.logged_by_id == person_id)
    )
    _blank(session, Contact.topic, involved)
    _blank(session, EffortEntry.note, EffortEntry.person_id == person_id)
    _blank(session, PollInvitee.comment, PollInvitee.person_id == person_id)
    _blank(session, Interpreter.notes, Interpreter.person_id == person_id)
    # A host's comment on the protocol is their words, and so are its translations.
    answered = select(SocialProtocol.id).where(SocialProtocol.approved_by_id == person_id)
    session.execute(
        delete(ContentTranslation).where(
            ContentTranslation.kind == "protocol",
            ContentTranslation.field == "host_comment",
            ContentTranslation.record_id.in_(answered),
        )
    )
    _blank(session, SocialProtocol.host_comment, SocialProtocol.approved_by_id == person_id)
    written = select(Message.id).where(Message.author_person_id == person_id)
    _blank(session, MessageTranslation.text, MessageTranslation.message_id.in_(written))
    _blank(session, Message.body, Message.author_person_id == person_id)
    _blank(session, Message.author_name, Message.author_person_id == person_id, label)
    attachments = session.execute(
        select(MessageAttachment, Thread.visit_id)
        .join(Message, Message.id == MessageAttachment.message_id)
        .join(Thread, Thread.id == Message.thread_id)
        .where(Message.author_person_id == person_id)
    ).all()
    for attachment, visit_id in attachments:
        stored.append(visit_folder(visit_id, MAIL_ATTACHMENTS) / attachment.stored_name)
        session.delete(attachment)
    for document in session.scalars(
        select(VisitDocument).where(VisitDocument.uploaded_by_id == person_id)
    ):
        stored.append(visit_folder(document.visit_id) / document.stored_name)
        session.delete(document)
    session.execute(delete(PostCheck).where(PostCheck.author_id == person_id))
    session.execute(delete(post_check_pictured).where(post_check_pictured.c.person_id == person_id))
    session.execute(delete(MediaConsent).where(MediaConsent.person_id == person_id))
    if addresses:
        session.execute(delete(OutboxMail).where(OutboxMail.recipient.in_(addresses)))
    session.execute(delete(SignedLink).where(SignedLink.person_id == person_id))
    if user is not None:
        session.execute(delete(Memo).where(Memo.author_id == user.id))
        session.delete(user)
    session.execute(
        update(Membership).where(Membership.person_id == person_id).values(selection_reason="")
    )
    # Why they were chosen for visits they were removed from: about them, and kept for them.
    session.execute(delete(RemovedMembership).where(RemovedMembership.person_id == person_id))
    # Messages being written by them or to them: their words, or words addressed to them.
    session.execute(
        delete(Draft).where(
            (Draft.writer_person_id == person_id) | (Draft.recipient_person_id == person_id)
        )
    )
    # Computed pages and reports may show their name anywhere: all are computed again.
    session.execute(delete(StoredView))
    person.name = label
    person.email = None
    person.job_title = ""
    person.languages = ""
    person.access_needs = ""
    person.dietary_needs = ""
    person.signature = ""
    session.flush()
    report.texts_changed = _replace_everywhere(session, [*names, *addresses], label)
    session.add(Erasure(person_id=person_id))
    if instance is not None:
        report.files_removed = _remove_stored([instance / path for path in stored])
        report.files_removed += _scrub_files(instance, [*names, *addresses], report)
        _register(instance, person_id)
    return report


def _replace_everywhere(session: Session, words: list[str], label: str) -> dict[str, int]:
    """Replace the person's name and addresses by the label in every text column of every
    table: what others wrote about them stays, without naming them."""
    changed: dict[str, int] = {}
    for table in db.metadata.sorted_tables:
        if table.name in KEPT_AS_WRITTEN:
            continue
        for column in table.columns:
            if not isinstance(column.type, String) or isinstance(column.type, Enum):
                continue
            if column.primary_key:
                continue
            for word in words:
                result = session.execute(
                    update(table)
                    .where(column.contains(word, autoescape=True))
                    .values({column.name: func.replace(column, word, label)})
                )
                if result.rowcount:
                    key = f"{table.name}.{column.name}"
                    changed[key] = changed.get(key, 0) + result.rowcount
    return changed


# Tables whose text is cop's own record rather than anyone's words about a person.
KEPT_AS_WRITTEN = {"alembic_version", "erasure"}
# Files cop wrote itself and may remove; others' uploads are listed for review instead.
COP_WRITTEN_FOLDERS = ("mail", "imports")


def _scrub_files(instance: Path, words: list[str], report: ErasureReport) -> int:
    """Files under the instance folder that still mention the person: cop's own (mail written
    to a folder, import previews) are removed; stored documents and attachments others shared
    are listed for review."""
    needles = [word.encode() for word in words if word]
    removed = 0
    for path in sorted(instance.rglob("*")):
        if not path.is_file() or path.suffix in {".sqlite", ".sqlite-journal", ".sqlite-wal"}:
            continue
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if not any(needle in data for needle in needles):
            continue
        top = path.relative_to(instance).parts[0]
        if top in COP_WRITTEN_FOLDERS:
            path.unlink()
            removed += 1
        else:
            report.files_to_review.append(path.relative_to(instance).as_posix())
    return removed


def _register(instance: Path, person_id: int) -> None:
    """Keep the erasure beside the database too, where a restore of an older backup finds it."""
    line = json.dumps({"person_id": person_id, "erased_at": utcnow().isoformat()})
    path = instance / REGISTER_FILE
    existed = path.exists()
    with path.open("a", encoding="utf-8") as register:
        register.write(line + "\n")
    if not existed:
        path.chmod(0o600)


def compact_database(engine: Any) -> None:
    """SQLite keeps deleted text in free pages of its file until it is rebuilt: rebuild it, so
    an erased name is not still in instance/cop.sqlite. PostgreSQL's vacuum does this itself."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.exec_driver_sql("VACUUM")


def registered_erasures(session: Session, instance: Path) -> set[int]:
    """Everyone ever erased: the register table (restored with the data) and the register file
    of this instance (which outlives a database restored from before the erasure)."""
    found = set(session.scalars(select(Erasure.person_id)))
    path = instance / REGISTER_FILE
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                found.add(int(json.loads(line)["person_id"]))
            except (ValueError, KeyError, TypeError):
                continue
    return found


def reapply_erasures(session: Session, instance: Path, label: Callable[[int], str]) -> list[int]:
    """After a restore: erase again everyone the register names whose data came back."""
    again = []
    for person_id in sorted(registered_erasures(session, instance)):
        person = session.get(Person, person_id)
        if person is not None and (person.name != label(person_id) or person.email):
            erase_person(session, person_id, label(person_id), instance)
            again.append(person_id)
    return again


def people_past_retention(session: Session, today: date, years: int) -> list[int]:
    """People whose every visit ended more than ``years`` ago (and who have at least one)."""
    limit = today - timedelta(days=round(365.25 * years))
    latest = {}
    for person_id, end in session.execute(
        select(Membership.person_id, Visit.end_date).join(Visit, Visit.id == Membership.visit_id)
    ):
        if end is None:
            latest[person_id] = date.max
        else:
            latest[person_id] = max(latest.get(person_id, date.min), end)
    return sorted(person_id for person_id, end in latest.items() if end < limit)


def remove_old_personal_data(
    session: Session,
    today: date,
    years: int,
    label: Callable[[int], str],
    instance: Path | None = None,
) -> dict[str, int]:
    """Retention: people whose visits all ended more than ``years`` ago are erased (an anonymous
    node stays), and the words of those visits' messages and post checks go; counts stay."""
    limit = today - timedelta(days=round(365.25 * years))
    old_visits = select(Visit.id).where(Visit.end_date < limit)
    erased = 0
    for person_id in people_past_retention(session, today, years):
        person = session.get(Person, person_id)
        # Already erased (no email left, the pseudonym as name): nothing more to remove.
        if person is not None and person.name != label(person_id):
            erase_person(session, person_id, label(person_id), instance)
            erased += 1
    checks = session.execute(delete(PostCheck).where(PostCheck.visit_id.in_(old_visits)))
    thread_ids = select(Thread.id).where(Thread.visit_id.in_(old_visits))
    messages = session.execute(
        update(Message)
        .where(Message.thread_id.in_(thread_ids), Message.body != "")
        .values(body="", author_name="")
    )
    session.execute(
        update(MessageTranslation)
        .where(
            MessageTranslation.message_id.in_(
                select(Message.id).where(Message.thread_id.in_(thread_ids))
            )
        )
        .values(text="")
    )
    return {
        "people": erased,
        "post_checks": checks.rowcount or 0,
        "messages": messages.rowcount or 0,
    }
