"""A visit's itinerary and calendars are computed once and stored (cop.computed), shared by
every app server, until something they show changes; then the next reader sees the change."""

from __future__ import annotations

import re
import time
from datetime import date

import pytest
from icalendar import Calendar
from sqlalchemy import select

from cop.computed.models import DataVersion, StoredView
from cop.database import count_queries
from cop.directory.models import Person
from cop.extensions import db
from cop.interpreting.models import BookingStatus
from cop.itinerary.models import ItineraryItem
from cop.visits.models import MembershipRole, Visit
from tests.conftest import Factory, sign_in, visible_text


@pytest.fixture
def lyon(make: Factory):
    """A visit to Lyon from nothing: a lead from Fife, a participant, a host, two items."""
    fife = make.organisation(name="Fife Council", time_zone="Europe/London")
    visit = make.visit(title="Visit to Lyon", host_city="Lyon", time_zone="Europe/Paris")
    lead = make.user("lead@fife.example")
    lead.person.organisation_id = fife.id
    participant = make.user("participant@fife.example")
    db.session.commit()
    make.member(visit, lead.person, MembershipRole.LEAD)
    make.member(visit, participant.person)
    first = make.item(visit, title="Budget participatif de Lyon", attendees=[participant.person])
    second = make.item(visit, title="Mairie du 8e", day=date(2016, 12, 9))
    return visit, lead, participant, first, second


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_second_reader_reads_the_stored_itinerary(app, client, lyon) -> None:
    visit, lead, _participant, _first, _second = lyon
    sign_in(client, lead)
    url = f"/visits/{visit.id}/itinerary"
    with count_queries(db.engine) as first_view:
        first_html = page(client, url)
    db.session.remove()
    with count_queries(db.engine) as second_view:
        second_html = page(client, url)
    assert "Budget participatif de Lyon" in visible_text(second_html)
    assert visible_text(second_html) == visible_text(first_html)
    assert second_view.count < first_view.count  # no items, attendees or bookings loaded
    keys = set(db.session.scalars(select(StoredView.key)))
    assert f"itinerary:{visit.id}:en_GB:manage:Europe/London" in keys


def test_a_change_made_through_the_pages_is_seen_at_once(client, lyon) -> None:
    visit, lead, _participant, first, _second = lyon
    sign_in(client, lead)
    page(client, f"/visits/{visit.id}/itinerary")
    page(client, f"/visits/{visit.id}/itinerary.ics")
    form = {
        "title": "Budget participatif: les conseils de quartier",
        "day": "2016-12-08",
        "starts": "10:00",
        "ends": "11:30",
        "place": "",
        "address": "",
        "travel_minutes": "0",
        "host_contact_id": "0",
        "language": "fr",
        "notes": "",
        "attendee_ids": [str(lead.person_id)],
    }
    response = client.post(f"/visits/{visit.id}/itinerary/{first.id}/edit", data=form)
    assert response.status_code == 302
    text = visible_text(page(client, f"/visits/{visit.id}/itinerary"))
    assert "les conseils de quartier" in text
    assert "11:30" in text
    calendar = Calendar.from_ical(client.get(f"/visits/{visit.id}/itinerary.ics").data)
    titles = {str(event["summary"]) for event in calendar.walk("VEVENT")}
    assert "Budget participatif: les conseils de quartier" in titles


def rename_attendee(make, visit, participant, item):
    participant.name = "Morag Renamed"


def confirm_interpreter(make, visit, participant, item):
    interpreter = make.interpreter(make.person(name="Camille Interprète"))
    make.booking(interpreter, item, BookingStatus.CONFIRMED)


def add_members_from_new_york(make, visit, participant, item):
    office = make.organisation(name="New York office", time_zone="America/New_York")
    for _ in range(3):
        make.member(visit, make.person(organisation_id=office.id))


def cancel_the_item(make, visit, participant, item):
    item.cancelled = True


def move_the_visit_dates(make, visit, participant, item):
    visit.start_date = date(2016, 12, 9)


@pytest.mark.parametrize(
    ("change", "now_shown"),
    [
        (rename_attendee, "Morag Renamed"),
        (confirm_interpreter, "Camille Interprète"),
        (add_members_from_new_york, "in New York)"),
        (cancel_the_item, "Cancelled"),
        (move_the_visit_dates, "Outside the dates of the visit"),
    ],
)
def test_what_the_itinerary_shows_changes_it(client, make, lyon, change, now_shown) -> None:
    """Changes written by any part of cop (or a command, or another app server) reach the page:
    people's names, bookings, members' home zones, items, the visit's dates."""
    visit, lead, participant, first, _second = lyon
    ids = visit.id, participant.person_id, first.id
    sign_in(client, lead)
    assert now_shown not in visible_text(page(client, f"/visits/{ids[0]}/itinerary"))
    change(
        make,
        db.session.get(Visit, ids[0]),
        db.session.get(Person, ids[1]),
        db.session.get(ItineraryItem, ids[2]),
    )
    db.session.commit()
    db.session.remove()
    assert now_shown in visible_text(page(client, f"/visits/{ids[0]}/itinerary"))


