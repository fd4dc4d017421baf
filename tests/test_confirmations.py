"""Nothing is deleted or removed from a link: each removal first shows a page that says what
will happen, with a button that does it and a link back that does nothing."""

from __future__ import annotations

from datetime import date

from cop.database import utcnow
from cop.extensions import db
from cop.interpreting.models import Unavailability
from cop.reflections.models import Reflection
from cop.research.models import Code
from cop.social.models import Embargo, SocialProtocol
from cop.visits.models import MembershipRole, ProgrammeResearcher
from tests.conftest import sign_in, visible_text
from tests.test_access_matrix import shared_document


def asked_then_done(client, path: str, model, row_id: int, *words: str) -> None:
    page = client.get(path)
    assert page.status_code == 200
    text = visible_text(page.get_data(as_text=True))
    for said in words:
        assert said in text, said
    assert db.session.get(model, row_id) is not None, "asking removed nothing"
    assert client.post(path).status_code == 302
    db.session.expire_all()
    assert db.session.get(model, row_id) is None


def test_a_lead_is_asked_before_a_document_or_an_embargo_goes(client, make) -> None:
    visit = make.visit()
    lead = make.user()
    make.member(visit, lead.person, MembershipRole.LEAD)
    sign_in(client, lead)
    document = shared_document(visit)
    asked_then_done(
        client,
        f"/visits/{visit.id}/documents/{document.id}/delete",
        type(document),
        document.id,
        "Remove “Agenda”?",
        "deleted from cop for everyone in the visit",
        "Keep it",
    )
    protocol = db.session.scalar(db.select(SocialProtocol).filter_by(visit_id=visit.id))
    protocol.approved_at = utcnow()
    embargo = Embargo(protocol_id=protocol.id, subject="steering group", until=utcnow())
    db.session.add(embargo)
    db.session.commit()
    asked_then_done(
        client,
        f"/visits/{visit.id}/protocol/embargoes/{embargo.id}/delete",
        Embargo,
        embargo.id,
        "Remove the embargo on “steering group”?",
        "the host has to approve it again",
    )


def test_a_participant_is_asked_before_their_reflection_goes(client, make) -> None:
    visit = make.visit()
    participant = make.user()
    make.member(visit, participant.person)
    reflection = make.reflection(visit, participant.person)
    sign_in(client, participant)
    asked_then_done(
        client,
        f"/visits/{visit.id}/reflections/{reflection.id}/delete",
        Reflection,
        reflection.id,
        "Delete your reflection soon after the visit?",
        "cannot be brought back",
    )


def test_organisers_and_researchers_are_asked_before_a_date_or_a_code_goes(client, make) -> None:
    organiser = make.user(admin=True)
    interpreter = make.interpreter()
    entry = Unavailability(
        interpreter_id=interpreter.id, first_day=date(2017, 1, 2), last_day=date(2017, 1, 3)
    )
    programme = make.programme()
    code = Code(programme_id=programme.id, name="Spare code")
    db.session.add_all([entry, code])
    db.session.commit()
    sign_in(client, organiser)
    asked_then_done(
        client,
        f"/interpreters/{interpreter.id}/unavailable/{entry.id}/delete",
        Unavailability,
        entry.id,
        "2 January 2017 to 3 January 2017",
        "They can then be booked on those days.",
    )
    researcher = make.user(researcher=True)
    db.session.add(ProgrammeResearcher(programme_id=programme.id, user_id=researcher.id))
    db.session.commit()
    # A researcher of the programme, in a browser of their own.
    own = client.application.test_client()
    sign_in(own, researcher)
    asked_then_done(
        own,
        f"/programmes/{programme.id}/codebook/{code.id}/delete",
        Code,
        code.id,
        "Delete the code “Spare code”?",
    )
