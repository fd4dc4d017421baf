"""Who may open what: every route, tried by every role and by someone not signed in.

Statuses: 200 page shown, 302 done and redirected (or, for someone not signed in, sent to sign in),
403 signed in without the right role."""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask, current_app

from cop.actions.models import Action
from cop.correspondence.models import (
    Direction,
    Message,
    MessageAttachment,
    MessageTranslation,
    Thread,
)
from cop.database import utcnow
from cop.designs.models import VisitDesign
from cop.directory.models import Person
from cop.documents.models import VisitDocument
from cop.documents.storage import store
from cop.extensions import db
from cop.interpreting.models import Booking, Interpreter, LanguagePair, Mode, Unavailability
from cop.network.models import SurveyWave
from cop.planning.models import Cost, CostCategory, PlanningTask
from cop.polls.models import DateOption, DatePoll, PollInvitee
from cop.pseudonyms import pseudonym
from cop.reflections.logic import ensure_codebook, ensure_guide
from cop.reflections.models import Consent, GuideQuestion, Passage, Phase, Reflection
from cop.research.models import Code, CodedSegment
from cop.social.logic import protocol_of
from cop.social.models import Embargo, Platform, PostCheck, SocialProtocol
from cop.translation.models import ContentTranslation
from cop.viewhelpers import attachments_folder, folder_of
from cop.visits.logic import neighbouring_statuses
from cop.visits.models import Membership, MembershipRole, ProgrammeResearcher, Visit
from tests.conftest import Factory, sign_in

ROLES = [
    "anonymous",
    "outsider",
    "participant",
    "host",
    "interpreter",
    "member_researcher",
    "observer",
    "lead",
    "researcher",
    # Cross-programme: the lead of a visit of another programme, a researcher of another one.
    "other_lead",
    "other_researcher",
    "admin",
]
SIGNED_IN = ROLES[1:]
ORGANISERS = {"lead", "admin"}
# Everyone with a role in the visit is asked in the matrix's date poll.
WRITERS = {"participant", "host", "interpreter", "member_researcher", "observer", "lead", "admin"}
ANALYSTS = {"lead", "member_researcher", "researcher", "admin"}
INVITED = {"participant", "host", "interpreter", "member_researcher", "observer", "lead"}


def everyone(status: int = 200, anonymous: int = 302) -> dict[str, int]:
    return {"anonymous": anonymous, **{role: status for role in SIGNED_IN}}


def only(allowed: set[str], status: int = 200) -> dict[str, int]:
    return {
        "anonymous": 302,
        **{role: status if role in allowed else 403 for role in SIGNED_IN},
    }


VISIT_VIEWERS = {
    "participant",
    "host",
    "interpreter",
    "member_researcher",
    "observer",
    "lead",
    "researcher",
    "admin",
}
# Correspondence and documents: the visit's own people; a researcher studying the programme
# from outside reads research data only.
RECORD_READERS = VISIT_VIEWERS - {"researcher"}
# The visitors' effort and costs: not hosts or interpreters (until a lead shares them).
PLANNING_READERS = {"participant", "member_researcher", "observer", "lead", "admin"}
# Anyone who leads a visit may start visits and keep the directories, whatever the programme.
ANY_ORGANISER = {"lead", "other_lead", "admin"}


@dataclass
class World:
    visit: Visit
    programme_id: int
    organisation_id: int
    other_person_id: int
    # A member of the visit without an account, and the participant (who has one).
    member_person_id: int = 0
    account_person_id: int = 0
    item_id: int = 0
    design_id: int = 0
    poll_id: int = 0
    task_id: int = 0
    cost_id: int = 0
    translation_row_id: int = 0
    document_id: int = 0
    wave_id: int = 0
    thread_id: int = 0
    translation_id: int = 0
    untold_message_id: int = 0
    attachment_id: int = 0
    reflection_id: int = 0
    passage_id: int = 0
    question_id: int = 0
    code_id: int = 0
    action_id: int = 0
    story_key: str = "P-unknown"
    interpreter_id: int = 0
    booking_id: int = 0
    post_check_id: int = 0
    users: dict[str, Any] = field(default_factory=dict)
    outsider_user_id: int = 0
    admin_user_id: int = 0


@dataclass
class Case:
    method: str
    url: Callable[[World], str]
    expected: dict[str, int]
    data: Callable[[World], dict[str, str]] = lambda world: {}


def removable_observer_url(world: World) -> str:
    """A membership the lead may remove, created afresh for each attempt."""
    spare = Factory().person()
    membership = Membership(visit=world.visit, person=spare, role=MembershipRole.OBSERVER)
    db.session.add(membership)
    db.session.commit()
    return f"/visits/{world.visit.id}/members/{membership.id}/remove"


def blank_form(world: World) -> dict[str, str]:
    """A form whose required fields are sent empty (an empty body would count as not sent)."""
    return {"title": "", "name": "", "email": "", "current_password": ""}


def removable_document_url(world: World) -> str:
    """A document shared by someone outside the roles tried, created afresh for each attempt."""
    document = shared_document(world.visit)
    return f"/visits/{world.visit.id}/documents/{document.id}/delete"


def shared_document(visit: Visit) -> VisitDocument:
    kept = store(io.BytesIO(b"%PDF agenda"), "agenda.pdf", folder_of(visit.id), 1024)
    document = VisitDocument(
        visit_id=visit.id,
        title="Agenda",
        filename=kept.filename,
        stored_name=kept.stored_name,
        content_type=kept.content_type,
        size=kept.size,
        sha256=kept.sha256,
    )
    db.session.add(document)
    db.session.commit()
    return document


RESEARCHERS = {"member_researcher", "researcher"}
SPANS = itertools.count()
REFLECTORS = {"participant", "lead"}
GUIDE_EDITORS = ORGANISERS | RESEARCHERS
ACTION_CHANGERS = {"participant", "lead", "admin"}


def participants_reflection(world: World, consent: Consent = Consent.NAMED) -> Reflection:
    reflection = Reflection(
        visit_id=world.visit.id,
        person_id=world.users["participant"].person_id,
        phase=Phase.AFTER,
        consent=consent,
        submitted_at=utcnow(),
        passages=[Passage(position=0, text="Paris has a named officer in every department.")],
    )
    db.session.add(reflection)
    db.session.commit()
    return reflection


def removable_reflection_url(world: World) -> str:
    """A reflection of the participant's, written afresh for each attempt to delete it."""
    reflection = participants_reflection(world)
    return f"/visits/{world.visit.id}/reflections/{reflection.id}/delete"