def test_each_reader_gets_what_their_role_allows(app, make, lyon) -> None:
    visit, lead, participant, _first, _second = lyon
    as_lead, as_participant = app.test_client(), app.test_client()
    sign_in(as_lead, lead)
    sign_in(as_participant, participant)
    assert "Change" in visible_text(page(as_lead, f"/visits/{visit.id}/itinerary"))
    assert "Change" not in visible_text(page(as_participant, f"/visits/{visit.id}/itinerary"))
    host = make.user("hote@lyon.example", locale="fr")
    make.member(visit, host.person, MembershipRole.HOST)
    as_host = app.test_client()
    sign_in(as_host, host)
    assert "Programme" in visible_text(page(as_host, f"/visits/{visit.id}/itinerary"))


def test_a_second_lead_posts_with_their_own_form_token(app, make, lyon) -> None:
    """The stored page is shared by both leads; the form token in it is each reader's own."""
    visit, lead, _participant, first, _second = lyon
    other_lead = make.user("other-lead@fife.example")
    make.member(visit, other_lead.person, MembershipRole.LEAD)
    app.config["WTF_CSRF_ENABLED"] = True
    tokens = []
    for user in (lead, other_lead):
        client = app.test_client()
        sign_in_page = client.get("/sign-in").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', sign_in_page)[1]
        client.post(
            "/sign-in",
            data={"email": user.email, "password": "correct horse battery", "csrf_token": token},
        )
        html = page(client, f"/visits/{visit.id}/itinerary")
        assert "data-cop-stored-token" not in html
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)[1]
        tokens.append(token)
        response = client.post(
            f"/visits/{visit.id}/itinerary/{first.id}/invite", data={"csrf_token": token}
        )
        assert response.status_code == 302
    assert tokens[0] != tokens[1]
    assert db.session.scalar(select(db.func.count(StoredView.key))) == 1


def test_a_change_to_one_visit_leaves_another_visits_stored_pages(client, make, lyon) -> None:
    visit, lead, _participant, first, _second = lyon
    elsewhere = make.visit(title="Visit to Porto", host_city="Porto")
    make.member(elsewhere, lead.person, MembershipRole.LEAD)
    make.item(elsewhere, title="Orçamento participativo")
    before = dict(db.session.execute(select(DataVersion.scope, DataVersion.version)).all())
    first.title = "Renamed in Lyon"
    db.session.commit()
    after = dict(db.session.execute(select(DataVersion.scope, DataVersion.version)).all())
    assert after[f"visit:{visit.id}"] != before[f"visit:{visit.id}"]
    assert after[f"visit:{elsewhere.id}"] == before[f"visit:{elsewhere.id}"]
    assert after["everything"] == before["everything"]


def test_a_change_rolled_back_leaves_no_mark(lyon) -> None:
    visit, _lead, _participant, first, _second = lyon
    before = db.session.scalar(select(DataVersion.version).filter_by(scope=f"visit:{visit.id}"))
    first.title = "Never saved"
    db.session.flush()
    db.session.rollback()
    after = db.session.scalar(select(DataVersion.version).filter_by(scope=f"visit:{visit.id}"))
    assert after == before


def test_the_personal_feed_follows_a_new_visit(app, client, make, lyon) -> None:
    """A person's own feed holds the items they attend in every visit: being added to an item
    of another visit changes it, though nothing in the first visit changed."""
    from benchmarks.pages import personal_feed_path

    visit, _lead, participant, _first, _second = lyon
    url = personal_feed_path(db.session, app.config["SECRET_KEY"], participant.person_id)
    person_id = participant.person_id

    def titles() -> set[str]:
        calendar = Calendar.from_ical(client.get(url).data)
        return {str(event["summary"]) for event in calendar.walk("VEVENT")}

    assert titles() == {"Budget participatif de Lyon"}
    porto = make.visit(title="Visit to Porto", host_city="Porto")
    make.item(porto, title="Orçamento participativo", attendees=[db.session.get(Person, person_id)])
    db.session.remove()
    assert titles() == {"Budget participatif de Lyon", "Orçamento participativo"}


def test_a_page_that_wrote_before_computing_is_not_held_up_storing_it(app, lyon) -> None:
    """The request's own unfinished write holds SQLite's lock: the result is computed and shown,
    just not kept, and nothing waits the database's long busy timeout."""
    import time

    from cop.computed import store

    visit, _lead, _participant, first, _second = lyon
    first.title = "Written, not yet committed"
    db.session.flush()
    started = time.monotonic()
    body = store.fresh_or_computed(db.session, "test:held", ["visit:1"], lambda: b"computed")
    assert body == b"computed"
    if db.engine.dialect.name == "sqlite":
        assert time.monotonic() - started < 5
    db.session.rollback()


