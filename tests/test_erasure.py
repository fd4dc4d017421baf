"""Erasure leaves nothing of the person: after an administrator erases someone who has left data
in every table that can hold it, no text column of any table and no file under the instance
folder holds their name or address, except files others shared, which are listed for review.
A restore of a backup made before the erasure erases them again."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import Enum, String, select

from cop.accounts.models import User
from cop.actions.models import Action, ActionUpdate
from cop.computed.models import StoredView
from cop.correspondence.models import Direction, Draft, Message, MessageAttachment, Thread
from cop.database import utcnow
from cop.demo import load_demo
from cop.directory.models import Person
from cop.documents.models import VisitDocument
from cop.documents.storage import store
from cop.extensions import db
from cop.mail import OutboxMail, deliver, queue_mail
from cop.network.models import Channel, Contact, TieSource
from cop.planning.models import EffortCategory, EffortEntry
from cop.polls.models import DateOption, DatePoll, PollInvitee
from cop.privacy.models import Erasure
from cop.pseudonyms import pseudonym
from cop.reflections.models import Consent, Passage, Phase, Reflection, ReflectionSource
from cop.social.models import Platform, PostCheck
from cop.viewhelpers import attachments_folder, folder_of
from cop.visits.models import MembershipRole, RemovedMembership, Visit
from tests.conftest import _empty_all_tables, sign_in, visible_text

NAME = "Eilidh Robertson"
EMAIL = "participant@fife.example"


@pytest.fixture
def config_overrides() -> dict:
    return {"MAIL_WRITE_TO_FOLDER": True}


SIGNATURE = "Fife Council, Glenrothes; tel. 01592 000 000"
REMOVED_REASON = "Ran the east Fife PB pilot"


def everywhere(eilidh: Person, visit: Visit, other: Person) -> None:
    """Give Eilidh data in every table that can hold her words, her name or her address."""
    eilidh.signature = SIGNATURE
    second = Visit(
        title="Return visit",
        host_country="GB",
        time_zone="Europe/London",
        languages="en",
        status=visit.status,
    )
    db.session.add(second)
    db.session.flush()
    db.session.add_all(
        [
            # Removed from a visit: why she had been chosen is kept for her return.
            RemovedMembership(
                visit_id=second.id,
                person_id=eilidh.id,
                role=MembershipRole.PARTICIPANT,
                selection_reason=REMOVED_REASON,
            ),
            EffortEntry(
                visit_id=visit.id,
                person_id=eilidh.id,
                day=date(2016, 12, 1),
                minutes=30,
                category=EffortCategory.TRAVEL_AND_LOGISTICS,
                note=f"{NAME} booked the trains",
            ),
            Contact(
                from_person_id=eilidh.id,
                to_person_id=other.id,
                day=date(2017, 2, 1),
                channel=Channel.EMAIL,
                topic="Eilidh's question on named officers",
                source=TieSource.LOGGED,
                logged_by_id=eilidh.id,
            ),
            PostCheck(
                visit_id=visit.id,
                author_id=eilidh.id,
                platform=Platform.X,
                text="Eilidh here, learning from Paris",
                post_at=utcnow(),
            ),
            PostCheck(
                visit_id=visit.id,
                author_id=other.id,
                platform=Platform.X,
                text=f"With {NAME} at the Hôtel de Ville",
                post_at=utcnow(),
                pictured=[eilidh],
            ),
        ]
    )
    action = Action(
        visit_id=visit.id,
        title="Eilidh's own action",
        owner_id=eilidh.id,
        learning_point="What Eilidh learnt",
        evidence=f"Reported by {EMAIL}",
    )
    db.session.add(action)
    db.session.flush()
    db.session.add(ActionUpdate(action_id=action.id, author_id=eilidh.id, note="Eilidh's update"))
    thread = Thread(visit_id=visit.id, subject=f"Questions from {NAME}")
    db.session.add(thread)
    db.session.flush()
    # Her message carries an attachment that names her: it goes, file and all.
    attached = store(
        io.BytesIO(f"Notes by {NAME}".encode()), "notes.txt", attachments_folder(visit.id), 1024
    )
    db.session.add_all(
        [
            Message(
                thread_id=thread.id,
                direction=Direction.OUTBOUND,
                language="en",
                author_name=NAME,
                author_person_id=eilidh.id,
                body="Dear Claire, this is Eilidh writing.",
                attachments=[
                    MessageAttachment(
                        filename=attached.filename,
                        content_type=attached.content_type,
                        size=attached.size,
                        stored_name=attached.stored_name,
                    )
                ],
            ),
            Message(
                thread_id=thread.id,
                direction=Direction.INBOUND,
                language="fr",
                author_name="Claire Dubois",
                author_person_id=other.id,
                body=f"Chère {NAME}, merci. Écrivez à {EMAIL}.",
            ),
            # A message she is still writing, kept while a worker translates it.
            Draft(
                thread_id=thread.id,
                writer_person_id=eilidh.id,
                recipient_person_id=other.id,
                language="en",
                target_language="fr",
                body=f"Dear Claire, {NAME} again: my address is {EMAIL}.",
            ),
        ]
    )
    # An interview of someone else in which she speaks; a document she shared; one another
    # person shared that names her.
    db.session.add(
        Reflection(
            visit_id=visit.id,
            person_id=other.id,
            phase=Phase.AFTER,
            source=ReflectionSource.INTERVIEW,
            consent=Consent.NAMED,
            submitted_at=utcnow(),
            passages=[
                Passage(position=0, speaker=NAME, speaker_person_id=eilidh.id, text="A question"),
                Passage(position=1, speaker="Claire", text="An answer"),
            ],
        )
    )
    for uploader, title, body in (
        (eilidh, "Eilidh's notes", f"Notes by {NAME}".encode()),
        (other, "Minutes", f"Present: {NAME}".encode()),
    ):
        kept = store(io.BytesIO(body), "notes.txt", folder_of(visit.id), 1024)
        db.session.add(
            VisitDocument(
                visit_id=visit.id,
                uploaded_by_id=uploader.id,
                title=title,
                filename=kept.filename,
                stored_name=kept.stored_name,
                content_type=kept.content_type,
                size=kept.size,
                sha256=kept.sha256,
            )
        )
    poll = DatePoll(
        visit_id=visit.id,
        options=[DateOption(first_day=date(2017, 3, 6), last_day=date(2017, 3, 6))],
        invitees=[PollInvitee(person_id=eilidh.id, comment="Eilidh prefers Monday")],
    )
    db.session.add(poll)
    user = db.session.scalar(select(User).filter_by(email=EMAIL))
    queue_mail(EMAIL, "password_reset", "en", user=user, link="https://x/y", minutes=60)
    db.session.commit()


def texts_naming(words: list[str]) -> list[str]:
    """Every table.column whose text holds one of the words, ignoring case."""
    found = []
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            for column in table.columns:
                if not isinstance(column.type, String) or isinstance(column.type, Enum):
                    continue
                for word in words:
                    hit = connection.execute(
                        select(db.func.count())
                        .select_from(table)
                        .where(db.func.lower(column).contains(word.lower(), autoescape=True))
                    ).scalar()
                    if hit:
                        found.append(f"{table.name}.{column.name} ({word})")
    return found


def stored_naming(words: list[str]) -> list[str]:
    """The keys of stored pages and reports whose body holds one of the words."""
    return [
        key
        for key, body in db.session.execute(select(StoredView.key, StoredView.body))
        if any(word.lower().encode() in bytes(body).lower() for word in words)
    ]


def files_naming(folder: Path, words: list[str]) -> list[str]:
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes().lower()
            if any(word.lower().encode() in data for word in words):
                found.append(path.relative_to(folder).as_posix())
    return found


@pytest.fixture
def erased(app: Flask):
    load_demo(db.session)
    db.session.commit()
    eilidh = db.session.scalar(select(Person).filter_by(email=EMAIL))
    claire = db.session.scalar(select(Person).filter_by(email="hote@paris.example"))
    visit = db.session.scalar(select(Visit))
    everywhere(eilidh, visit, claire)
    # Mail written to the instance folder in development names her too.
    deliver()
    instance = Path(app.instance_path)
    assert files_naming(instance, [NAME, EMAIL]), "the set-up wrote no file naming her"
    assert texts_naming([NAME, EMAIL])
    admin = app.test_client()
    sign_in(admin, "admin@cop.example", "cop-demo")
    # Pages computed and stored for every reader (cop.computed) name her too, and so do the
    # pages kept as rendered for the administrator (cop.stored_pages), asked for twice.
    urls = (f"/visits/{visit.id}/itinerary", f"/visits/{visit.id}/itinerary.ics")
    for url in urls * 2:
        assert admin.get(url).status_code == 200
    assert stored_naming([NAME, EMAIL]), "no stored page names her"
    assert kept_naming([NAME]), "no kept page names her"
    page = admin.post(f"/people/{eilidh.id}/erase", data={"confirm": "y"})
    assert page.status_code == 200
    return {
        "id": eilidh.id,
        "page": visible_text(page.get_data(as_text=True)),
        "visit": visit,
        "admin": admin,
        "urls": urls,
    }


def kept_naming(words: list[str]) -> list[str]:
    from cop.stored_pages import page_store

    bodies = [body.decode() for body in page_store().bodies()]
    return [word for word in words if any(word in body for body in bodies)]


def test_no_text_of_any_table_names_the_erased_person(app: Flask, erased) -> None:
    assert texts_naming([NAME, EMAIL]) == []
    label = pseudonym(app.config["SECRET_KEY"], erased["id"])
    # What others wrote about her stays, under her pseudonym.
    bodies = db.session.scalars(select(Message.body).where(Message.language == "fr")).all()
    assert f"Chère {label}, merci. Écrivez à {label}." in bodies
    assert db.session.scalar(select(db.func.count(Erasure.id))) == 1
    assert (
        db.session.scalar(select(db.func.count(OutboxMail.id)).where(OutboxMail.recipient == EMAIL))
        == 0
    )


def test_no_stored_page_or_report_names_them(app: Flask, erased) -> None:
    assert stored_naming([NAME, EMAIL]) == []


def test_no_page_kept_as_rendered_names_them_after_the_next_request(app: Flask, erased) -> None:
    for url in erased["urls"]:
        assert NAME not in erased["admin"].get(url).get_data(as_text=True)
    assert kept_naming([NAME]) == []


def test_the_messages_they_were_writing_go(app: Flask, erased) -> None:
    assert db.session.scalar(select(db.func.count(Draft.id))) == 0


def test_what_is_about_them_without_naming_them_goes_too(app: Flask, erased) -> None:
    assert texts_naming([SIGNATURE, REMOVED_REASON]) == []
    assert db.session.scalar(select(db.func.count(RemovedMembership.id))) == 0


def test_no_file_names_them_but_those_others_shared_which_are_listed(app: Flask, erased) -> None:
    remaining = files_naming(Path(app.instance_path), [NAME, EMAIL])
    assert len(remaining) == 1 and remaining[0].startswith("documents/")
    assert remaining[0] in erased["page"]
    assert "Files to review" in erased["page"]
    # Her own document is gone with its file.
    titles = set(db.session.scalars(select(VisitDocument.title)))
    assert "Eilidh's notes" not in titles and "Minutes" in titles


def test_the_database_file_keeps_no_copy_of_the_erased_text(app: Flask, erased) -> None:
    url = db.engine.url
    if url.get_backend_name() != "sqlite":
        pytest.skip("PostgreSQL reclaims deleted rows with its own vacuum")
    data = Path(url.database).read_bytes()
    assert NAME.encode() not in data and EMAIL.encode() not in data


def test_they_are_no_longer_offered_as_an_interviewee(app: Flask, erased) -> None:
    researcher = app.test_client()
    sign_in(researcher, "researcher@wws.example", "cop-demo")
    page = researcher.get(f"/visits/{erased['visit'].id}/interviews/new")
    assert page.status_code == 200
    label = pseudonym(app.config["SECRET_KEY"], erased["id"])
    assert label not in page.get_data(as_text=True)


def test_a_restore_of_an_older_backup_erases_them_again(app: Flask, tmp_path) -> None:
    load_demo(db.session)
    db.session.commit()
    archive = tmp_path / "before.zip"
    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup", "--output", str(archive)]).exit_code == 0
    eilidh = db.session.scalar(select(Person).filter_by(email=EMAIL))
    admin = app.test_client()
    sign_in(admin, "admin@cop.example", "cop-demo")
    admin.post(f"/people/{eilidh.id}/erase", data={"confirm": "y"})
    db.session.remove()
    _empty_all_tables()
    restored = runner.invoke(args=["restore", str(archive)])
    assert restored.exit_code == 0, restored.output
    assert "erased again" in restored.output
    assert texts_naming([NAME, EMAIL]) == []