def removable_segment_url(world: World) -> str:
    """A code the installation's researcher applied, afresh for each attempt to remove it."""
    segment = CodedSegment(
        passage_id=world.passage_id,
        code_id=world.code_id,
        coder_id=world.users["researcher"].id,
        # A span of its own each time: the same code on the same words is applied only once.
        char_start=next(SPANS),
        char_end=40,
    )
    db.session.add(segment)
    db.session.commit()
    return (
        f"/visits/{world.visit.id}/reflections/{world.reflection_id}/segments/{segment.id}/delete"
    )


def disagreement_url(world: World) -> str:
    """Two researchers coded the world's passage differently (the first applied the code, the
    second another one): the page of where they disagree."""
    first, second = world.users["researcher"], world.users["member_researcher"]
    other_code = db.session.scalar(
        db.select(Code.id).where(Code.programme_id == world.programme_id, Code.id != world.code_id)
    )
    for coder, code in ((first, world.code_id), (second, other_code)):
        wanted = {"passage_id": world.passage_id, "code_id": code, "coder_id": coder.id}
        if db.session.scalar(db.select(CodedSegment.id).filter_by(**wanted)) is None:
            db.session.add(CodedSegment(**wanted, char_start=0, char_end=10))
    db.session.commit()
    return (
        f"/programmes/{world.programme_id}/agreement/disagreements"
        f"?first={first.id}&second={second.id}"
    )


def removable_code_url(world: World) -> str:
    code = Code(programme_id=world.programme_id, name="Spare code")
    db.session.add(code)
    db.session.commit()
    return f"/programmes/{world.programme_id}/codebook/{code.id}/delete"


def removable_design_url(world: World) -> str:
    """A design of the programme's library, made afresh for each attempt to remove it."""
    design = VisitDesign(programme_id=world.programme_id, title="Spare", content=world_design())
    db.session.add(design)
    db.session.commit()
    return f"/programmes/{world.programme_id}/designs/{design.id}/remove"


def world_design() -> dict:
    return {"format": "cop-visit-design", "version": 1, "title": "A design"}


def interpreting_day_url(world: World) -> str:
    """A day with an item that needs an interpreter (made once: other cases may cancel the
    world's own item before this one runs)."""
    from cop.itinerary.models import ItineraryItem

    title = "Needs an interpreter"
    if not db.session.scalar(db.select(ItineraryItem.id).where(ItineraryItem.title == title)):
        Factory().item(world.visit, title=title, day=date(2016, 12, 9), needs_interpreter=True)
    return f"/visits/{world.visit.id}/interpreting/days/2016-12-09"


def day_sheet_url(world: World) -> str:
    """The participant's day sheet: they attend the world's item (made so once)."""
    from cop.directory.models import Person as DirectoryPerson
    from cop.itinerary.models import ItineraryItem

    item = db.session.get(ItineraryItem, world.item_id)
    participant = db.session.get(DirectoryPerson, world.users["participant"].person_id)
    if participant not in item.attendees:
        item.attendees.append(participant)
        db.session.commit()
    day = item.starts_at.astimezone(ZoneInfo(item.time_zone)).date()
    return f"/visits/{world.visit.id}/day-sheets/{day}.pdf?person={participant.id}"


def mergeable_code_url(world: World) -> str:
    """A spare code to merge into the world's code, made afresh for each attempt."""
    code = Code(programme_id=world.programme_id, name="Spare code to merge")
    db.session.add(code)
    db.session.commit()
    return f"/programmes/{world.programme_id}/codebook/{code.id}/merge?into={world.code_id}"


def undoable_coding_url(world: World) -> str:
    """A coding of the installation's researcher, made afresh, for "undo my last coding"."""
    db.session.add(
        CodedSegment(
            passage_id=world.passage_id,
            code_id=world.code_id,
            coder_id=world.users["researcher"].id,
            char_start=next(SPANS),
            char_end=41,
        )
    )
    db.session.commit()
    return f"/programmes/{world.programme_id}/coding/undo"


def removable_unavailability_url(world: World) -> str:
    entry = Unavailability(
        interpreter_id=world.interpreter_id, first_day=date(2017, 1, 2), last_day=date(2017, 1, 3)
    )
    db.session.add(entry)
    db.session.commit()
    return f"/interpreters/{world.interpreter_id}/unavailable/{entry.id}/delete"


def removable_embargo_url(world: World) -> str:
    protocol = db.session.scalar(db.select(SocialProtocol).filter_by(visit_id=world.visit.id))
    embargo = Embargo(protocol_id=protocol.id, subject="steering group", until=utcnow())
    db.session.add(embargo)
    db.session.commit()
    return f"/visits/{world.visit.id}/protocol/embargoes/{embargo.id}/delete"


INVITEES = itertools.count(1)


def invitable_member_url(world: World) -> str:
    """A member without an account, afresh for each attempt to invite them."""
    number = next(INVITEES)
    person = Person(name=f"Invitee {number}", email=f"invitee{number}@example.org")
    membership = Membership(
        visit=world.visit, person=person, role=MembershipRole.HOST, selection_reason="Host"
    )
    db.session.add(membership)
    db.session.commit()
    return f"/visits/{world.visit.id}/members/{membership.id}/invite"


def next_status(world: World) -> dict[str, str]:
    db.session.refresh(world.visit)
    return {"status": neighbouring_statuses(world.visit.status)[-1].value}


