"""The glossary: seeded from the case, searchable, added to, and round-tripped through CSV."""

from __future__ import annotations

import csv
import io

from cop.extensions import db
from cop.translation.models import GlossaryTerm
from cop.translation.seed import seed_glossary
from cop.visits.models import MembershipRole
from tests.conftest import Factory, sign_in, visible_text


def organiser(make: Factory):
    lead = make.user()
    make.member(make.visit(), lead.person, MembershipRole.LEAD)
    return lead


def test_the_glossary_is_seeded_once_with_the_cases_terms(app) -> None:
    assert seed_glossary(db.session) == 21
    assert seed_glossary(db.session) == 0
    db.session.commit()
    cpp = db.session.scalar(
        db.select(GlossaryTerm).filter_by(term_a="Community Planning Partnership")
    )
    assert cpp.do_not_translate and cpp.term_b == ""


def test_members_search_the_glossary_and_organisers_add_terms(client, make) -> None:
    seed_glossary(db.session)
    db.session.commit()
    sign_in(client, organiser(make))
    text = visible_text(client.get("/glossary?q=quartier").get_data(as_text=True))
    assert "conseil de quartier" in text and "neighbourhood council" in text
    assert "mairie d'arrondissement" not in text
    response = client.post(
        "/glossary/new",
        data={
            "language_a": "fr",
            "term_a": "arrondissement",
            "language_b": "en",
            "term_b": "district",
        },
    )
    assert response.status_code == 302
    same = client.post(
        "/glossary/new", data={"language_a": "fr", "term_a": "x", "language_b": "fr"}
    )
    assert "Choose a different language" in same.get_data(as_text=True)


def test_the_glossary_round_trips_through_csv_and_bad_files_import_nothing(client, make) -> None:
    seed_glossary(db.session)
    db.session.commit()
    sign_in(client, organiser(make))
    exported = client.get("/glossary.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert len(rows) == 21
    bad = "language_a,term_a,language_b,term_b\nfr,élus,en,elected members\nxx,a,en,b\nfr,,en,c\n"
    response = client.post(
        "/glossary/import",
        data={"terms": (io.BytesIO(bad.encode()), "g.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    text = visible_text(response.get_data(as_text=True))
    assert "Line 3: Use language codes like en or fr." in text and "Line 4:" in text
    assert db.session.scalar(db.select(db.func.count(GlossaryTerm.id))) == 21
    good = (
        "language_a,term_a,language_b,term_b,do_not_translate\nfr,arrondissement,en,district,no\n"
    )
    response = client.post(
        "/glossary/import",
        data={"terms": (io.BytesIO(good.encode()), "g.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert db.session.scalar(db.select(db.func.count(GlossaryTerm.id))) == 22


def test_a_term_for_one_visit_applies_to_that_visits_translations_only(client, make) -> None:
    from cop.translation.service import glossary_terms

    lead = organiser(make)
    visit = lead.person.memberships[0].visit
    sign_in(client, lead)
    response = client.post(
        "/glossary/new",
        data={
            "language_a": "fr",
            "term_a": "comité de suivi",
            "language_b": "en",
            "term_b": "steering group",
            "applies_to": f"visit:{visit.id}",
        },
    )
    assert response.status_code == 302
    assert [t.term_a for t in glossary_terms(db.session, visit.id)] == ["comité de suivi"]
    assert glossary_terms(db.session, None) == []
    outsider = client.application.test_client()
    sign_in(outsider, make.user())
    assert "comité de suivi" not in outsider.get("/glossary").get_data(as_text=True)


def test_notes_about_pariss_institutions_hold_in_paris_and_not_in_lyon(make) -> None:
    from cop.translation.service import glossary_terms

    seed_glossary(db.session)
    db.session.commit()
    paris = make.visit(host_city="Paris", host_country="FR")
    lyon = make.visit(host_city="Lyon", host_country="FR")

    in_paris = {t.term_a for t in glossary_terms(db.session, paris.id)}
    in_lyon = {t.term_a for t in glossary_terms(db.session, lyon.id)}

    assert {"Conseil de Paris", "maire de Paris", "budget participatif"} <= in_paris
    assert "budget participatif" in in_lyon
    assert not {"Conseil de Paris", "maire de Paris"} & in_lyon


def test_an_organiser_gives_a_term_to_a_programme_or_a_host_city(client, make) -> None:
    from cop.translation.service import glossary_terms

    lead = organiser(make)
    programme = make.programme(name="PB exchange")
    ours = make.visit(programme_id=programme.id, host_city="Lyon", host_country="FR")
    other = make.visit(host_city="Lyon", host_country="FR")
    make.member(ours, lead.person, MembershipRole.LEAD)
    sign_in(client, lead)
    form = client.get("/glossary/new").get_data(as_text=True)
    assert 'value="city:FR:Lyon"' in form and f'value="programme:{programme.id}"' in form

    for term, scope in (
        ("Métropole de Lyon", "city:FR:Lyon"),
        ("comité de pilotage", f"programme:{programme.id}"),
    ):
        response = client.post(
            "/glossary/new",
            data={"language_a": "fr", "term_a": term, "language_b": "en", "applies_to": scope},
        )
        assert response.status_code == 302
    refused = client.post(
        "/glossary/new",
        data={"language_a": "fr", "term_a": "x", "language_b": "en", "applies_to": "visit:9999"},
    )

    assert refused.status_code == 400
    assert {t.term_a for t in glossary_terms(db.session, ours.id)} == {
        "Métropole de Lyon",
        "comité de pilotage",
    }
    assert {t.term_a for t in glossary_terms(db.session, other.id)} == {"Métropole de Lyon"}
    text = visible_text(client.get("/glossary").get_data(as_text=True))
    assert "Visits to Lyon (France)" in text and "Visits of the programme PB exchange" in text


def test_scopes_round_trip_through_csv_and_an_unknown_scope_imports_nothing(client, make) -> None:
    seed_glossary(db.session)
    db.session.commit()
    make.visit(host_city="Paris", host_country="FR")
    sign_in(client, organiser(make))
    exported = client.get("/glossary.csv").get_data(as_text=True).lstrip("\ufeff")
    scopes = {row["term_a"]: row["applies_to"] for row in csv.DictReader(io.StringIO(exported))}
    assert scopes["Conseil de Paris"] == "city:FR:Paris" and scopes["élus"] == "all"

    unknown = "language_a,term_a,language_b,term_b,applies_to\nfr,a,en,b,city:FR:Atlantis\n"
    response = client.post(
        "/glossary/import",
        data={"terms": (io.BytesIO(unknown.encode()), "g.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "“city:FR:Atlantis” is not a scope you may use" in visible_text(
        response.get_data(as_text=True)
    )
    known = (
        "language_a,term_a,language_b,term_b,applies_to\n"
        "fr,Hôtel de Ville,en,City Hall,city:FR:Paris\n"
    )
    assert (
        client.post(
            "/glossary/import",
            data={"terms": (io.BytesIO(known.encode()), "g.csv")},
            content_type="multipart/form-data",
        ).status_code
        == 302
    )
    added = db.session.scalar(db.select(GlossaryTerm).filter_by(term_a="Hôtel de Ville"))
    assert (added.host_city, added.host_country) == ("Paris", "FR")