def test_results_not_computed_for_a_month_are_forgotten_at_night(app, client, lyon) -> None:
    from datetime import timedelta

    from cop.database import utcnow
    from cop.jobs import JOBS

    visit, lead, _participant, _first, _second = lyon
    visit_id = visit.id
    sign_in(client, lead)
    page(client, f"/visits/{visit_id}/itinerary")
    page(client, f"/visits/{visit_id}/itinerary.ics")
    old = db.session.get(StoredView, f"ics:{visit_id}:en_GB")
    old.computed_at = utcnow() - timedelta(days=31)
    db.session.commit()
    assert JOBS["stored-results"]() == {"removed": 1}
    assert [key.split(":")[0] for key in db.session.scalars(select(StoredView.key))] == [
        "itinerary"
    ]
    # Asked for again (from another browser: this one keeps the file it was given, as its
    # data did not change): computed again.
    sign_in(other := app.test_client(), lead)
    page(other, f"/visits/{visit_id}/itinerary.ics")
    assert db.session.get(StoredView, f"ics:{visit_id}:en_GB") is not None


def test_ten_people_saving_at_once_in_two_visits_all_get_through(app, make, lyon) -> None:
    """Ten people adding items to the same two visits at once, in either order, all get
    through: every commit writes both visits' versions (on PostgreSQL each waits its turn on
    those rows; SQLite takes writers one at a time), none deadlocks and no item is lost."""
    import threading
    from datetime import timedelta

    from cop.database import utcnow

    visit, _lead, _participant, _first, _second = lyon
    visit_ids = [visit.id, make.visit(title="Visit to Porto", host_city="Porto").id]
    before = dict(db.session.execute(select(DataVersion.scope, DataVersion.version)).all())
    failures: list[BaseException] = []
    start = threading.Barrier(10)

    def writer(number: int) -> None:
        try:
            with app.app_context():
                start.wait()
                for visit_id in visit_ids if number % 2 else visit_ids[::-1]:
                    moment = utcnow() + timedelta(days=number)
                    db.session.add(
                        ItineraryItem(
                            visit_id=visit_id,
                            title=f"Meeting of writer {number}",
                            starts_at=moment,
                            ends_at=moment + timedelta(hours=1),
                            time_zone="Europe/Paris",
                        )
                    )
                    db.session.flush()
                    time.sleep(0.01 * (number % 3))
                db.session.commit()
        except BaseException as failure:  # noqa: BLE001 - reported below
            failures.append(failure)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    db.session.remove()
    after = dict(db.session.execute(select(DataVersion.scope, DataVersion.version)).all())
    assert all(after[f"visit:{v}"] != before[f"visit:{v}"] for v in visit_ids)
    count = db.session.scalar(select(db.func.count(ItineraryItem.id)))
    assert count == 2 + 20


def test_the_refresh_computes_again_each_stale_feed_calendar_and_page(app, client, make, lyon):
    """What the workers run after a commit (the job refresh-stored): every stored itinerary,
    calendar and feed whose visit changed is computed again, and none other."""
    from benchmarks.pages import personal_feed_path
    from cop.computed import store
    from cop.itinerary import stored as itinerary_pages
    from cop.jobs import JOBS

    visit, lead, participant, first, _second = lyon
    visit_id, person_id, item_id = visit.id, participant.person_id, first.id
    porto = make.visit(title="Visit to Porto", host_city="Porto")
    porto_item = make.item(porto, title="Orçamento participativo")
    porto_id = porto.id
    feed = personal_feed_path(db.session, app.config["SECRET_KEY"], person_id)
    sign_in(client, lead)
    for url in (f"/visits/{visit_id}/itinerary", f"/visits/{visit_id}/itinerary.ics", feed):
        assert client.get(url).status_code == 200
    db.session.get(ItineraryItem, item_id).title = "Budget participatif, deuxième séance"
    porto_item.attendees.append(db.session.get(Person, person_id))
    db.session.commit()

    def fresh() -> dict[str, bool]:
        db.session.remove()
        found = {}
        for key in db.session.scalars(select(StoredView.key)):
            if key.startswith("feed:"):
                scopes = [f"visit:{visit_id}", f"visit:{porto_id}"]
            else:
                scopes = [f"visit:{visit_id}"]
            found[key.split(":")[0]] = store.read(
                db.session, key, store.versions(db.session, scopes)
            ).fresh
        return found

    assert fresh() == {"itinerary": False, "ics": False, "feed": False}
    assert JOBS["refresh-stored"]()["itineraries and calendars"] == 3
    assert fresh() == {"itinerary": True, "ics": True, "feed": True}
    assert itinerary_pages.refresh_stale() == 0
    assert "Orçamento participativo" in client.get(feed).get_data(as_text=True)
