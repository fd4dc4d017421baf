"""A visit's task list and each member's own are read from what has been done, never typed.

Frozen inputs: a visit to Lyon on 8-9 March 2027, and "today" given to each rule."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy.orm import Session

from cop.correspondence.models import Direction, Message, Thread
from cop.interpreting.models import BookingStatus
from cop.network.models import Contact
from cop.polls.models import DateOption, DatePoll, PollInvitee
from cop.reflections.models import Phase
from cop.social.logic import ConsentChoices, accept, approve, protocol_of, record_consent
from cop.visits.logic import agree_dates
from cop.visits.models import MembershipRole, VisitStatus
from cop.visits.tasks import (
    State,
    member_tasks,
    members_tasks,
    ticked_checks,
    visit_tasks,
)
from tests.conftest import Factory

BEFORE = date(2027, 1, 15)
DURING = date(2027, 3, 8)
AFTER = date(2027, 3, 20)
SIX_MONTHS_ON = date(2027, 9, 10)
NOON = datetime(2027, 1, 15, 12, tzinfo=UTC)


def at(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


def states(session: Session, visit, today: date) -> dict[str, State]:
    return {task.key: task.state for task in visit_tasks(session, visit, today)}


def task(session: Session, visit, today: date, key: str):
    return next(task for task in visit_tasks(session, visit, today) if task.key == key)


@pytest.fixture
def lyon(build: Factory):
    return build.visit(
        title="Fife learns from Lyon",
        objective="",
        start_date=None,
        end_date=None,
        status=VisitStatus.IDEA,
    )


def travellers(build: Factory, visit, count: int = 2):
    people = [build.person() for _ in range(count)]
    for person in people:
        build.member(visit, person, MembershipRole.PARTICIPANT)
    return people


def test_a_new_visit_has_everything_ahead_and_what_waits_says_so(session, lyon) -> None:
    assert states(session, lyon, BEFORE) == {
        "members": State.NOT_STARTED,
        "dates": State.NOT_STARTED,
        "itinerary": State.CANNOT_START,
        "interpreters": State.CANNOT_START,
        "protocol": State.NOT_STARTED,
        "correspondence": State.NOT_STARTED,
        "reflections_before": State.NOT_STARTED,
        "reflections_after": State.CANNOT_START,
        "contacts": State.NOT_STARTED,
        "follow_ups": State.CANNOT_START,
        "report": State.CANNOT_START,
    }


def test_members_are_done_with_an_objective_travellers_and_a_host(session, build, lyon) -> None:
    lyon.objective = "How Lyon involves residents in its budget."
    assert states(session, lyon, BEFORE)["members"] is State.IN_PROGRESS
    travellers(build, lyon)
    assert states(session, lyon, BEFORE)["members"] is State.IN_PROGRESS
    build.member(lyon, build.person(), MembershipRole.HOST)
    members = task(session, lyon, BEFORE, "members")
    assert (members.state, members.done) == (State.DONE, 2)


def test_an_open_poll_counts_answers_and_agreeing_dates_moves_the_visit_on(
    session, build, lyon
) -> None:
    first, second = travellers(build, lyon)
    poll = DatePoll(visit_id=lyon.id)
    poll.options = [DateOption(first_day=DURING, last_day=date(2027, 3, 9))]
    poll.invitees = [
        PollInvitee(person_id=first.id, answered_at=NOON),
        PollInvitee(person_id=second.id),
    ]
    session.add(poll)
    session.commit()
    dates = task(session, lyon, BEFORE, "dates")
    assert (dates.state, dates.done, dates.total) == (State.IN_PROGRESS, 1, 2)
    assert dates.target == {"poll_id": poll.id}

    assert agree_dates(lyon, DURING, date(2027, 3, 9)) is True
    assert lyon.status is VisitStatus.CONFIRMED
    assert states(session, lyon, BEFORE)["dates"] is State.DONE
    assert states(session, lyon, BEFORE)["itinerary"] is State.NOT_STARTED
    lyon.status = VisitStatus.UNDER_WAY
    assert agree_dates(lyon, DURING, date(2027, 3, 9)) is False, "a visit under way stays so"


def test_interpreters_cover_the_items_that_need_one(session, build, lyon) -> None:
    agree_dates(lyon, DURING, date(2027, 3, 9))
    meeting = build.item(lyon, day=DURING, needs_interpreter=True)
    visit_to_a_site = build.item(lyon, day=DURING, needs_interpreter=True)
    build.item(lyon, day=DURING, needs_interpreter=False)
    interpreter = build.interpreter()
    build.booking(interpreter, meeting, BookingStatus.CONFIRMED)
    build.booking(interpreter, visit_to_a_site, BookingStatus.DECLINED)
    covered = task(session, lyon, BEFORE, "interpreters")
    assert (covered.state, covered.done, covered.total) == (State.IN_PROGRESS, 1, 2)
    build.booking(build.interpreter(), visit_to_a_site, BookingStatus.CONFIRMED)
    assert states(session, lyon, BEFORE)["interpreters"] is State.DONE
    assert states(session, lyon, BEFORE)["itinerary"] is State.DONE


def test_a_visit_in_one_language_needs_no_interpreter(session, build) -> None:
    visit = build.visit(languages="en")
    assert states(session, visit, BEFORE)["interpreters"] is State.NOT_NEEDED


def test_the_protocol_is_done_once_the_host_approved_and_every_traveller_accepted(
    session, build, lyon
) -> None:
    first, second = travellers(build, lyon)
    host = build.person()
    build.member(lyon, host, MembershipRole.HOST)
    protocol = protocol_of(session, lyon.id)
    approve(protocol, host, "", NOON)
    accept(session, protocol, first.id)
    session.commit()
    halfway = task(session, lyon, BEFORE, "protocol")
    assert (halfway.state, halfway.done, halfway.total) == (State.IN_PROGRESS, 1, 2)
    accept(session, protocol, second.id)
    session.commit()
    assert states(session, lyon, BEFORE)["protocol"] is State.DONE


def test_correspondence_is_done_when_the_hosts_have_written_back(session, build, lyon) -> None:
    thread = Thread(visit_id=lyon.id, subject="Votre visite")
    thread.messages = [Message(direction=Direction.OUTBOUND, language="en", body="Hello")]
    session.add(thread)
    session.commit()
    assert states(session, lyon, BEFORE)["correspondence"] is State.IN_PROGRESS
    thread.messages.append(Message(direction=Direction.INBOUND, language="fr", body="Bonjour"))
    session.commit()
    assert states(session, lyon, BEFORE)["correspondence"] is State.DONE


def test_reflections_count_the_travellers_who_submitted_and_after_opens_when_it_ends(
    session, build, lyon
) -> None:
    agree_dates(lyon, DURING, date(2027, 3, 9))
    first, second = travellers(build, lyon)
    build.reflection(lyon, first, phase=Phase.BEFORE)
    build.reflection(lyon, second, phase=Phase.BEFORE, submitted=False)
    before = task(session, lyon, BEFORE, "reflections_before")
    assert (before.state, before.done, before.total) == (State.IN_PROGRESS, 1, 2)
    waiting = task(session, lyon, DURING, "reflections_after")
    assert (waiting.state, waiting.due) == (State.CANNOT_START, date(2027, 3, 9))
    assert states(session, lyon, AFTER)["reflections_after"] is State.NOT_STARTED
    assert states(session, lyon, AFTER)["report"] is State.NOT_STARTED
    assert states(session, lyon, DURING)["report"] is State.CANNOT_START


def test_follow_ups_open_three_months_after_and_say_when_the_next_is_due(
    session, build, lyon
) -> None:
    agree_dates(lyon, DURING, date(2027, 3, 9))
    first, second = travellers(build, lyon)
    waiting = task(session, lyon, AFTER, "follow_ups")
    assert (waiting.state, waiting.due) == (State.CANNOT_START, date(2027, 6, 9))
    for person in (first, second):
        build.reflection(lyon, person, phase=Phase.FOLLOW_UP_3)
    build.reflection(lyon, first, phase=Phase.FOLLOW_UP_6)
    six = task(session, lyon, SIX_MONTHS_ON, "follow_ups")
    assert (six.state, six.done, six.total, six.due) == (
        State.IN_PROGRESS,
        3,
        4,
        date(2028, 3, 9),
    )


def test_contacts_logged_for_the_visit_complete_its_line(session, build, lyon) -> None:
    first, second = travellers(build, lyon)
    session.add(
        Contact(from_person_id=first.id, to_person_id=second.id, day=DURING, visit_id=lyon.id)
    )
    session.commit()
    contacts = task(session, lyon, AFTER, "contacts")
    assert (contacts.state, contacts.done) == (State.DONE, 1)


def test_a_traveller_sees_their_poll_their_reflection_due_and_the_protocol_to_accept(
    session, build, lyon
) -> None:
    [me] = travellers(build, lyon, 1)
    poll = DatePoll(visit_id=lyon.id, invitees=[PollInvitee(person_id=me.id)])
    session.add(poll)
    session.commit()
    assert [(t.key, t.state) for t in member_tasks(session, lyon, me.id, at(BEFORE))] == [
        ("answer_poll", State.NOT_STARTED),
        ("reflect_before", State.NOT_STARTED),
    ]
    agree_dates(lyon, DURING, date(2027, 3, 9))
    poll.closed_at = NOON
    host = build.person()
    build.member(lyon, host, MembershipRole.HOST)
    approve(protocol_of(session, lyon.id), host, "", NOON)
    draft = build.reflection(lyon, me, phase=Phase.BEFORE, submitted=False)
    assert [(t.key, t.state) for t in member_tasks(session, lyon, me.id, at(BEFORE))] == [
        ("reflect_before", State.IN_PROGRESS),
        ("accept_protocol", State.NOT_STARTED),
    ]
    assert member_tasks(session, lyon, me.id, at(BEFORE))[0].target == {"reflection_id": draft.id}
    during = {t.key: t.state for t in member_tasks(session, lyon, me.id, at(DURING))}
    assert during == {
        "reflect_during": State.NOT_STARTED,
        "accept_protocol": State.NOT_STARTED,
        "log_contacts": State.NOT_STARTED,
    }
    assert member_tasks(session, lyon, me.id, at(SIX_MONTHS_ON))[0].key == "reflect_follow_up_6"


def test_a_host_is_asked_only_for_dates(session, build, lyon) -> None:
    host = build.person()
    build.member(lyon, host, MembershipRole.HOST)
    assert member_tasks(session, lyon, host.id, at(BEFORE)) == []
    session.add(DatePoll(visit_id=lyon.id, invitees=[PollInvitee(person_id=host.id)]))
    session.commit()
    assert [t.key for t in member_tasks(session, lyon, host.id, at(DURING))] == ["answer_poll"]


def test_the_planning_checklist_ticks_what_cop_knows(session, build, lyon) -> None:
    assert ticked_checks(session, lyon) == set()
    lyon.objective = "How Lyon involves residents in its budget."
    agree_dates(lyon, DURING, date(2027, 3, 9))
    lead, host = build.person(), build.person()
    build.member(lyon, lead, MembershipRole.LEAD)
    build.member(lyon, host, MembershipRole.HOST)
    build.item(lyon, day=DURING, needs_interpreter=False)
    approve(protocol_of(session, lyon.id), host, "", NOON)
    assert ticked_checks(session, lyon) == {
        "objective",
        "coordinator",
        "dates",
        "agenda",
        "social_media",
    }
    meeting = build.item(lyon, day=DURING, needs_interpreter=True)
    build.booking(build.interpreter(), meeting, BookingStatus.CONFIRMED)
    assert "interpreter_booked" in ticked_checks(session, lyon)
    record_consent(
        session, lead, ConsentChoices(photo=True, video=True, tagging=False, naming=True), None
    )
    session.commit()
    assert "consents" in ticked_checks(session, lyon)


def test_one_persons_lists_for_all_their_visits_take_the_same_queries(session, build) -> None:
    from cop.database import count_queries

    person = build.person()
    visits = [build.visit(start_date=None, end_date=None) for _ in range(4)]
    for visit in visits:
        build.member(visit, person, MembershipRole.PARTICIPANT)
    roles = {visit.id: MembershipRole.PARTICIPANT for visit in visits}
    members_tasks(session, person.id, roles, visits, at(BEFORE))  # the visits loaded once
    with count_queries(session.get_bind()) as two:
        members_tasks(session, person.id, roles, visits[:2], at(BEFORE))
    with count_queries(session.get_bind()) as four:
        lists = members_tasks(session, person.id, roles, visits, at(BEFORE))
    assert four.count == two.count == 5
    assert [task.key for task in lists[visits[3].id]] == ["reflect_before"]
