"""The directory of organisations and people: search, pages, adding, and special-category data."""

from __future__ import annotations

from cop.directory.models import Organisation, OrganisationKind, Person
from cop.extensions import db
from cop.visits.models import MembershipRole
from tests.conftest import Factory, sign_in, visible_text


def organiser(make: Factory):
    lead = make.user()
    make.member(make.visit(), lead.person, MembershipRole.LEAD)
    return lead


def test_people_are_found_by_name_organisation_or_job_title(client, make) -> None:
    fife = make.organisation(name="Fife Council")
    make.person(name="Eilidh Robertson", organisation_id=fife.id, job_title="PB officer")
    make.person(name="Claire Dubois", job_title="Responsable")
    sign_in(client, make.user())
    for query in ("eilidh", "FIFE", "pb off"):
        text = visible_text(client.get("/people", query_string={"q": query}).get_data(as_text=True))
        assert "Eilidh Robertson" in text and "Claire Dubois" not in text, query


def test_a_search_with_like_wildcards_matches_them_literally(client, make) -> None:
    make.person(name="Ann 100% Sure")
    make.person(name="Bob Other")
    sign_in(client, make.user())
    text = visible_text(client.get("/people", query_string={"q": "100%"}).get_data(as_text=True))
    assert "Ann 100% Sure" in text and "Bob Other" not in text


def test_long_lists_are_paginated(client, make) -> None:
    for number in range(12):
        make.organisation(name=f"Council {number:02d}")
    sign_in(client, make.user())
    first = visible_text(client.get("/organisations").get_data(as_text=True))
    assert "Council 00" in first and "Council 05" not in first
    assert "Page 1 of 3 (12 results)" in first
    third = visible_text(client.get("/organisations?page=3").get_data(as_text=True))
    assert "Council 10" in third and "Council 11" in third
    assert client.get("/organisations?page=99").status_code == 200


def test_an_organiser_adds_an_organisation(client, make) -> None:
    sign_in(client, organiser(make))
    response = client.post(
        "/organisations/new",
        data={
            "name": "Ville de Paris",
            "kind": "council",
            "city": "Paris",
            "country": "fr",
            "subdivision": "",
            "language": "fr",
            "time_zone": "Europe/Paris",
        },
    )
    assert response.status_code == 302
    paris = db.session.scalar(db.select(Organisation).filter_by(name="Ville de Paris"))
    assert (paris.country, paris.kind, paris.time_zone) == (
        "FR",
        OrganisationKind.COUNCIL,
        "Europe/Paris",
    )


def test_a_wrong_organisation_form_names_every_problem_and_saves_nothing(client, make) -> None:
    make.organisation(name="Fife Council")
    sign_in(client, organiser(make))
    response = client.post(
        "/organisations/new",
        data={
            "name": "Fife Council",
            "kind": "council",
            "country": "Scotland",
            "language": "french",
            "time_zone": "Paris",
        },
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Enter a two-letter country code" in page
    assert "is not a language code" in page
    assert "Enter a time zone from the list" in page
    assert db.session.scalar(db.select(db.func.count(Organisation.id))) == 1


def test_a_duplicate_name_is_refused_with_a_message(client, make) -> None:
    make.organisation(name="Fife Council")
    sign_in(client, organiser(make))
    response = client.post(
        "/organisations/new",
        data={
            "name": "Fife Council",
            "kind": "council",
            "country": "GB",
            "language": "en",
            "time_zone": "Europe/London",
        },
    )
    assert response.status_code == 400
    assert "An organisation with this name already exists" in response.get_data(as_text=True)


def test_an_organiser_adds_a_person_to_an_organisation(client, make) -> None:
    fife = make.organisation(name="Fife Council")
    sign_in(client, organiser(make))
    response = client.post(
        "/people/new",
        data={
            "name": "Callum Stewart",
            "email": "Callum@Fife.example",
            "organisation_id": str(fife.id),
            "job_title": "Policy officer",
            "languages": "EN, fr",
            "preferred_language": "en",
        },
    )
    assert response.status_code == 302
    callum = db.session.scalar(db.select(Person).filter_by(name="Callum Stewart"))
    assert (callum.email, callum.languages, callum.organisation_id) == (
        "callum@fife.example",
        "en,fr",
        fife.id,
    )


def test_a_person_with_an_email_already_in_the_directory_is_refused(client, make) -> None:
    make.person(email="callum@fife.example")
    sign_in(client, organiser(make))
    response = client.post(
        "/people/new",
        data={
            "name": "C S",
            "email": "callum@fife.example",
            "organisation_id": "0",
            "preferred_language": "en",
        },
    )
    assert response.status_code == 400
    assert "already in the directory" in response.get_data(as_text=True)


def test_access_and_dietary_needs_are_seen_only_by_the_person_and_their_visits_leads(
    app, make
) -> None:
    visit = make.visit()
    participant = make.user()
    participant.person.dietary_needs = "Vegetarian"
    participant.person.access_needs = "Step-free access"
    db.session.commit()
    make.member(visit, participant.person)
    lead = make.user()
    make.member(visit, lead.person, MembershipRole.LEAD)
    fellow = make.user()
    make.member(visit, fellow.person)
    lead_elsewhere = organiser(make)
    admin = make.user(admin=True, with_person=False)

    url = f"/people/{participant.person.id}"
    for user, may_see in [
        (participant, True),
        (lead, True),
        (fellow, False),
        (lead_elsewhere, False),
        (admin, False),
    ]:
        client = app.test_client()
        sign_in(client, user)
        page = client.get(url).get_data(as_text=True)
        assert ("Vegetarian" in page) is may_see, user.email
        members_page = client.get(f"/visits/{visit.id}/members").get_data(as_text=True)
        assert ("Step-free access" in members_page) is (user is lead), user.email


def test_a_person_edits_their_own_details_and_needs_on_their_profile(client, make) -> None:
    user = make.user()
    sign_in(client, user)
    response = client.post(
        "/account",
        data={
            "name": "Eilidh Robertson",
            "job_title": "Community development officer",
            "languages": "en,fr",
            "locale": "fr",
            "access_needs": "",
            "dietary_needs": "Vegetarian",
        },
    )
    assert response.status_code == 302
    assert user.person.dietary_needs == "Vegetarian"
    assert user.locale == "fr"
    assert 'lang="fr"' in client.get("/account").get_data(as_text=True)
