"""The protocol's versions and acceptances, the consent register and the logged draft check:
the rules of cop.social.logic on a plain session, with no app."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from cop.enums import EnumList
from cop.social import logic
from cop.social.models import Platform, ProtocolAcknowledgement
from cop.visits.models import MembershipRole
from tests.conftest import Factory

NOW = datetime(2016, 12, 1, 9, 0, tzinfo=UTC)
NOTHING = logic.ConsentChoices(photo=False, video=False, tagging=False, naming=False)
EVERYTHING = logic.ConsentChoices(photo=True, video=True, tagging=True, naming=True)


def approved_protocol(build: Factory, session: Session):
    visit = build.visit()
    host = build.person(name="Hôte de Paris")
    build.member(visit, host, MembershipRole.HOST)
    protocol = logic.protocol_of(session, visit.id)
    logic.approve(protocol, host, "", NOW)
    return visit, host, protocol


def test_a_visit_has_one_protocol(build: Factory, session: Session) -> None:
    visit = build.visit()
    assert logic.protocol_of(session, visit.id) is logic.protocol_of(session, visit.id)


def test_nothing_can_be_accepted_before_the_host_approves(build: Factory, session: Session) -> None:
    visit = build.visit()
    officer = build.person()
    protocol = logic.protocol_of(session, visit.id)
    assert not logic.accept(session, protocol, officer.id)
    assert logic.accepted_by(session, protocol) == set()


def test_a_member_accepts_the_approved_version_once(build: Factory, session: Session) -> None:
    visit, _host, protocol = approved_protocol(build, session)
    officer = build.person()
    build.member(visit, officer)
    assert logic.accept(session, protocol, officer.id)
    assert logic.accept(session, protocol, officer.id)
    session.flush()
    assert logic.accepted_by(session, protocol) == {officer.id}
    rows = session.scalars(
        select(ProtocolAcknowledgement).where(ProtocolAcknowledgement.protocol_id == protocol.id)
    ).all()
    assert len(rows) == 1


def test_changing_an_approved_protocol_makes_a_version_to_approve_and_accept_again(
    build: Factory, session: Session
) -> None:
    visit, host, protocol = approved_protocol(build, session)
    officer = build.person()
    build.member(visit, officer)
    logic.accept(session, protocol, officer.id)
    session.flush()

    logic.add_embargo(protocol, "New budget", None, NOW + timedelta(days=3), NOW)

    assert protocol.version == 2 and protocol.approved_at is None
    assert logic.accepted_by(session, protocol) == set()
    assert logic.to_remind(session, protocol) == []  # nothing to accept until approved
    logic.approve(protocol, host, "D'accord", NOW)
    assert {p.id for p in logic.to_remind(session, protocol)} == {officer.id, host.id}


def test_changing_a_protocol_not_yet_approved_keeps_its_version(
    build: Factory, session: Session
) -> None:
    protocol = logic.protocol_of(session, build.visit().id)
    logic.changed(protocol, NOW)
    assert protocol.version == 1 and protocol.updated_at == NOW


def test_reminders_go_to_members_with_an_address_who_have_not_accepted(
    build: Factory, session: Session
) -> None:
    visit, host, protocol = approved_protocol(build, session)
    accepted, waiting, no_address = build.person(), build.person(), build.person(email=None)
    for person in (accepted, waiting, no_address):
        build.member(visit, person)
    logic.accept(session, protocol, accepted.id)
    session.flush()
    assert {p.id for p in logic.to_remind(session, protocol)} == {waiting.id, host.id}


def test_only_hosts_with_an_address_are_asked_to_approve(build: Factory, session: Session) -> None:
    visit = build.visit()
    host = build.person()
    build.member(visit, host, MembershipRole.HOST)
    build.member(visit, build.person(email=None), MembershipRole.HOST)
    build.member(visit, build.person(), MembershipRole.PARTICIPANT)
    assert logic.hosts_to_ask(logic.members_of(session, visit.id)) == [host]


def test_the_register_keeps_every_choice_and_reads_the_latest(
    build: Factory, session: Session
) -> None:
    officer, lead = build.person(), build.person()
    assert logic.current_consent(session, officer.id) is None
    logic.record_consent(session, officer, EVERYTHING, recorded_by=officer)
    later = logic.record_consent(session, officer, NOTHING, recorded_by=lead)

    assert logic.current_consent(session, officer.id) is later
    assert logic.consents_of(session, [officer.id, lead.id]) == {officer.id: later}
    assert [c.photo for c in logic.consent_history(session, officer.id)] == [False, True]
    assert later.recorded_by_id == lead.id


def test_no_consent_recorded_means_no(build: Factory) -> None:
    person = build.person(name="Ada")
    consent = logic.person_consent_of(person, None)
    assert (consent.photo, consent.video, consent.tagging, consent.naming) == (False,) * 4


def test_a_draft_is_checked_against_embargoes_item_titles_and_consent_then_logged(
    build: Factory, session: Session
) -> None:
    visit, _host, protocol = approved_protocol(build, session)
    item = build.item(visit, title="Budget Participatif Jury")
    protocol.hashtags = "PBScotland"
    logic.add_embargo(protocol, "Results", item.id, NOW + timedelta(days=2), NOW)
    shy = build.person(name="Shy Officer")
    build.member(visit, shy)
    logic.record_consent(session, shy, NOTHING, recorded_by=shy)
    members = logic.members_of(session, visit.id)

    logged = logic.check_and_log(
        session,
        protocol,
        members,
        author_id=shy.id,
        draft=logic.DraftPost(
            text="At the Budget Participatif Jury with Shy Officer",
            platform=Platform.X,
            post_at=NOW,
            has_video=False,
            pictured_ids=[shy.id],
            tagged_ids=[],
        ),
    )

    assert logged.problems.splitlines() == [
        "embargo\tResults",
        "hashtag\t#PBScotland",
        "photo\tShy Officer",
        "naming\tShy Officer",
    ]
    assert logged.pictured == [shy] and logic.post_log(session, visit.id) == [logged]


def test_a_list_of_platforms_refuses_a_value_it_does_not_know() -> None:
    column = EnumList(Platform, 200)
    assert column.process_bind_param([Platform.LINKEDIN, "x", "x"], None) == "x,linkedin"
    assert column.process_bind_param("linkedin,x", None) == "x,linkedin"  # an older backup
    assert column.process_result_value("x,linkedin", None) == [Platform.X, Platform.LINKEDIN]
    with pytest.raises(ValueError):
        column.process_bind_param(["myspace"], None)