CASES = [
    Case("GET", lambda w: "/", everyone()),
    Case("GET", lambda w: "/favicon.ico", everyone(301, anonymous=301)),
    Case("GET", lambda w: "/visits", everyone()),
    Case("GET", lambda w: "/visits/new", only(ANY_ORGANISER)),
    Case("GET", lambda w: f"/visits/{w.visit.id}", only(VISIT_VIEWERS)),
    Case("GET", lambda w: f"/visits/{w.visit.id}/edit", only(ORGANISERS)),
    Case("GET", lambda w: f"/visits/{w.visit.id}/members", only(ORGANISERS)),
    Case("POST", lambda w: f"/visits/{w.visit.id}/status", only(ORGANISERS, 302), next_status),
    Case("POST", removable_observer_url, only(ORGANISERS, 302)),
    Case("GET", removable_observer_url, only(ORGANISERS)),
    Case("GET", lambda w: f"/visits/{w.visit.id}/itinerary", only(VISIT_VIEWERS)),
    Case("GET", lambda w: f"/visits/{w.visit.id}/itinerary.ics", only(VISIT_VIEWERS)),
    Case("GET", lambda w: f"/visits/{w.visit.id}/itinerary/new", only(ORGANISERS)),
    Case(
        "POST", lambda w: f"/visits/{w.visit.id}/itinerary/new", only(ORGANISERS, 400), blank_form
    ),
    Case("GET", lambda w: f"/visits/{w.visit.id}/itinerary/{w.item_id}/edit", only(ORGANISERS)),
    Case(
        "POST",
        lambda w: f"/visits/{w.visit.id}/itinerary/{w.item_id}/edit",
        only(ORGANISERS, 400),
        blank_form,
    ),
    Case(
        "POST",
        lambda w: f"/visits/{w.visit.id}/itinerary/{w.item_id}/invite",
        only(ORGANISERS, 302),
    ),
    Case("GET", lambda w: f"/visits/{w.visit.id}/itinerary/{w.item_id}/cancel", only(ORGANISERS)),
    # Their own sheet for the participant, any member's for the visit's organisers.
    Case("GET", day_sheet_url, only(ORGANISERS | {"participant"})),
    Case(
        "POST",
        lambda w: f"/visits/{w.visit.id}/itinerary/{w.item_id}/cancel",
        only(ORGANISERS, 302),
    ),
    Case("GET", lambda w: "/calendar/not-a-token.ics", everyone(400, anonymous=400)),
    Case("GET", lambda w: f"/visits/{w.visit.id}/itinerary/import", only(ORGANISERS)),
    Case(
        "POST",
        lambda w: f"/visits/{w.visit.id}/itinerary/import",
        only(ORGANISERS, 400),
        blank_form,
    ),
    Case(
        "POST",
        lambda w: f"/visits/{w.visit.id}/itinerary/import/apply",
        only(ORGANISERS, 400),
        blank_form,
    ),
    Case("POST", lambda w: "/calendar/link", {**everyone(302), "admin": 400}),
    Case("GET", lambda w: f"/visits/{w.visit.id}/polls/new", only(ORGANISERS)),
    Case("POST", lambda w: f"/visits/{w.visit.id}/polls/new", only(ORGANISERS, 400), blank_form),
    Case("GET", lambda w: f"/visits/{w.visit.id}/polls/{w.poll_id}", only(VISIT_VIEWERS)),
    # The host's side: the visit's hosts only.
    Case("GET", lambda w: f"/visits/{w.visit.id}/hosting", only({"host"})),
    Case("POST", lambda w: f"/visits/{w.visit.id}/hosting", only({"host"}, 400), blank_form),
    # Sent without a moment: the form's answer for the leads.
    Case(
        "POST",
        lambda w: f"/visits/{w.visit.id}/polls/{w.poll_id}/reminder",
        only(ORGANISERS, 400),
        blank_form,
    ),
    Case("GET", lambda w: f"/visits/{w.visit.id}/polls/{w.poll_id}/answer", only(INVITED)),
    Case(
        "POST",
        lambda w: f"/visits/{w.visit.id}/polls/{w.poll_id}/answer",
        only(INVITED, 400),
        blank_form,
    ),
    Case(
        "POST",
        lambda w: f"/visits/{w.visit.id}/polls/{w.poll_id}/close",
        only(ORGANISERS, 400),
        blank_form,
    ),
    Case("GET", lambda w: "/polls/not-a-token", everyone(400, anonymous=400)),
    Case("POST", lambda w: "/polls/not-a-token", everyone(400, anonymous=400)),
    Case("GET", lambda w: f"/visits/{w.visit.id}/planning", only(PLANNING_READERS)),
    Case("GET", lambda w: f"/visits/{w.visit.id}/planning/effort.csv", only(PLANNING_READERS)),
    Case("GET", lambda w: f"/visits/{w.visit.id}/planning/costs.csv", only(PLANNING_READERS)),
    Case(
        "POST",
        lambda w: f"/visits/{w.visit.id}/planning/effort",
        only(PLANNING_READERS, 400),
        blank_form,
    ),
    # Sharing is turned on and off again, so the cases after it see it off.
    Case(
        "POST",
        lambda w: f"/visits/{w.visit.id}/planning/sharing",
        only(ORGANISERS, 302),
        lambda w: {"shared": "0"},
    ),
    Case(
        "POST", lambda w: f"/visits/{w.visit.id}/planning/costs", only(ORGANISERS, 400), blank_form
    ),
    Case("POST", lambda w: f"/visits/{w.visit.id}/planning/checklist", only(ORGANISERS, 302)),
    Case(
        "POST",
        lambda w: f"/visits/{w.visit.id}/planning/costs/{w.cost_id}/rate",
        only(ORGANISERS, 400),
        blank_form,
    ),
    Case("GET", lambda w: f"/visits/{w.visit.id}/planning/tasks/{w.task_id}", only(ORGANISERS)),
    Case(
        "POST",
        lambda w: f"/visits/{w.visit.id}/planning/tasks/{w.task_id}",
        only(ORGANISERS, 400),
        blank_form,
    ),
    Case("GET", lambda w: f"/visits/{w.visit.id}/documents", only(RECORD_READERS)),
    Case(
        "POST",
        lambda w: f"/visits/{w.visit.id}/documents",
        only(INVITED | {"admin"}, 400),
        blank_form,
    ),
    Case("GET", lambda w: f"/visits/{w.visit.id}/documents/{w.document_id}", only(RECORD_READERS)),
    Case("POST", removable_document_url, only(ORGANISERS, 302)),
    # Asking first: the confirmation page, for those who may remove it.
    Case("GET", removable_document_url, only(ORGANISERS)),
    Case("GET", lambda w: "/contacts/new", {**everyone(), "admin": 403}),
    Case("POST", lambda w: "/contacts/new", {**everyone(400), "admin": 403}, blank_form),
    Case("GET", lambda w: f"/programmes/{w.programme_id}/contacts/import", only(ANALYSTS)),
    Case(
        "POST",
        lambda w: f"/programmes/{w.programme_id}/contacts/import",
        only(ANALYSTS, 400),
        blank_form,
    ),
    Case("GET", lambda w: f"/programmes/{w.programme_id}/network", only(ANALYSTS)),
    Case("GET", lambda w: f"/programmes/{w.programme_id}/network.graphml", only(ANALYSTS)),
    Case("GET", lambda w: f"/programmes/{w.programme_id}/surveys/new", only(ANALYSTS)),
    Case(
        "POST",
        lambda w: f"/programmes/{w.programme_id}/surveys/new",
        only(ANALYSTS, 400),
        blank_form,
    ),
    Case("GET", lambda w: f"/programmes/{w.programme_id}/network-panel.zip", only(ANALYSTS)),
    Case("GET", lambda w: f"/programmes/{w.programme_id}/surveys/{w.wave_id}", only(ANALYSTS)),
    # Before the wave is closed (the next case closes it): everyone silent is reminded once.
    Case(
        "POST",
        lambda w: f"/programmes/{w.programme_id}/surveys/{w.wave_id}/remind",
        only(ANALYSTS, 302),
    ),
    Case(
        "POST",
        lambda w: f"/programmes/{w.programme_id}/surveys/{w.wave_id}/close",
        only(ANALYSTS, 302),
    ),
    Case("GET", lambda w: "/survey/not-a-token", everyone(400, anonymous=400)),
    Case("POST", lambda w: "/survey/not-a-token", everyone(400, anonymous=400)),
    Case("GET", lambda w: "/glossary", everyone()),
    Case("GET", lambda w: "/glossary.csv", everyone()),
    Case("GET", lambda w: "/glossary/new", only(ANY_ORGANISER)),
    Case("POST", lambda w: "/glossary/new", only(ANY_ORGANISER, 400), blank_form),
    Case("GET", lambda w: "/glossary/import", only(ANY_ORGANISER)),
    Case("POST", lambda w: "/glossary/import", only(ANY_ORGANISER, 400), blank_form),
    Case("GET", lambda w: f"/visits/{w.visit.id}/correspondence", only(RECORD_READERS)),
    Case("POST", lambda w: f"/visits/{w.visit.id}/correspondence", only(WRITERS, 400), blank_form),
    Case(
        "GET", lambda w: f"/visits/{w.visit.id}/correspondence/{w.thread_id}", only(RECORD_READERS)
    ),
    Case(
        "POST",
        lambda w: f"/visits/{w.visit.id}/correspondence/{w.thread_id}",
        only(WRITERS, 400),
        blank_form,
    ),
    Case(
        "POST",
        lambda w: f"/visits/{w.visit.id}/correspondence/{w.thread_id}/retry",
        only(WRITERS, 302),
    ),
    Case(
        "POST",
        lambda w: (
            f"/visits/{w.visit.id}/correspondence/{w.thread_id}"
            f"/messages/{w.untold_message_id}/language"
        ),
        only(WRITERS, 400),
        blank_form,
    ),
    Case(
        "GET",
        lambda w: f"/visits/{w.visit.id}/correspondence/translations/{w.translation_id}",
        only(WRITERS),
    ),
    Case(
        "POST",
        lambda w: f"/visits/{w.visit.id}/correspondence/translations/{w.translation_id}",
        only(WRITERS, 400),
        lambda w: {"text": ""},
    ),
    Case("GET", lambda w: f"/visits/{w.visit.id}/correspondence/import", only(WRITERS)),
    Case(
        "GET", lambda w: f"/visits/{w.visit.id}/correspondence/{w.thread_id}/write", only(WRITERS)
    ),
    Case(
        "POST",
        lambda w: f"/visits/{w.visit.id}/correspondence/{w.thread_id}/write",
        only(WRITERS, 400),
        lambda w: {"body": ""},
    ),
    Case(
        "POST",
        lambda w: f"/visits/{w.visit.id}/correspondence/import",
        only(WRITERS, 400),
        blank_form,
    ),
    Case(
        "GET",
        lambda w: f"/visits/{w.visit.id}/correspondence/attachments/{w.attachment_id}",
        only(RECORD_READERS),
    ),
    Case("GET", lambda w: f"/visits/{w.visit.id}/reflections", only(VISIT_VIEWERS)),
    Case("GET", lambda w: f"/visits/{w.visit.id}/reflections/new?phase=before", only(REFLECTORS)),
    Case(
        "POST",
        lambda w: f"/visits/{w.visit.id}/reflections/new?phase=before",
        only(REFLECTORS, 400),
        blank_form,
    ),
    Case(
        "GET",
        lambda w: f"/visits/{w.visit.id}/reflections/{w.reflection_id}",
        only({"participant"} | RESEARCHERS),
    ),
    # Submitted reflections are final: their writer is sent back to read them.
    Case(
        "GET",
        lambda w: f"/visits/{w.visit.id}/reflections/{w.reflection_id}/edit",
        only({"participant"}, 302),
    ),
    Case(
        "POST",
        lambda w: f"/visits/{w.visit.id}/reflections/{w.reflection_id}/edit",
        only({"participant"}, 302),
        blank_form,
    ),
    Case(
        "POST",
        lambda w: f"/visits/{w.visit.id}/reflections/{w.reflection_id}/consent",
        only({"participant"}, 400),
        blank_form,
    ),
    Case("POST", removable_reflection_url, only({"participant"}, 302)),
    Case("GET", removable_reflection_url, only({"participant"})),
    Case(
        "POST",
        lambda w: (
            f"/visits/{w.visit.id}/reflections/{w.reflection_id}/passages/{w.passage_id}/code"
        ),
        only(RESEARCHERS, 400),
        blank_form,
    ),
    Case("POST", removable_segment_url, only({"researcher"}, 302)),
    Case(
        "POST",
        lambda w: f"/visits/{w.visit.id}/reflections/{w.reflection_id}/memos",
        only(RESEARCHERS, 400),
        blank_form,
    ),
    Case("GET", lambda w: f"/visits/{w.visit.id}/interviews/new", only(RESEARCHERS)),
    Case(
        "POST", lambda w: f"/visits/{w.visit.id}/interviews/new", only(RESEARCHERS, 400), blank_form
    ),
    Case("GET", lambda w: f"/visits/{w.visit.id}/guide", only(GUIDE_EDITORS)),
    Case("POST", lambda w: f"/visits/{w.visit.id}/guide", only(GUIDE_EDITORS, 400), blank_form),
    Case(
        "POST",
        lambda w: f"/visits/{w.visit.id}/guide/{w.question_id}",
        only(GUIDE_EDITORS, 400),
        blank_form,
    ),
    Case("GET", lambda w: "/reflections", everyone()),
    Case("GET", lambda w: "/reflections/mine.json", everyone()),
    Case("POST", lambda w: "/reflections/delete", everyone(400), blank_form),
    Case("GET", lambda w: f"/programmes/{w.programme_id}/codebook", only(RESEARCHERS)),
    Case(
        "POST",
        lambda w: f"/programmes/{w.programme_id}/codebook",
        only(RESEARCHERS, 400),
        blank_form,
    ),
    Case("GET", lambda w: f"/programmes/{w.programme_id}/codebook/{w.code_id}", only(RESEARCHERS)),
    Case(
        "POST",
        lambda w: f"/programmes/{w.programme_id}/codebook/{w.code_id}",
        only(RESEARCHERS, 400),
        blank_form,
    ),
    Case("POST", removable_code_url, only(RESEARCHERS, 302)),
    Case("GET", mergeable_code_url, only(RESEARCHERS)),
    Case("POST", mergeable_code_url, only(RESEARCHERS, 302)),
    # The member researcher has no coding to undo: told so, and sent to the codebook.
    Case("POST", undoable_coding_url, only(RESEARCHERS, 302)),
    Case("GET", lambda w: f"/programmes/{w.programme_id}/codes.css", only(RESEARCHERS)),
    Case("GET", lambda w: f"/programmes/{w.programme_id}/matrix", only(RESEARCHERS)),
    Case("GET", lambda w: f"/programmes/{w.programme_id}/value-creation", only(RESEARCHERS)),
    Case("GET", lambda w: f"/programmes/{w.programme_id}/value-creation.csv", only(RESEARCHERS)),
    Case("GET", removable_code_url, only(RESEARCHERS)),
    Case("GET", lambda w: f"/programmes/{w.programme_id}/codebook.qdc", only(RESEARCHERS)),
    Case("GET", lambda w: f"/programmes/{w.programme_id}/coded-segments.csv", only(RESEARCHERS)),
    Case("GET", lambda w: f"/programmes/{w.programme_id}/agreement", only(RESEARCHERS)),
    Case("GET", disagreement_url, only(RESEARCHERS)),
    Case("GET", lambda w: f"/programmes/{w.programme_id}/project.qdpx", only(RESEARCHERS)),
    Case("GET", lambda w: f"/programmes/{w.programme_id}/import", only(RESEARCHERS)),
    # Sent without a file: the form's answer (400) for those allowed, 403 for the others.
    Case("POST", lambda w: f"/programmes/{w.programme_id}/import", only(RESEARCHERS, 400)),
    # Sent without the box ticked: coding stays open for the cases that follow.
    Case("POST", lambda w: f"/programmes/{w.programme_id}/coding/blind", only(RESEARCHERS, 302)),
    Case("POST", lambda w: f"/programmes/{w.programme_id}/coding/finished", only(RESEARCHERS, 302)),
    Case("GET", lambda w: f"/programmes/{w.programme_id}/themes", only(RESEARCHERS)),
    Case("GET", lambda w: f"/programmes/{w.programme_id}/themes/{w.code_id}", only(RESEARCHERS)),
    # A value-creation story: for researchers, and for the person it is about.
    Case(
        "GET",
        lambda w: f"/programmes/{w.programme_id}/stories/{w.story_key}",
        only(RESEARCHERS | {"participant"}),
    ),
    Case("GET", lambda w: f"/visits/{w.visit.id}/actions", only(VISIT_VIEWERS)),
    Case("GET", lambda w: f"/programmes/{w.programme_id}/actions", only(ANALYSTS)),
    Case("GET", lambda w: f"/visits/{w.visit.id}/actions/new", only(ACTION_CHANGERS)),
    Case(
        "POST",
        lambda w: f"/visits/{w.visit.id}/actions/new",
        only(ACTION_CHANGERS, 400),
        blank_form,
    ),
    Case("GET", lambda w: f"/visits/{w.visit.id}/actions/{w.action_id}", only(VISIT_VIEWERS)),
    Case(
        "POST",
        lambda w: f"/visits/{w.visit.id}/actions/{w.action_id}",
        {**only(VISIT_VIEWERS - ACTION_CHANGERS, 403), **{r: 400 for r in ACTION_CHANGERS}},
        blank_form,
    ),
    Case(
        "GET", lambda w: f"/visits/{w.visit.id}/actions/{w.action_id}/edit", only(ACTION_CHANGERS)
    ),
    Case(
        "POST",
        lambda w: f"/visits/{w.visit.id}/actions/{w.action_id}/edit",
        only(ACTION_CHANGERS, 400),
        blank_form,
    ),
    Case("GET", lambda w: "/interpreters", only(ANY_ORGANISER)),
    Case("GET", lambda w: "/interpreters/new", only(ANY_ORGANISER)),
    Case("POST", lambda w: "/interpreters/new", only(ANY_ORGANISER, 400), blank_form),
    Case("GET", lambda w: f"/interpreters/{w.interpreter_id}", only(ANY_ORGANISER)),
    Case(
        "POST", lambda w: f"/interpreters/{w.interpreter_id}", only(ANY_ORGANISER, 400), blank_form
    ),
    Case(
        "POST",
        lambda w: f"/interpreters/{w.interpreter_id}/unavailable",
        only(ANY_ORGANISER, 400),
        blank_form,
    ),
    Case("POST", removable_unavailability_url, only(ANY_ORGANISER, 302)),
    Case("GET", removable_unavailability_url, only(ANY_ORGANISER)),
    Case("POST", lambda w: f"/interpreters/{w.interpreter_id}/link", only(ANY_ORGANISER, 302)),
    Case(
        "GET",
        lambda w: f"/visits/{w.visit.id}/itinerary/{w.item_id}/interpreters",
        only(ORGANISERS),
    ),
    Case(
        "POST",
        lambda w: f"/visits/{w.visit.id}/itinerary/{w.item_id}/interpreters",
        only(ORGANISERS, 400),
        blank_form,
    ),
    Case("GET", lambda w: f"/visits/{w.visit.id}/interpreting", only(VISIT_VIEWERS)),
    # The interpreters' day: read by the visit's people, booked from by its organisers.
    Case("GET", interpreting_day_url, only(VISIT_VIEWERS)),
    Case("POST", interpreting_day_url, only(ORGANISERS, 400), blank_form),
    Case(
        "POST",
        lambda w: f"/visits/{w.visit.id}/bookings/{w.booking_id}",
        only(ORGANISERS, 400),
        blank_form,
    ),
    # The briefing pack: for the organisers, and for the interpreter it is written for.
    Case(
        "GET",
        lambda w: f"/visits/{w.visit.id}/briefing/{w.interpreter_id}",
        only(ORGANISERS | {"interpreter"}),
    ),
    Case("GET", lambda w: "/interpreting/not-a-token", everyone(400, anonymous=400)),
    Case("POST", lambda w: "/interpreting/not-a-token", everyone(400, anonymous=400)),
    Case(
        "GET",
        lambda w: f"/interpreting/not-a-token/briefing/{w.visit.id}",
        everyone(400, anonymous=400),
    ),
    Case(
        "GET",
        lambda w: f"/interpreting/not-a-token/briefing/{w.visit.id}/documents/{w.document_id}",
        everyone(400, anonymous=400),
    ),
    Case("GET", lambda w: f"/visits/{w.visit.id}/protocol", only(VISIT_VIEWERS)),
    # Leads and interpreters correct the translations of the visit's content.
    Case("GET", lambda w: f"/visits/{w.visit.id}/translations", only(ORGANISERS | {"interpreter"})),
    Case(
        "POST",
        lambda w: f"/visits/{w.visit.id}/translations/{w.translation_row_id}",
        only(ORGANISERS | {"interpreter"}, 400),
        blank_form,
    ),
    # Members accept the approved protocol before the change below makes a new version.
    Case("POST", lambda w: f"/visits/{w.visit.id}/protocol/acknowledge", only(INVITED, 302)),
    # Every field of the protocol may be empty, so a blank form is a valid change.
    Case("POST", lambda w: f"/visits/{w.visit.id}/protocol", only(ORGANISERS, 302), blank_form),
    Case(
        "POST",
        lambda w: f"/visits/{w.visit.id}/protocol/embargoes",
        only(ORGANISERS, 400),
        blank_form,
    ),
    Case("POST", removable_embargo_url, only(ORGANISERS, 302)),
    Case("GET", removable_embargo_url, only(ORGANISERS)),
    Case("POST", lambda w: f"/visits/{w.visit.id}/protocol/send", only(ORGANISERS, 302)),
    Case("POST", lambda w: f"/visits/{w.visit.id}/protocol/remind", only(ORGANISERS, 302)),
    Case("GET", lambda w: "/protocol/approve/not-a-token", everyone(400, anonymous=400)),
    Case("POST", lambda w: "/protocol/approve/not-a-token", everyone(400, anonymous=400)),
    Case("GET", lambda w: "/protocol/acknowledge/not-a-token", everyone(400, anonymous=400)),
    Case("POST", lambda w: "/protocol/acknowledge/not-a-token", everyone(400, anonymous=400)),
    Case("GET", lambda w: "/consent", {**everyone(), "admin": 403}),
    Case("POST", lambda w: "/consent", {**everyone(302), "admin": 403}, blank_form),
    # Consent for someone else: a lead of a visit they are in (or an administrator); for a
    # person in no visit, only an administrator; the participant for themself.
    Case("GET", lambda w: f"/people/{w.other_person_id}/consent", only({"admin"})),
    Case(
        "POST", lambda w: f"/people/{w.other_person_id}/consent", only({"admin"}, 302), blank_form
    ),
    Case("GET", lambda w: f"/people/{w.member_person_id}/consent", only(ORGANISERS)),
    # Handing over the work of a member of the visit: its lead, or an administrator.
    Case("GET", lambda w: f"/people/{w.member_person_id}/hand-over", only(ORGANISERS)),
    Case(
        "POST",
        lambda w: f"/people/{w.member_person_id}/hand-over",
        only(ORGANISERS, 400),
        blank_form,
    ),
    Case(
        "POST", lambda w: f"/people/{w.member_person_id}/consent", only(ORGANISERS, 302), blank_form
    ),
    Case(
        "GET",
        lambda w: f"/people/{w.account_person_id}/consent",
        only(ORGANISERS | {"participant"}),
    ),
    Case("GET", lambda w: f"/visits/{w.visit.id}/posts", only(WRITERS)),
    Case("POST", lambda w: f"/visits/{w.visit.id}/posts", only(WRITERS, 400), blank_form),
    Case(
        "POST",
        lambda w: f"/visits/{w.visit.id}/posts/{w.post_check_id}",
        {**only(VISIT_VIEWERS, 403), **{r: 400 for r in ("participant", "lead", "admin")}},
        blank_form,
    ),
    Case("GET", lambda w: f"/visits/{w.visit.id}/report", only(ANALYSTS)),
    Case("GET", lambda w: f"/visits/{w.visit.id}/report.pdf", only(ANALYSTS)),
    Case("GET", lambda w: f"/visits/{w.visit.id}/report.json", only(ANALYSTS)),
    Case("GET", lambda w: f"/visits/{w.visit.id}/report/themes.csv", only(ANALYSTS)),
    Case("GET", lambda w: f"/programmes/{w.programme_id}/report", only(ANALYSTS)),
    Case("GET", lambda w: "/healthz", everyone(200, anonymous=200)),
    Case("GET", lambda w: "/admin/audit", only({"admin"})),
    Case("GET", lambda w: "/admin/outbox", only({"admin"})),
    Case("GET", lambda w: "/admin/accounts", only({"admin"})),
    Case("GET", lambda w: "/admin/rates", only({"admin"})),
    Case("POST", lambda w: "/admin/rates", only({"admin"}, 400), blank_form),
    Case("GET", lambda w: "/admin/accounts/invite", only({"admin"})),
    Case("POST", lambda w: "/admin/accounts/invite", only({"admin"}, 400), blank_form),
    Case("GET", lambda w: f"/admin/accounts/{w.outsider_user_id}", only({"admin"})),
    # The outsider's account is no invitation: nothing to send again or withdraw.
    Case("POST", lambda w: f"/admin/accounts/{w.outsider_user_id}/resend", only({"admin"}, 400)),
    Case("GET", lambda w: f"/admin/accounts/{w.outsider_user_id}/withdraw", only({"admin"}, 404)),
    Case(
        # An administrator's own account with every role unticked: refused (someone must stay).
        "POST",
        lambda w: f"/admin/accounts/{w.admin_user_id}",
        only({"admin"}, 400),
        blank_form,
    ),
    Case("POST", lambda w: f"/admin/accounts/{w.outsider_user_id}/withdraw", only({"admin"}, 404)),
    Case("POST", invitable_member_url, only(ORGANISERS, 302)),
    Case("POST", lambda w: "/account/welcome/not-a-token", everyone(400, anonymous=400)),
    Case("GET", lambda w: "/account/welcome/not-a-token", everyone(400, anonymous=400)),
    Case("GET", lambda w: f"/people/{w.other_person_id}/export.json", only({"admin"})),
    Case("GET", lambda w: f"/people/{w.other_person_id}/erase", only({"admin"})),
    Case("POST", lambda w: f"/people/{w.other_person_id}/erase", only({"admin"}, 400), blank_form),
    Case("GET", lambda w: "/programmes", everyone()),
    Case("GET", lambda w: "/programmes/new", only(ANY_ORGANISER)),
    Case("GET", lambda w: f"/programmes/{w.programme_id}", everyone()),
    # A visit's design: its leads export and keep it; any organiser uses a library.
    Case("GET", lambda w: f"/visits/{w.visit.id}/design", only(ORGANISERS)),
    Case("POST", lambda w: f"/visits/{w.visit.id}/design", only(ORGANISERS, 400), blank_form),
    Case("GET", lambda w: f"/visits/{w.visit.id}/design.json", only(ORGANISERS)),
    Case("GET", lambda w: f"/programmes/{w.programme_id}/designs", only(ANY_ORGANISER)),
    Case("POST", lambda w: f"/programmes/{w.programme_id}/designs", only(ANY_ORGANISER, 400)),
    Case(
        "GET",
        lambda w: f"/programmes/{w.programme_id}/designs/{w.design_id}.json",
        only(ANY_ORGANISER),
    ),
    Case(
        "GET",
        lambda w: f"/programmes/{w.programme_id}/designs/{w.design_id}/start",
        only(ANY_ORGANISER),
    ),
    Case(
        "POST",
        lambda w: f"/programmes/{w.programme_id}/designs/{w.design_id}/start",
        only(ANY_ORGANISER, 400),
        blank_form,
    ),
    Case("POST", removable_design_url, only(ANY_ORGANISER, 302)),
    Case("GET", lambda w: "/organisations", everyone()),
    Case("GET", lambda w: "/organisations/new", only(ANY_ORGANISER)),
    Case("GET", lambda w: f"/organisations/{w.organisation_id}", everyone()),
    Case("GET", lambda w: f"/organisations/{w.organisation_id}/edit", only(ANY_ORGANISER)),
    Case("GET", lambda w: "/people", everyone()),
    Case("GET", lambda w: "/people/new", only(ANY_ORGANISER)),
    Case("GET", lambda w: f"/people/{w.other_person_id}", everyone()),
    # A person in no visit and without an account: any organiser (the one who added them).
    Case("GET", lambda w: f"/people/{w.other_person_id}/edit", only(ANY_ORGANISER)),
    # A member without an account: the leads of their visit; not the lead of another.
    Case("GET", lambda w: f"/people/{w.member_person_id}/edit", only(ORGANISERS)),
    # An account holder: only they and an administrator (their email is how they sign in).
    Case("GET", lambda w: f"/people/{w.account_person_id}/edit", only({"participant", "admin"})),
    Case("GET", lambda w: "/account", everyone()),
    Case("GET", lambda w: "/account/password", everyone()),
    Case("GET", lambda w: "/sign-in", {"anonymous": 200, **{r: 302 for r in SIGNED_IN}}),
    Case("GET", lambda w: "/account/reset", everyone(anonymous=200)),
    Case("GET", lambda w: "/account/reset/not-a-token", everyone(400, anonymous=400)),
    Case("POST", lambda w: "/account/reset/not-a-token", everyone(400, anonymous=400)),
    Case("POST", lambda w: "/account/reset", everyone(400, anonymous=400), blank_form),
    Case(
        "POST", lambda w: "/sign-in", {"anonymous": 400, **{r: 302 for r in SIGNED_IN}}, blank_form
    ),
    # Changes sent with a blank form: the guard answers before the form is read, so organisers
    # get the form's errors (400) and everyone else is refused (403).
    Case("POST", lambda w: "/visits/new", only(ANY_ORGANISER, 400), blank_form),
    Case("POST", lambda w: f"/visits/{w.visit.id}/edit", only(ORGANISERS, 400), blank_form),
    Case("POST", lambda w: f"/visits/{w.visit.id}/members", only(ORGANISERS, 400), blank_form),
    Case("POST", lambda w: "/programmes/new", only(ANY_ORGANISER, 400), blank_form),
    Case("POST", lambda w: "/organisations/new", only(ANY_ORGANISER, 400), blank_form),
    Case(
        "POST",
        lambda w: f"/organisations/{w.organisation_id}/edit",
        only(ANY_ORGANISER, 400),
        blank_form,
    ),
    Case("POST", lambda w: "/people/new", only(ANY_ORGANISER, 400), blank_form),
    Case(
        "POST", lambda w: f"/people/{w.other_person_id}/edit", only(ANY_ORGANISER, 400), blank_form
    ),
    Case("POST", lambda w: f"/people/{w.member_person_id}/edit", only(ORGANISERS, 400), blank_form),
    Case(
        "POST",
        lambda w: f"/people/{w.account_person_id}/edit",
        only({"participant", "admin"}, 400),
        blank_form,
    ),
    Case("POST", lambda w: "/account", everyone(400), blank_form),
    Case("POST", lambda w: "/account/password", everyone(400), blank_form),
    Case("POST", lambda w: "/language", everyone(302), lambda w: {"language": "en"}),
    Case("POST", lambda w: "/sign-out", everyone(302)),
]


