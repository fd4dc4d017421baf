"""The task lists as their readers see them: the lead the visit's, each member their own, on
the visit page and on their home page."""

from __future__ import annotations

import re

from cop.extensions import db
from cop.planning.models import PlanningTask
from cop.visits.models import MembershipRole, VisitStatus
from tests.conftest import Factory, sign_in, visible_text


def new_visit(make: Factory):
    visit = make.visit(
        title="Fife learns from Lyon",
        objective="",
        start_date=None,
        end_date=None,
        status=VisitStatus.IDEA,
    )
    lead, traveller = make.user(), make.user()
    make.member(visit, lead.person, MembershipRole.LEAD)
    make.member(visit, traveller.person, MembershipRole.PARTICIPANT)
    return visit, lead, traveller


def line(page: str, title: str) -> str:
    """The words of one task list line: its title, hint and status."""
    [item] = [
        visible_text(item)
        for item in re.findall(r'<li class="task-list__item.*?</li>', page, re.S)
        if title in item
    ]
    return item


def test_the_lead_sees_the_visits_list_in_three_sections_with_links(client, make) -> None:
    visit, lead, _ = new_visit(make)
    sign_in(client, lead)
    page = client.get(f"/visits/{visit.id}").get_data(as_text=True)
    text = visible_text(page)
    for section in ("1. Prepare the visit", "2. Learn during and after it", "3. Follow up"):
        assert section in text
    assert (
        line(page, "Objective and members")
        == "Objective and members 2 people travelling In progress"
    )
    assert "Dates agreed Not yet started" in line(page, "Dates agreed")
    assert f'href="/visits/{visit.id}/polls/new"' in page
    # What cannot start yet is not a link.
    assert "Itinerary Cannot start yet" in line(page, "Itinerary")
    assert "<span>Itinerary</span>" in page
    assert line(page, "Reflections before the visit") == (
        "Reflections before the visit 0 of 2 written Not yet started"
    )


def test_a_participant_sees_only_their_own_list_and_so_does_their_home_page(client, make) -> None:
    visit, _, traveller = new_visit(make)
    sign_in(client, traveller)
    page = client.get(f"/visits/{visit.id}").get_data(as_text=True)
    assert "The visit’s task list" not in page
    assert "Your tasks" in page
    assert "Not yet started" in line(page, "Write your reflection before the visit")
    assert f'href="/visits/{visit.id}/reflections/new?phase=before"' in page
    home = client.get("/").get_data(as_text=True)
    assert "For you to do" in home
    assert "Write your reflection before the visit" in home


def test_dates_typed_into_the_visit_confirm_it(client, make) -> None:
    visit, lead, _ = new_visit(make)
    sign_in(client, lead)
    form = {
        "title": visit.title,
        "objective": "How Lyon involves residents in its budget.",
        "programme_id": "0",
        "host_organisation_id": "0",
        "host_city": "Lyon",
        "host_country": "FR",
        "start_date": "2027-03-08",
        "end_date": "2027-03-09",
        "time_zone": "Europe/Paris",
        "languages": ["en", "fr"],
    }
    response = client.post(f"/visits/{visit.id}/edit", data=form, follow_redirects=True)
    assert "The visit is now: Confirmed." in visible_text(response.get_data(as_text=True))
    db.session.refresh(visit)
    assert visit.status is VisitStatus.CONFIRMED


def test_the_checklist_shows_what_cop_ticked(client, make) -> None:
    visit, lead, _ = new_visit(make)
    visit.objective = "How Lyon involves residents in its budget."
    db.session.commit()
    sign_in(client, lead)
    client.post(f"/visits/{visit.id}/planning/checklist")
    assert db.session.scalar(
        db.select(PlanningTask.key).filter_by(visit_id=visit.id, key="objective")
    )
    page = client.get(f"/visits/{visit.id}/planning").get_data(as_text=True)
    rows = [visible_text(row) for row in re.findall(r"<tr>.*?</tr>", page, re.S)]
    [objective] = [row for row in rows if row.startswith("Objective agreed")]
    assert "ticked by cop from the visit’s records" in objective
    [dates] = [row for row in rows if row.startswith("Dates agreed with the host")]
    assert "ticked by cop" not in dates
    again = client.post(f"/visits/{visit.id}/planning/checklist", follow_redirects=True)
    assert "0 checks added to the checklist." in visible_text(again.get_data(as_text=True))
