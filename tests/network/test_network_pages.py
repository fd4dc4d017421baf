"""Collecting contacts, the "is a community forming?" page, and exports researchers can open."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta

import networkx as nx
import pytest

from cop.demo import load_demo
from cop.directory.models import Person
from cop.extensions import db
from cop.network.models import Contact, TieSource
from cop.visits.models import MembershipRole
from tests.conftest import Factory, sign_in, visible_text


def test_a_practitioner_logs_a_contact_in_a_few_fields(client, make) -> None:
    me = make.user()
    other = make.person(name="Claire Dubois", email="hote@paris.example")
    sign_in(client, me)
    page = client.get(f"/contacts/new?with={other.id}").get_data(as_text=True)
    # Brought to the page from someone's entry, they are already chosen.
    assert f'<input checked class="checkboxes__input" id="to_person_id-person-{other.id}"' in page
    for started, expected in (
        ("me", (me.person_id, other.id, False)),
        ("them", (other.id, me.person_id, False)),
        ("both", (me.person_id, other.id, True)),
    ):
        response = client.post(
            "/contacts/new",
            data={
                "to_person_id": str(other.id),
                "day": "2017-01-10",
                "channel": "video",
                "topic": "PB",
                "started": started,
                "visit_id": "0",
            },
        )
        assert response.status_code == 302
        contact = db.session.scalar(db.select(Contact).order_by(Contact.id.desc()))
        assert (contact.from_person_id, contact.to_person_id, contact.mutual) == expected
    response = client.post(
        "/contacts/new",
        data={
            "to_person_id": str(me.person_id),
            "day": "2017-01-10",
            "channel": "video",
            "started": "me",
            "visit_id": "0",
        },
    )
    # One is not offered oneself, and cannot send oneself by hand.
    assert response.status_code == 400
    assert "Choose someone from the list" in response.get_data(as_text=True)


CSV_OK = """from_email,to_email,date,channel,topic,from_name,to_name
lead@glasgow.example,participant@fife.example,2017-01-18,email,PB,,
lead@glasgow.example,new.officer@fife.example,2017-02-01,meeting,Ballots,,New Officer
"""
CSV_BAD = """from_email,to_email,date,channel
lead@glasgow.example,participant@fife.example,18/01/2017,email
not-an-address,participant@fife.example,2017-01-18,email
lead@glasgow.example,lead@glasgow.example,2017-01-18,pigeon
"""


def organiser(make: Factory):
    """The lead of a visit of programme 1, whose participant is in the directory."""
    programme = make.programme()
    visit = make.visit(programme_id=programme.id)
    lead = make.user("lead@glasgow.example")
    make.member(visit, lead.person, MembershipRole.LEAD)
    make.member(visit, make.person(email="participant@fife.example"))
    return lead


def post_csv(client, text: str, create: bool = False, programme_id: int = 1):
    data = {"contacts": (io.BytesIO(text.encode()), "contacts.csv")}
    if create:
        data["create_people"] = "y"
    return client.post(
        f"/programmes/{programme_id}/contacts/import",
        data=data,
        content_type="multipart/form-data",
    )


def test_a_bad_csv_names_each_bad_row_and_imports_nothing(client, make) -> None:
    sign_in(client, organiser(make))
    response = post_csv(client, CSV_BAD)
    assert response.status_code == 400
    text = visible_text(response.get_data(as_text=True))
    assert "Nothing was imported: 4 problems" in text
    assert "Line 2: “18/01/2017” is not a date like 2017-03-06." in text
    assert "Line 3: “not-an-address” is not an email address." in text
    assert "Line 4: “pigeon” is not a channel" in text
    assert "Line 4: Both ends are the same person" in text
    response = post_csv(client, CSV_OK)
    assert "No one in the directory has the address new.officer@fife.example." in visible_text(
        response.get_data(as_text=True)
    )
    assert db.session.scalar(db.select(db.func.count(Contact.id))) == 0
    assert post_csv(client, "name,email\nx,y\n").status_code == 400


def test_a_contact_dated_in_the_future_is_refused_on_the_form_and_in_a_file(client, make) -> None:
    lead = organiser(make)
    other = make.person(name="Claire Dubois")
    sign_in(client, lead)
    next_week = (date.today() + timedelta(days=7)).isoformat()

    logged = client.post(
        "/contacts/new",
        data={
            "to_person_id": str(other.id),
            "day": next_week,
            "channel": "video",
            "started": "me",
            "visit_id": "0",
        },
    )
    imported = post_csv(
        client,
        f"from_email,to_email,date\nlead@glasgow.example,participant@fife.example,{next_week}\n",
    )

    assert logged.status_code == 400
    assert "The day cannot be in the future." in logged.get_data(as_text=True)
    assert imported.status_code == 400
    assert f"Line 2: {next_week} is in the future" in visible_text(imported.get_data(as_text=True))
    assert db.session.scalar(db.select(db.func.count(Contact.id))) == 0


def test_a_good_csv_imports_every_row_and_adds_named_people_on_request(client, make) -> None:
    sign_in(client, organiser(make))
    assert post_csv(client, CSV_OK, create=True).status_code == 302
    contacts = db.session.scalars(db.select(Contact)).all()
    assert len(contacts) == 2 and {c.source for c in contacts} == {TieSource.IMPORTED}
    newcomer = db.session.scalar(db.select(Person).filter_by(email="new.officer@fife.example"))
    assert newcomer.name == "New Officer"


@pytest.fixture
def demo(app):
    load_demo(db.session)
    db.session.commit()


def test_the_demo_shows_a_community_forming_around_the_paris_visit(client, demo) -> None:
    sign_in(client, "researcher@wws.example", "cop-demo")
    text = visible_text(client.get("/programmes/1/network").get_data(as_text=True))
    assert "Most indicators moved the way a forming community of practice would." in text
    assert "Before: 9 December 2015 to 7 December 2016." in text
    assert "E-I index by organisation" in text and "Strong" in text
    # Researchers see pseudonyms only.
    for name in ("Morag Campbell", "lead@glasgow.example", "Claire Dubois"):
        assert (
            name
            not in text.split("Is a community of practice forming?", 1)[1].split("cop helps")[0]
        )


def test_only_researchers_admins_and_the_programmes_leads_see_the_network(app, demo) -> None:
    for email, status in (
        ("researcher@wws.example", 200),
        ("lead@glasgow.example", 200),
        ("admin@cop.example", 200),
        ("participant@fife.example", 403),
        ("hote@paris.example", 403),
    ):
        client = app.test_client()
        sign_in(client, email, "cop-demo")
        assert client.get("/programmes/1/network").status_code == status, email
        assert client.get("/programmes/1/network.graphml").status_code == status, email


def test_exports_open_in_networkx_and_hold_no_personal_data(client, demo) -> None:
    sign_in(client, "researcher@wws.example", "cop-demo")
    graphml = client.get("/programmes/1/network.graphml?window=after").get_data(as_text=True)
    graph = nx.read_graphml(io.StringIO(graphml))
    assert graph.number_of_nodes() == 14 and graph.number_of_edges() == 13
    assert all(node.startswith("P-") for node in graph)
    assert {data["organisation"] for _n, data in graph.nodes(data=True)} >= {
        "Fife Council",
        "Ville de Paris",
    }
    gexf = client.get("/programmes/1/network.gexf").get_data(as_text=True)
    assert 'mode="dynamic"' in gexf and 'start="2016-' in gexf
    assert nx.read_gexf(io.StringIO(gexf)).number_of_nodes() == 14
    data = json.loads(client.get("/programmes/1/network.json").get_data(as_text=True))
    assert nx.node_link_graph(data, edges="links").number_of_edges() > 0
    nodes = client.get("/programmes/1/network.nodes.csv").get_data(as_text=True)
    assert nodes.startswith("id,organisation,country")
    everything = graphml + gexf + nodes
    for personal in ("Morag", "Campbell", "@glasgow.example", "@paris.example"):
        assert personal not in everything
    # Pseudonyms are stable between exports.
    again = nx.read_graphml(
        io.StringIO(client.get("/programmes/1/network.graphml?window=after").get_data(as_text=True))
    )
    assert sorted(again) == sorted(graph)
    assert client.get("/programmes/1/network.xlsx").status_code == 404


def test_the_command_line_imports_exports_and_measures(app, demo, tmp_path) -> None:
    runner = app.test_cli_runner()
    csv_file = tmp_path / "contacts.csv"
    csv_file.write_text(
        "from_email,to_email,date\nlead@glasgow.example,participant@fife.example,2017-08-01\n"
    )
    result = runner.invoke(args=["network", "import", "--programme", "1", str(csv_file)])
    assert result.exit_code == 0 and "1 contacts imported." in result.output
    result = runner.invoke(args=["network", "import", "--programme", "99", str(csv_file)])
    assert result.exit_code != 0 and "no programme 99" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("from_email,to_email,date\nx,y,z\n")
    result = runner.invoke(args=["network", "import", "--programme", "1", str(bad)])
    assert result.exit_code != 0 and "nothing imported" in result.output
    result = runner.invoke(args=["network", "metrics", "--programme", "1", "--json"])
    report = json.loads(result.output)
    assert report["conclusion"] == "forming"
    assert report["after"]["people"] == 14
    out = tmp_path / "after.gexf"
    result = runner.invoke(
        args=[
            "network",
            "export",
            "--programme",
            "1",
            "--format",
            "gexf",
            "--window",
            "after",
            "--output",
            str(out),
        ]
    )
    assert result.exit_code == 0
    assert nx.read_gexf(out).number_of_nodes() == 14


def test_researchers_choose_whose_ties_and_their_own_windows(client, demo) -> None:
    sign_in(client, "researcher@wws.example", "cop-demo")
    page = client.get(
        "/programmes/1/network?people=visit&before_from=2016-01-01&before_to=2016-06-30"
        "&after_from=2017-01-01&after_to=2017-06-30"
    )
    text = visible_text(page.get_data(as_text=True))
    assert "Before: 1 January 2016 to 30 June 2016. After: 1 January 2017 to 30 June 2017." in text
    wrong = client.get("/programmes/1/network?before_from=soon&before_to=x&after_from=&after_to=")
    assert "Enter all four days as dates" in wrong.get_data(as_text=True)
    assert "Communities following organisation lines" in text


def test_the_network_can_be_narrowed_to_some_organisations(client, demo) -> None:
    from cop.directory.models import Organisation

    glasgow, fife = (
        db.session.scalar(db.select(Organisation.id).filter_by(name=name))
        for name in ("Glasgow City Council", "Fife Council")
    )
    sign_in(client, "researcher@wws.example", "cop-demo")
    text = visible_text(
        client.get(f"/programmes/1/network?organisation={glasgow}&organisation={fife}").get_data(
            as_text=True
        )
    )
    table = text.split("Ties by organisation, before and after", 1)[1].split("Over time", 1)[0]
    assert "Glasgow City Council" in table and "Fife Council" in table
    assert "Ville de Paris" not in table
    assert "E-I index of each country" in text


def test_people_without_an_organisation_are_said_to_have_none_and_left_out_of_e_i(
    client, make: Factory
) -> None:
    programme = make.programme()
    visit = make.visit(programme_id=programme.id)
    glasgow, fife = make.organisation(name="Glasgow City Council"), make.organisation(name="Fife")
    morag = make.person(organisation_id=glasgow.id)
    eilidh = make.person(organisation_id=fife.id)
    freelance = make.person()  # no organisation recorded
    for person in (morag, eilidh, freelance):
        make.member(visit, person)
    for first, second, day in (
        (morag, freelance, date(2016, 6, 1)),
        (morag, eilidh, date(2017, 3, 1)),
        (eilidh, freelance, date(2017, 3, 2)),
    ):
        db.session.add(Contact(from_person_id=first.id, to_person_id=second.id, day=day))
    db.session.commit()
    sign_in(client, make.user(admin=True))

    page = client.get(f"/programmes/{programme.id}/network").get_data(as_text=True)
    text = visible_text(page)
    nodes = client.get(f"/programmes/{programme.id}/network.nodes.csv").get_data(as_text=True)
    graphml = client.get(f"/programmes/{programme.id}/network.graphml").get_data(as_text=True)

    assert "1 person has no organisation recorded: they are shown as “no organisation”" in text
    assert "No organisation" in text and "—" not in text
    # After the visit: one tie across Glasgow and Fife, and one with the freelance left out.
    assert (
        "E-I index of each organisation Group E-I index Fife 1 Glasgow City Council 1 "
        "E-I index of each country Group E-I index GB -1 "
    ) in text
    assert "1 person has no country recorded and is left out of the E-I index by country." in text
    rows = list(csv.DictReader(io.StringIO(nodes.lstrip("\ufeff"))))
    assert sorted(row["organisation"] for row in rows) == ["", "Fife", "Glasgow City Council"]
    organisations = nx.get_node_attributes(nx.read_graphml(io.StringIO(graphml)), "organisation")
    assert sorted(organisations.values()) == ["Fife", "Glasgow City Council"]


def test_metrics_of_a_programme_or_visit_that_is_not_there_fail_with_a_message(
    app, make: Factory
) -> None:
    programme = make.programme()
    elsewhere = make.visit(programme_id=make.programme().id)
    runner = app.test_cli_runner()

    missing = runner.invoke(args=["network", "metrics", "--programme", "999"])
    wrong_visit = runner.invoke(
        args=["network", "metrics", "--programme", str(programme.id), "--visit", str(elsewhere.id)]
    )
    export = runner.invoke(args=["network", "export", "--programme", "999"])

    assert missing.exit_code != 0 and "There is no programme 999." in missing.output
    assert wrong_visit.exit_code != 0 and f"has no visit {elsewhere.id}" in wrong_visit.output
    assert export.exit_code != 0 and "There is no programme 999." in export.output