@pytest.fixture
def world(app: Flask, make: Factory) -> World:
    organisation = make.organisation(name="Ville de Paris", country="FR")
    programme = make.programme()
    visit = make.visit(programme_id=programme.id, host_organisation_id=organisation.id)
    built = World(
        visit=visit,
        programme_id=programme.id,
        organisation_id=organisation.id,
        other_person_id=make.person(organisation_id=organisation.id).id,
    )
    built.item_id = make.item(visit).id
    built.users["outsider"] = make.user()
    built.outsider_user_id = built.users["outsider"].id
    membership_roles = {
        "participant": MembershipRole.PARTICIPANT,
        "host": MembershipRole.HOST,
        "interpreter": MembershipRole.INTERPRETER,
        "member_researcher": MembershipRole.RESEARCHER,
        "observer": MembershipRole.OBSERVER,
        "lead": MembershipRole.LEAD,
    }
    for name, role in membership_roles.items():
        user = make.user()
        make.member(visit, user.person, role)
        built.users[name] = user
    poll = DatePoll(
        visit_id=visit.id,
        options=[DateOption(first_day=date(2017, 3, 6), last_day=date(2017, 3, 7))],
    )
    poll.invitees = [PollInvitee(person=built.users[name].person) for name in membership_roles]
    db.session.add(poll)
    db.session.commit()
    built.poll_id = poll.id
    cost = Cost(
        visit_id=visit.id,
        day=date(2016, 12, 8),
        category=CostCategory.INTERPRETING,
        amount=450,
        currency="EUR",
        rate=None,
    )
    db.session.add(cost)
    task = PlanningTask(visit_id=visit.id, title="Invitations sent")
    db.session.add(task)
    db.session.commit()
    built.task_id = task.id
    built.cost_id = cost.id
    translation = ContentTranslation(
        kind="visit",
        record_id=visit.id,
        field="objective",
        visit_id=visit.id,
        source_language="en",
        source_text=visit.objective or "Learn how Paris runs PB",
        target_language="fr",
    )
    db.session.add(translation)
    db.session.flush()
    built.translation_row_id = translation.id
    built.document_id = shared_document(visit).id
    wave = SurveyWave(programme_id=programme.id, title="Baseline", asked_on=date(2016, 11, 1))
    db.session.add(wave)
    db.session.commit()
    built.wave_id = wave.id
    thread = Thread(visit_id=visit.id, subject="Dates")
    message = Message(thread=thread, direction=Direction.INBOUND, language="fr", body="Bonjour")
    translation = MessageTranslation(message=message, target_language="en", text="Hello")
    untold = Message(thread=thread, direction=Direction.INBOUND, language="und", body="OK")
    db.session.add_all([thread, message, translation, untold])
    db.session.commit()
    built.thread_id, built.translation_id = thread.id, translation.id
    built.untold_message_id = untold.id
    kept = store(io.BytesIO(b"%PDF"), "programme.pdf", attachments_folder(visit.id), 1024)
    attachment = MessageAttachment(
        message_id=message.id,
        filename=kept.filename,
        content_type=kept.content_type,
        size=kept.size,
        stored_name=kept.stored_name,
    )
    db.session.add(attachment)
    db.session.commit()
    built.attachment_id = attachment.id
    built.users["researcher"] = make.user(researcher=True)
    db.session.add(
        ProgrammeResearcher(programme_id=programme.id, user_id=built.users["researcher"].id)
    )
    other_programme = make.programme()
    other_visit = make.visit(programme_id=other_programme.id)
    built.users["other_lead"] = make.user()
    make.member(other_visit, built.users["other_lead"].person, MembershipRole.LEAD)
    built.users["other_researcher"] = make.user(researcher=True)
    db.session.add(
        ProgrammeResearcher(
            programme_id=other_programme.id, user_id=built.users["other_researcher"].id
        )
    )
    built.member_person_id = make.person().id
    make.member(visit, db.session.get(Person, built.member_person_id), MembershipRole.OBSERVER)
    built.account_person_id = built.users["participant"].person_id
    built.users["admin"] = make.user(admin=True, with_person=False)
    built.admin_user_id = built.users["admin"].id
    ensure_guide(db.session, visit.id)
    ensure_codebook(db.session, programme.id)
    reflection = participants_reflection(built)
    built.reflection_id, built.passage_id = reflection.id, reflection.passages[0].id
    built.question_id = db.session.scalar(db.select(GuideQuestion.id).limit(1))
    built.code_id = db.session.scalar(db.select(Code.id).filter_by(default_key="resourcing"))
    action = Action(
        visit_id=visit.id, title="Named officers", owner_id=built.users["participant"].person_id
    )
    db.session.add(action)
    db.session.commit()
    built.action_id = action.id
    built.story_key = pseudonym(current_app.config["SECRET_KEY"], action.owner_id)
    interpreter = Interpreter(
        person_id=built.users["interpreter"].person_id,
        pairs=[LanguagePair(source="fr", target="en")],
    )
    db.session.add(interpreter)
    db.session.flush()
    booking = Booking(interpreter_id=interpreter.id, item_id=built.item_id, mode=Mode.CONSECUTIVE)
    protocol_of(db.session, visit.id).approved_at = utcnow()
    check = PostCheck(
        visit_id=visit.id,
        author_id=built.users["participant"].person_id,
        platform=Platform.X,
        text="Learning from Paris",
        post_at=utcnow(),
    )
    db.session.add_all([booking, check])
    db.session.commit()
    built.interpreter_id, built.booking_id = interpreter.id, booking.id
    design = VisitDesign(programme_id=programme.id, title="Kept", content=world_design())
    db.session.add(design)
    db.session.commit()
    built.design_id = design.id
    built.post_check_id = check.id
    return built


