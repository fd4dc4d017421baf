"""Small networks, honestly: survey response shown with who has not answered, every verdict
indicator with its range over the readings that treat non-respondents differently, betweenness
centralisation and modularity printed, reminders to the silent before a wave closes, and a
panel for RSiena. Everything built from nothing: a programme, a visit, six people."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import networkx as nx
import pytest
from flask import Flask

from cop.database import utcnow
from cop.extensions import db
from cop.network.analysis import (
    betweenness_centralisation,
    measures,
    symmetrised_towards,
    without_people,
)
from cop.network.models import Contact, Frequency, SurveyAnswer, SurveyRespondent, SurveyWave
from cop.network.report import sensitivity
from cop.pseudonyms import pseudonym
from cop.visits.models import MembershipRole, ProgrammeResearcher
from tests.conftest import Factory, sign_in, visible_text
from tests.mailserver import MailServer


def arcs(*pairs: str) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from("ABCD", organisation="x", country="GB")
    for pair in pairs:
        graph.add_edge(pair[0], pair[1], weight=1, first=date(2016, 1, 1))
    return graph


def test_betweenness_centralisation_is_one_for_a_star_and_zero_for_a_ring() -> None:
    assert betweenness_centralisation(nx.star_graph(4)) == pytest.approx(1.0)
    assert betweenness_centralisation(nx.cycle_graph(6)) == pytest.approx(0.0)
    assert betweenness_centralisation(nx.path_graph(2)) is None


def test_the_two_readings_of_non_respondents() -> None:
    observed = arcs("AB", "CD")
    assert sorted(without_people(observed, {"D"}).edges()) == [("A", "B")]
    assert sorted(symmetrised_towards(observed, {"D"}).edges()) == [
        ("A", "B"),
        ("C", "D"),
        ("D", "C"),
    ]


def test_each_indicator_ranges_over_the_three_readings_worked_by_hand() -> None:
    # Before: A->B, C->D; after: A->B, B->C, C->D, A->D; D did not answer either time.
    ranges = {
        r.key: r
        for r in sensitivity(
            arcs("AB", "CD"), arcs("AB", "BC", "CD", "AD"), frozenset("D"), frozenset("D")
        )
    }
    # Reciprocity: 0 as observed and without D; made mutual, 2 of 3 arcs before and 4 of 6
    # after are returned: 0 to 2/3 in both windows, no change in any reading.
    assert ranges["reciprocity"].before == pytest.approx((0, 2 / 3))
    assert ranges["reciprocity"].after == pytest.approx((0, 2 / 3))
    assert ranges["reciprocity"].direction_holds
    # Isolates: none as observed; without D, C is alone before and not after: 0 to 1 before,
    # 0 after, and "down" in one reading against "no change" in the others.
    assert ranges["isolates"].before == (0, 1) and ranges["isolates"].after == (0, 0)
    assert not ranges["isolates"].direction_holds


def test_modularity_and_betweenness_centralisation_are_measured() -> None:
    two_groups = nx.DiGraph()
    two_groups.add_nodes_from(range(6), organisation="x", country="GB")
    for u, v in [(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)]:
        two_groups.add_edge(u, v, weight=1, first=date(2016, 1, 1))
    found = measures(two_groups)
    undirected = nx.Graph(two_groups)
    expected = nx.community.modularity(
        undirected, nx.community.louvain_communities(undirected, seed=2016)
    )
    assert found["modularity"] == pytest.approx(expected) and found["modularity"] > 0.3
    assert 0 < found["betweenness_centralisation"] < 1


@pytest.fixture
def mail_server():
    with MailServer() as server:
        yield server


@pytest.fixture
def config_overrides(mail_server) -> dict:
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": mail_server.port}


@pytest.fixture
def small(app: Flask):
    """A programme whose visit of December 2016 six people took part in, with contacts before
    and after, and two survey waves after it that not everyone answered."""
    make = Factory()
    programme = make.programme()
    visit = make.visit(programme_id=programme.id)
    glasgow = make.organisation(name="Glasgow City Council")
    paris = make.organisation(name="Ville de Paris", country="FR", city="Paris")
    people = [
        make.person(name=f"Member {letter}", organisation_id=(glasgow if i < 3 else paris).id)
        for i, letter in enumerate("ABCDEF")
    ]
    for person in people:
        make.member(visit, person, MembershipRole.PARTICIPANT)
    lead = make.user()
    make.member(visit, lead.person, MembershipRole.LEAD)
    researcher = make.user(researcher=True)
    db.session.add(ProgrammeResearcher(programme_id=programme.id, user_id=researcher.id))
    a, b, c, d, e, f = people
    for source, target, day in [
        (a, b, date(2016, 6, 1)),
        (d, e, date(2016, 7, 1)),
        (a, b, date(2017, 2, 1)),
        (b, d, date(2017, 3, 1)),
        (c, f, date(2017, 4, 1)),
    ]:
        db.session.add(Contact(from_person_id=source.id, to_person_id=target.id, day=day))
    waves = []
    for title, asked_on, answering in [
        ("Six months on", date(2017, 6, 8), {a, b, c, d}),
        ("A year on", date(2017, 12, 8), {a, b, c}),
    ]:
        wave = SurveyWave(programme_id=programme.id, title=title, asked_on=asked_on, months=3)
        for person in people:
            respondent = SurveyRespondent(person=person)
            if person in answering:
                respondent.answered_at = utcnow()
                others = [p for p in people if p is not person][:2]
                respondent.answers = [
                    SurveyAnswer(named_person_id=other.id, frequency=Frequency.MONTHLY)
                    for other in others
                ]
            wave.respondents.append(respondent)
        db.session.add(wave)
        waves.append(wave)
    db.session.commit()
    return {"programme": programme, "people": people, "waves": waves, "researcher": researcher}


def test_the_network_page_shows_response_and_every_indicator_with_its_range(
    app: Flask, small
) -> None:
    client = app.test_client()
    sign_in(client, small["researcher"])
    page = visible_text(
        client.get(f"/programmes/{small['programme'].id}/network").get_data(as_text=True)
    )
    assert "Who answered the surveys" in page
    assert re.search(r"Six months on .* 6 4 67 % 2", page)
    assert re.search(r"A year on .* 6 3 50 % 3", page)
    # Both waves are dated after the visit: the silent of the after window are E and F (first
    # wave) and D, E, F (second): three people.
    assert "did not answer (0 before, 3 after)" in page
    assert "Range, before" in page and "Range, after" in page
    assert "Betweenness centralisation" in page and "Modularity of the communities found" in page


def test_reminders_go_once_to_those_who_have_not_answered(app: Flask, small, mail_server) -> None:
    client = app.test_client()
    sign_in(client, small["researcher"])
    wave = small["waves"][1]
    url = f"/programmes/{small['programme'].id}/surveys/{wave.id}"
    page = visible_text(client.get(url).get_data(as_text=True))
    assert "Response rate: 50 %." in page and "Member F" in page and "Member A" not in page
    assert client.post(f"{url}/remind").status_code == 302
    reminded = sorted(message["To"] for message in mail_server.wait_for(3))
    silent = sorted(p.email for p in small["people"][3:])
    assert reminded == silent
    assert all("A reminder" in m["Subject"] for m in mail_server.messages)
    client.post(f"{url}/remind")  # again: nobody twice
    assert len(mail_server.messages) == 3
    assert "reminded" in visible_text(client.get(url).get_data(as_text=True))
    client.post(f"{url}/close")
    closed = client.post(f"{url}/remind", follow_redirects=True)
    assert "The wave is closed" in visible_text(closed.get_data(as_text=True))


def test_the_panel_holds_a_matrix_per_wave_with_missing_rows_and_covariates(
    app: Flask, small
) -> None:
    client = app.test_client()
    sign_in(client, small["researcher"])
    answer = client.get(f"/programmes/{small['programme'].id}/network-panel.zip")
    assert answer.status_code == 200 and answer.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(answer.data))
    assert {"wave1.txt", "wave2.txt", "organisation.txt", "country.txt", "actors.csv"} <= set(
        archive.namelist()
    )
    secret = app.config["SECRET_KEY"]
    actors = archive.read("actors.csv").decode().splitlines()[1:]
    order = [line.split(",")[1] for line in actors]
    people = {pseudonym(secret, p.id): p for p in small["people"]}
    # The six and the visit's lead (in the programme, never asked), in pseudonyms' order.
    assert set(people) < set(order) and len(order) == 7 and order == sorted(order)
    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert b"Member" not in everything and b"@example" not in everything
    rows = [line.split() for line in archive.read("wave2.txt").decode().splitlines()]
    assert len(rows) == 7 and all(len(row) == 7 for row in rows)
    for row, name in zip(rows, order, strict=True):
        person = people.get(name)
        silent = person is not None and person.name in ("Member D", "Member E", "Member F")
        assert (set(row) - {"0"} == {"NA"}) == silent
        if person is not None and not silent:
            assert row.count("1") == 2
    codes = archive.read("organisation.txt").decode().split()
    assert sorted(set(codes)) == ["1", "2", "NA"]  # the lead's organisation is not recorded
    assert "sienaDependent" in archive.read("README.txt").decode()
