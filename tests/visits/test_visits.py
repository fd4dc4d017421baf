"""Programmes, visits, their status and their members."""

from __future__ import annotations

from datetime import date

from cop.directory.models import Person
from cop.extensions import db
from cop.reflections.models import GuideQuestion
from cop.research.models import Code
from cop.social.models import SocialProtocol
from cop.visits.logic import can_move, dates_problem, neighbouring_statuses, would_leave_no_lead
from cop.visits.models import (
    Membership,
    MembershipRole,
    Programme,
    ProgrammeResearcher,
    Visit,
    VisitStatus,
)
from tests.conftest import Factory, sign_in, visible_text


def lead_of_a_visit(make: Factory):
    lead = make.user()
    visit = make.visit()
    make.member(visit, lead.person, MembershipRole.LEAD)
    return lead, visit


VISIT_FORM = {
    "title": "Return visit to Glasgow",
    "objective": "Show Paris how Glasgow runs PB in its wards.",
    "programme_id": "0",
    "host_organisation_id": "0",
    "host_city": "Glasgow",
    "host_country": "GB",
    "start_date": "",
    "end_date": "",
    "time_zone": "Europe/London",
    "languages": ["en", "fr"],
}


def test_whoever_creates_a_visit_leads_it(client, make) -> None:
    lead, _ = lead_of_a_visit(make)
    sign_in(client, lead)
    response = client.post("/visits/new", data=VISIT_FORM)
    assert response.status_code == 302
    visit = db.session.scalar(db.select(Visit).filter_by(title="Return visit to Glasgow"))
    assert visit.status == VisitStatus.IDEA
    assert visit.start_date is None
    [membership] = visit.memberships
    assert (membership.person_id, membership.role) == (lead.person_id, MembershipRole.LEAD)
    page = visible_text(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "To be agreed" in page


def test_a_visit_to_a_host_organisation_takes_its_place_unless_told_otherwise(client, make) -> None:
    lead, _ = lead_of_a_visit(make)
    host = make.organisation(
        name="Ville de Lyon", city="Lyon", country="FR", language="fr", time_zone="Europe/Paris"
    )
    sign_in(client, lead)
    form = dict(
        VISIT_FORM,
        host_organisation_id=str(host.id),
        host_city="",
        host_country="",
        time_zone="",
        languages=["en"],
    )
    assert client.post("/visits/new", data=form).status_code == 302
    visit = db.session.scalar(db.select(Visit).filter_by(title=VISIT_FORM["title"]))
    assert (visit.host_city, visit.host_country, visit.time_zone) == (
        "Lyon",
        "FR",
        "Europe/Paris",
    )
    assert visit.languages == "en,fr", "the host's language is one of the visit's"
    # What the lead chose stays theirs.
    own = dict(form, title="To Villeurbanne", host_city="Villeurbanne", languages=["fr", "en"])
    client.post("/visits/new", data=own)
    chosen = db.session.scalar(db.select(Visit).filter_by(title="To Villeurbanne"))
    assert (chosen.host_city, chosen.languages) == ("Villeurbanne", "fr,en")


def test_without_a_host_organisation_the_place_must_be_chosen(client, make) -> None:
    lead, _ = lead_of_a_visit(make)
    sign_in(client, lead)
    form = dict(VISIT_FORM, host_country="", time_zone="", languages=[])
    response = client.post("/visits/new", data=form)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Choose the host country, or a host organisation" in page
    assert "Choose the time zone, or a host organisation" in page
    assert "Choose at least one language, or a host organisation" in page
    typed = dict(VISIT_FORM, time_zone="Paris", host_country="France", languages=["xx-nonsense"])
    page = client.post("/visits/new", data=typed).get_data(as_text=True)
    assert "Enter a time zone from the list" in page
    assert "Enter a two-letter country code" in page
    assert "is not a language code" in page


def test_places_and_languages_are_chosen_from_lists_in_the_reader_language(client, make) -> None:
    lead, _ = lead_of_a_visit(make)
    make.organisation(
        name="Mairie de Paris", city="Paris", country="FR", language="fr", time_zone="Europe/Paris"
    )
    sign_in(client, lead)
    page = client.get("/visits/new").get_data(as_text=True)
    assert '<option value="Europe/Paris">France — Paris (Europe/Paris)</option>' in page
    assert '<option value="FR">France</option>' in page
    assert '<option selected value="en">English</option>' in page
    assert 'data-city="Paris"' in page and 'data-time-zone="Europe/Paris"' in page
    assert 'data-search="Search the time zones"' in page
    lead.locale = "fr"
    db.session.commit()
    page = client.get("/visits/new").get_data(as_text=True)
    assert '<option value="GB">Royaume-Uni</option>' in page
    assert '<option selected value="en">Anglais</option>' in page
    assert "Royaume-Uni — Londres (Europe/London)" in page


def test_dates_are_both_given_or_both_left_to_be_agreed(client, make) -> None:
    lead, _ = lead_of_a_visit(make)
    sign_in(client, lead)
    only_start = dict(VISIT_FORM, start_date="2026-03-02")
    response = client.post("/visits/new", data=only_start)
    assert response.status_code == 400
    assert "Enter both the first and the last day, or neither" in response.get_data(as_text=True)
    backwards = dict(VISIT_FORM, start_date="2026-03-05", end_date="2026-03-02")
    response = client.post("/visits/new", data=backwards)
    assert "The last day must be the same as or after the first day" in response.get_data(
        as_text=True
    )
    not_a_date = dict(VISIT_FORM, start_date="5 March", end_date="2026-03-06")
    assert client.post("/visits/new", data=not_a_date).status_code == 400
    assert db.session.scalar(db.select(db.func.count(Visit.id))) == 1


def test_date_rules_as_plain_functions() -> None:
    assert dates_problem(None, None) is None
    assert dates_problem(date(2016, 12, 8), date(2016, 12, 9)) is None
    assert dates_problem(date(2016, 12, 8), None) == "both_or_neither"
    assert dates_problem(date(2016, 12, 9), date(2016, 12, 8)) == "end_before_start"


def test_a_lead_edits_the_visit(client, make) -> None:
    lead, visit = lead_of_a_visit(make)
    sign_in(client, lead)
    form = dict(
        VISIT_FORM, title="PB study visit to Paris", start_date="2016-12-08", end_date="2016-12-09"
    )
    assert client.post(f"/visits/{visit.id}/edit", data=form).status_code == 302
    db.session.refresh(visit)
    assert (visit.title, visit.start_date) == ("PB study visit to Paris", date(2016, 12, 8))


def test_status_moves_one_step_at_a_time(client, make) -> None:
    lead, visit = lead_of_a_visit(make)
    sign_in(client, lead)
    assert visit.status == VisitStatus.PLANNING
    assert client.post(f"/visits/{visit.id}/status", data={"status": "done"}).status_code == 400
    assert (
        client.post(f"/visits/{visit.id}/status", data={"status": "confirmed"}).status_code == 302
    )
    db.session.refresh(visit)
    assert visit.status == VisitStatus.CONFIRMED


def test_status_neighbours() -> None:
    assert neighbouring_statuses(VisitStatus.IDEA) == [VisitStatus.PLANNING]
    assert neighbouring_statuses(VisitStatus.EVALUATED) == [VisitStatus.DONE]
    assert can_move(VisitStatus.DONE, VisitStatus.UNDER_WAY)
    assert not can_move(VisitStatus.IDEA, VisitStatus.DONE)


def test_a_lead_adds_a_participant_with_the_reason_they_were_chosen(client, make) -> None:
    lead, visit = lead_of_a_visit(make)
    fiona = make.person(name="Fiona Duncan", email="fiona@fife.example")
    sign_in(client, lead)
    response = client.post(
        f"/visits/{visit.id}/members",
        data={
            "person_ids": [str(fiona.id)],
            "role": "participant",
            "selection_reason": "Manages the area teams that would deliver PB.",
        },
    )
    assert response.status_code == 302
    membership = db.session.scalar(db.select(Membership).filter_by(person_id=fiona.id))
    assert membership.role == MembershipRole.PARTICIPANT
    page = visible_text(client.get(f"/visits/{visit.id}").get_data(as_text=True))
    assert "Fiona Duncan" in page and "Manages the area teams" in page


def test_people_are_found_by_a_search_and_several_added_at_once(client, make) -> None:
    lead, visit = lead_of_a_visit(make)
    fife = make.organisation(name="Fife Council")
    fiona = make.person(name="Fiona Duncan", organisation_id=fife.id, job_title="Area manager")
    morag = make.person(name="Morag Campbell", organisation_id=fife.id)
    make.person(name="Claire Dubois")
    sign_in(client, lead)
    page = client.get(f"/visits/{visit.id}/members?who=fife").get_data(as_text=True)
    offered = visible_text(page.split('id="person_ids-list">')[1].split("</fieldset>")[0])
    assert offered == "Fiona Duncan (Area manager, Fife Council) Morag Campbell (Fife Council)"
    assert "2 people to choose from." in visible_text(page)
    # The lead, a member already, is not offered.
    everyone = client.get(f"/visits/{visit.id}/members").get_data(as_text=True)
    assert lead.person.name not in everyone.split('id="person_ids-list"')[1].split("</fieldset>")[0]
    nobody = visible_text(client.get(f"/visits/{visit.id}/members?who=zzz").get_data(as_text=True))
    assert "No one matches “zzz”." in nobody
    response = client.post(
        f"/visits/{visit.id}/members",
        data={"person_ids": [str(fiona.id), str(morag.id)], "role": "participant"},
        follow_redirects=True,
    )
    assert "2 people have been added as Participant: Fiona Duncan, Morag Campbell." in (
        visible_text(response.get_data(as_text=True))
    )


def test_choosing_no_one_or_someone_outside_the_offer_is_explained(client, make) -> None:
    lead, visit = lead_of_a_visit(make)
    sign_in(client, lead)
    response = client.post(f"/visits/{visit.id}/members", data={"role": "participant"})
    assert response.status_code == 400
    assert "Choose at least one person to add" in response.get_data(as_text=True)
    # The lead is a member already: sending their id by hand is refused, nothing is doubled.
    response = client.post(
        f"/visits/{visit.id}/members",
        data={"person_ids": [str(lead.person_id)], "role": "participant"},
    )
    assert response.status_code == 400
    assert len(visit.memberships) == 1
    someone = make.person()
    response = client.post(
        f"/visits/{visit.id}/members", data={"person_ids": [str(someone.id)], "role": "boss"}
    )
    assert response.status_code == 400


def test_someone_new_is_added_to_the_directory_and_comes_back_chosen(client, make) -> None:
    lead, visit = lead_of_a_visit(make)
    lead.is_organiser = True
    db.session.commit()
    sign_in(client, lead)
    members = client.get(f"/visits/{visit.id}/members").get_data(as_text=True)
    assert f'href="/people/new?next=/visits/{visit.id}/members%23add"' in members
    response = client.post(
        f"/people/new?next=/visits/{visit.id}/members%23add",
        data={
            "name": "Aileen Ross",
            "email": "aileen@fife.example",
            "organisation_id": "0",
            "preferred_language": "en",
        },
    )
    assert response.status_code == 302
    aileen = db.session.scalar(db.select(Person).filter_by(name="Aileen Ross"))
    assert response.headers["Location"] == f"/visits/{visit.id}/members?chosen={aileen.id}#add"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'<input checked class="checkboxes__input" id="person_ids-person-{aileen.id}"' in page
    # Someone sent by hand to another address is not redirected off the site.
    elsewhere = client.post(
        "/people/new?next=https://evil.example/",
        data={"name": "Someone Else", "organisation_id": "0", "preferred_language": "en"},
    )
    assert elsewhere.headers["Location"].startswith("/people/")


def test_removing_and_adding_back_keeps_why_they_were_chosen(client, make) -> None:
    lead, visit = lead_of_a_visit(make)
    fiona = make.person(name="Fiona Duncan")
    sign_in(client, lead)
    client.post(
        f"/visits/{visit.id}/members",
        data={
            "person_ids": [str(fiona.id)],
            "role": "participant",
            "selection_reason": "Runs PB in the east of Fife.",
        },
    )
    membership = db.session.scalar(db.select(Membership).filter_by(person_id=fiona.id))
    client.post(f"/visits/{visit.id}/members/{membership.id}/remove")
    assert db.session.scalar(db.select(Membership).filter_by(person_id=fiona.id)) is None
    client.post(
        f"/visits/{visit.id}/members",
        data={"person_ids": [str(fiona.id)], "role": "participant", "selection_reason": ""},
    )
    again = db.session.scalar(db.select(Membership).filter_by(person_id=fiona.id))
    assert again.selection_reason == "Runs PB in the east of Fife."


def test_the_last_lead_cannot_be_removed(client, make) -> None:
    lead, visit = lead_of_a_visit(make)
    sign_in(client, lead)
    [membership] = visit.memberships
    response = client.post(f"/visits/{visit.id}/members/{membership.id}/remove")
    assert response.status_code == 302
    assert "A visit needs at least one lead" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    assert db.session.get(Membership, membership.id) is not None
    assert (
        would_leave_no_lead([MembershipRole.LEAD, MembershipRole.LEAD], MembershipRole.LEAD)
        is False
    )


def test_a_member_of_another_visit_cannot_be_removed_through_this_one(client, make) -> None:
    lead, visit = lead_of_a_visit(make)
    elsewhere = make.member(make.visit(), make.person())
    sign_in(client, lead)
    assert client.post(f"/visits/{visit.id}/members/{elsewhere.id}/remove").status_code == 404


def test_my_visits_lists_the_visits_i_belong_to_with_my_role(client, make) -> None:
    user = make.user()
    paris = make.visit(title="Paris PB visit")
    make.visit(title="Someone else's visit")
    make.member(paris, user.person, MembershipRole.HOST)
    sign_in(client, user)
    page = visible_text(client.get("/").get_data(as_text=True))
    assert "Paris PB visit" in page and "Your role: Host" in page
    assert "Someone else's visit" not in page


def test_visits_list_shows_only_visible_visits_and_filters_by_status(client, make) -> None:
    user = make.user()
    mine = make.visit(title="Mine to Paris", status=VisitStatus.DONE)
    make.member(mine, user.person)
    make.visit(title="Hidden from me")
    sign_in(client, user)
    page = visible_text(client.get("/visits").get_data(as_text=True))
    assert "Mine to Paris" in page and "Hidden from me" not in page
    page = visible_text(client.get("/visits?status=idea").get_data(as_text=True))
    assert "Mine to Paris" not in page


def test_an_organiser_starts_a_programme(client, make) -> None:
    lead, _ = lead_of_a_visit(make)
    sign_in(client, lead)
    response = client.post(
        "/programmes/new",
        data={"name": "Scotland–Paris PB exchange", "description": "", "reporting_currency": "gbp"},
    )
    assert response.status_code == 302
    programme = db.session.scalar(db.select(Programme))
    assert programme.reporting_currency == "GBP"
    response = client.post("/programmes/new", data={"name": "X", "reporting_currency": "pounds"})
    assert "Enter a three-letter currency code" in response.get_data(as_text=True)


def test_programmes_are_found_by_name_or_description(client, make) -> None:
    make.programme(name="Scotland–Paris PB exchange", description="Learning from Paris")
    make.programme(name="Nordic welfare visits", description="Helsinki and Oslo")
    sign_in(client, make.user())
    text = visible_text(client.get("/programmes?q=paris").get_data(as_text=True))
    assert "Scotland–Paris PB exchange" in text and "Nordic welfare visits" not in text


def row_counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(db.select(db.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def test_a_new_visit_and_programme_start_with_their_defaults_and_reading_creates_nothing(
    client, make
) -> None:
    organiser = make.user(admin=True)
    sign_in(client, organiser)
    client.post("/programmes/new", data={"name": "Fife PB", "reporting_currency": "GBP"})
    programme = db.session.scalar(db.select(Programme).filter_by(name="Fife PB"))
    client.post("/visits/new", data=dict(VISIT_FORM, programme_id=str(programme.id)))
    visit = db.session.scalar(db.select(Visit).filter_by(title="Return visit to Glasgow"))

    count = db.session.scalar
    assert count(db.select(db.func.count(GuideQuestion.id)).filter_by(visit_id=visit.id))
    assert count(db.select(db.func.count(SocialProtocol.id)).filter_by(visit_id=visit.id))
    assert count(db.select(db.func.count(Code.id)).filter_by(programme_id=programme.id))
    researcher = make.user(researcher=True)
    db.session.add(ProgrammeResearcher(programme_id=programme.id, user_id=researcher.id))
    db.session.commit()
    reading = client.application.test_client()
    sign_in(reading, researcher)

    before = row_counts()
    for page in (
        f"/visits/{visit.id}/reflections/new?phase=before",
        f"/visits/{visit.id}/guide",
        f"/visits/{visit.id}/protocol",
        f"/visits/{visit.id}/posts",
        f"/visits/{visit.id}/actions/new",
        f"/visits/{visit.id}/report",
    ):
        assert client.get(page).status_code == 200, page
    for page in (f"/programmes/{programme.id}/codebook", f"/programmes/{programme.id}/themes"):
        assert reading.get(page).status_code == 200, page
    after = row_counts()
    # Reading writes only the audit log of who read what, and keeps what it computed (the
    # report's network) for the next reader.
    kept = {"audit_entry", "stored_view"}
    assert {k: v for k, v in after.items() if k not in kept} == {
        k: v for k, v in before.items() if k not in kept
    }


def test_a_programme_offers_to_plan_a_visit_in_it(client, make) -> None:
    sign_in(client, make.user(admin=True))
    programme = make.programme(name="Fife and Lyon")
    page = client.get(f"/programmes/{programme.id}").get_data(as_text=True)
    assert f"/visits/new?programme_id={programme.id}" in page
    form = client.get(f"/visits/new?programme_id={programme.id}").get_data(as_text=True)
    assert f'<option selected value="{programme.id}">' in form or (
        f'value="{programme.id}" selected' in form
    )


def test_removing_a_member_asks_first_and_says_what_happens(client, make) -> None:
    lead, visit = lead_of_a_visit(make)
    leaving = make.member(visit, make.person(name="Morag Campbell"))
    sign_in(client, lead)
    members = client.get(f"/visits/{visit.id}/members").get_data(as_text=True)
    assert f'href="/visits/{visit.id}/members/{leaving.id}/remove"' in members
    confirm = visible_text(
        client.get(f"/visits/{visit.id}/members/{leaving.id}/remove").get_data(as_text=True)
    )
    assert "Remove Morag Campbell from the visit?" in confirm
    assert "stops working" in confirm
    assert db.session.get(Membership, leaving.id) is not None  # asking removed nothing