def test_every_route_answers_every_role_as_the_matrix_says(app: Flask, world: World) -> None:
    clients = {role: app.test_client() for role in ROLES}
    for role in SIGNED_IN:
        assert sign_in(clients[role], world.users[role]).status_code == 302
    mismatches = []
    # Signing out comes last in CASES, so every other case runs while signed in.
    for case in CASES:
        for role in ROLES:
            client = clients[role]
            url = case.url(world)
            if case.method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, data=case.data(world))
            expected = case.expected[role]
            if response.status_code != expected:
                mismatches.append(
                    f"{case.method} {url} as {role}: {response.status_code} != {expected}"
                )
            sent_elsewhere = "/sign-in" not in response.headers.get("Location", "")
            if role == "anonymous" and case.method == "GET" and expected == 302 and sent_elsewhere:
                mismatches.append(f"GET {url} as anonymous: not sent to sign in")
    assert mismatches == []


def test_forbidden_pages_explain_themselves(app: Flask, world: World) -> None:
    client = app.test_client()
    sign_in(client, world.users["participant"])
    response = client.get(f"/visits/{world.visit.id}/edit")
    assert response.status_code == 403
    assert "You do not have access to this page" in response.get_data(as_text=True)


def test_unknown_pages_get_a_friendly_404(app: Flask, world: World) -> None:
    client = app.test_client()
    sign_in(client, world.users["admin"])
    response = client.get("/visits/999999")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_the_matrix_covers_every_route_of_the_application(app: Flask) -> None:
    world = World(visit=Visit(id=1), programme_id=1, organisation_id=1, other_person_id=1)
    adapter = app.url_map.bind("localhost")
    covered = set()
    for case in CASES:
        if case.url is removable_observer_url:
            covered.add((case.method, "visits.remove_member"))
            continue
        if case.url is removable_document_url:
            covered.add((case.method, "documents.delete"))
            continue
        made_afresh = {
            removable_unavailability_url: "interpreters.remove_unavailable",
            removable_embargo_url: "social.remove_embargo",
            removable_reflection_url: "reflections.delete_reflection",
            removable_segment_url: "coding.remove_code",
            removable_code_url: "coding.delete_code",
            disagreement_url: "reading.disagreements",
            mergeable_code_url: "coding.merge_code",
            day_sheet_url: "itinerary.day_sheet",
            interpreting_day_url: "interpreting.day",
            removable_design_url: "designs.remove",
            undoable_coding_url: "coding.undo_coding",
            invitable_member_url: "admin_accounts.invite_member",
        }
        if case.url in made_afresh:
            covered.add((case.method, made_afresh[case.url]))
            continue
        path, _, _query = case.url(world).partition("?")
        endpoint, _arguments = adapter.match(path, method=case.method)
        covered.add((case.method, endpoint))
    routes = {
        (method, rule.endpoint)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes - covered == set()
