"""A visit's design travels: exported as a file from one installation, kept in a programme's
library, and used to start a second visit in another installation, where every part lands on
its relative day; files written by hand or by other programs are refused with the reason."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask_migrate import upgrade

from cop import PROJECT_ROOT, create_app
from cop.designs.models import VisitDesign
from cop.extensions import db
from cop.itinerary.models import ItineraryItem
from cop.planning.models import PlanningTask
from cop.reflections.models import GuideQuestion, Phase, QuestionKind
from cop.research.models import Code
from cop.social.logic import protocol_of
from cop.social.models import Platform, SocialProtocol
from cop.translation.models import GlossaryTerm
from cop.visits.models import Membership, MembershipRole, Visit, VisitStatus
from tests.conftest import TEST_HASH_METHOD, Factory, sign_in, visible_text


@pytest.fixture
def glasgow(app: Flask, make: Factory):
    """A second programme's visit, built from nothing: two days in Paris with its own guide
    question, checklist, protocol rules, a term and a code of its own."""
    programme = make.programme(name="Glasgow PB exchanges")
    visit = make.visit(
        title="PB in Paris, second round",
        programme_id=programme.id,
        start_date=date(2017, 3, 14),
        end_date=date(2017, 3, 15),
    )
    lead = make.user()
    make.member(visit, lead.person, MembershipRole.LEAD)
    host = make.person(name="Claire Dubois", email="claire@paris.example")
    make.item(
        visit,
        title="Welcome at the Hôtel de Ville",
        day=date(2017, 3, 14),
        start=time(9, 30),
        end=time(11),
        place="Hôtel de Ville",
        needs_interpreter=True,
        host_contact_id=host.id,
        notes="Ask Claire for the badge list",
    )
    make.item(
        visit,
        title="Steering group",
        day=date(2017, 3, 15),
        start=time(18),
        end=time(20),
        travel_minutes=25,
        language="fr",
    )
    db.session.add_all(
        [
            GuideQuestion(
                visit_id=visit.id,
                phase=Phase.AFTER,
                position=9,
                kind=QuestionKind.TEXT,
                text="What will you stop doing at home?",
            ),
            PlanningTask(
                visit_id=visit.id, key="travel", title="Travel", due_date=date(2017, 2, 14)
            ),
            PlanningTask(visit_id=visit.id, title="Order the gifts", due_date=date(2017, 3, 10)),
            GlossaryTerm(
                visit_id=visit.id,
                language_a="fr",
                term_a="conseil de quartier",
                language_b="en",
                term_b="neighbourhood council",
                explanation="A local forum of residents.",
                domain="local government",
            ),
            Code(programme_id=programme.id, name="Stop doing", definition="Things to drop."),
        ]
    )
    protocol = protocol_of(db.session, visit.id)
    protocol.platforms = [Platform.BLUESKY]
    protocol.hashtags = "#PBScotland"
    protocol.photo_rules = "No photos of residents without their consent."
    db.session.commit()
    client = app.test_client()
    sign_in(client, lead)
    return {"visit": visit, "programme": programme, "lead": client, "host": host}


def exported(glasgow) -> dict:
    answer = glasgow["lead"].get(f"/visits/{glasgow['visit'].id}/design.json")
    assert answer.status_code == 200
    assert answer.mimetype == "application/json"
    assert "attachment" in answer.headers["Content-Disposition"]
    return json.loads(answer.data)


def test_the_file_holds_the_design_by_relative_day_and_no_one_in_it(app: Flask, glasgow) -> None:
    design = exported(glasgow)
    assert (design["format"], design["version"], design["days"]) == ("cop-visit-design", 1, 2)
    assert design["itinerary"] == [
        {
            "day": 1,
            "start": "09:30",
            "end": "11:00",
            "end_day": 1,
            "title": "Welcome at the Hôtel de Ville",
            "place": "Hôtel de Ville",
            "language": "fr",
            "needs_interpreter": True,
            "travel_minutes": 0,
        },
        {
            "day": 2,
            "start": "18:00",
            "end": "20:00",
            "end_day": 2,
            "title": "Steering group",
            "place": "",
            "language": "fr",
            "needs_interpreter": False,
            "travel_minutes": 25,
        },
    ]
    assert {"key": "travel", "title": "Travel", "due_day": -27} in design["checklist"]
    assert {"key": None, "title": "Order the gifts", "due_day": -3} in design["checklist"]
    assert design["protocol"]["platforms"] == ["bluesky"]
    assert design["protocol"]["hashtags"] == "#PBScotland"
    assert [t["term_a"] for t in design["glossary"]] == ["conseil de quartier"]
    own = [q for q in design["interview_guide"] if q["default_key"] is None]
    assert own == [{"phase": "after", "kind": "text", "default_key": None, "text": own[0]["text"]}]
    assert any(code["name"] == "Stop doing" for code in design["codebook"])
    # The default codebook travels by its keys, parents before children.
    refs = [code["ref"] for code in design["codebook"]]
    assert all(
        refs.index(c["parent"]) < refs.index(c["ref"]) for c in design["codebook"] if c["parent"]
    )
    text = json.dumps(design, ensure_ascii=False)
    for private in ("Claire", "claire@paris.example", "badge list", "@example.org"):
        assert private not in text


@pytest.fixture
def other_installation(tmp_path: Path) -> Flask:
    """A second council's cop: its own database, instance folder and people."""
    other = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'fife.sqlite'}",
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "SECRET_KEY": "another-installation",
            "INSTANCE_PATH": str(tmp_path / "fife"),
            "RATELIMIT_ENABLED": False,
            "PASSWORD_HASH_METHOD": TEST_HASH_METHOD,
        }
    )
    with other.app_context():
        upgrade(directory=str(PROJECT_ROOT / "migrations"))
    yield other
    with other.app_context():
        db.engine.dispose()


def test_a_design_starts_a_second_visit_in_another_installation(
    app: Flask, glasgow, other_installation: Flask
) -> None:
    data = json.dumps(exported(glasgow), ensure_ascii=False).encode("utf-8")
    with other_installation.app_context():
        make = Factory()
        organiser = make.user("organiser@fife.example")
        organiser.is_organiser = True
        programme = make.programme(name="Fife learning exchanges")
        programme_id, organiser_person = programme.id, organiser.person_id
        db.session.commit()
    fife = other_installation.test_client()
    sign_in(fife, "organiser@fife.example")
    added = fife.post(
        f"/programmes/{programme_id}/designs",
        data={"file": (io.BytesIO(data), "visit-design.json"), "description": "From Glasgow"},
        content_type="multipart/form-data",
    )
    assert added.status_code == 302
    library = visible_text(fife.get(f"/programmes/{programme_id}/designs").get_data(as_text=True))
    assert "PB in Paris, second round" in library and "2 items over 2 days" in library
    with other_installation.app_context():
        design_id = db.session.scalar(db.select(VisitDesign.id))
    started = fife.post(
        f"/programmes/{programme_id}/designs/{design_id}/start",
        data={
            "title": "PB in Madrid",
            "start_date": "2027-05-10",
            "time_zone": "Europe/Madrid",
            "host_city": "Madrid",
            "host_country": "ES",
        },
    )
    assert started.status_code == 302
    with other_installation.app_context():
        visit = db.session.scalar(db.select(Visit))
        assert (visit.title, visit.start_date, visit.end_date) == (
            "PB in Madrid",
            date(2027, 5, 10),
            date(2027, 5, 11),
        )
        assert visit.status is VisitStatus.CONFIRMED and visit.programme_id == programme_id
        [membership] = db.session.scalars(db.select(Membership)).all()
        assert (membership.person_id, membership.role) == (organiser_person, MembershipRole.LEAD)
        items = db.session.scalars(db.select(ItineraryItem).order_by(ItineraryItem.starts_at))
        # On their relative days, at their times on Madrid's clock.
        assert [
            (i.title, i.starts_at.astimezone(visit_zone(visit)).replace(tzinfo=None), i.time_zone)
            for i in items
        ] == [
            ("Welcome at the Hôtel de Ville", datetime_of(2027, 5, 10, 9, 30), "Europe/Madrid"),
            ("Steering group", datetime_of(2027, 5, 11, 18, 0), "Europe/Madrid"),
        ]
        tasks = {t.title: t.due_date for t in db.session.scalars(db.select(PlanningTask))}
        # Due as long before the first day as they were: 28 and 4 days.
        assert tasks == {"Travel": date(2027, 4, 12), "Order the gifts": date(2027, 5, 6)}
        questions = db.session.scalars(
            db.select(GuideQuestion).where(GuideQuestion.visit_id == visit.id)
        ).all()
        assert "What will you stop doing at home?" in [q.text for q in questions]
        # The design's guide replaces the default one: its questions, each once.
        assert sorted((q.phase.value, q.default_key or q.text) for q in questions) == sorted(
            (q["phase"], q["default_key"] or q["text"]) for q in json.loads(data)["interview_guide"]
        )
        [term] = db.session.scalars(db.select(GlossaryTerm)).all()
        assert (term.term_a, term.visit_id) == ("conseil de quartier", visit.id)
        protocol = db.session.scalar(db.select(SocialProtocol))
        assert protocol.hashtags == "#PBScotland" and protocol.platforms == [Platform.BLUESKY]
        codes = db.session.scalars(db.select(Code).where(Code.programme_id == programme_id)).all()
        # The default codebook was there already; only the code of their own is new.
        assert [c.name for c in codes if not c.default_key] == ["Stop doing"]
        assert len({c.default_key for c in codes if c.default_key}) == len(
            [c for c in codes if c.default_key]
        )


def visit_zone(visit: Visit) -> ZoneInfo:
    return ZoneInfo(visit.time_zone)


def datetime_of(*parts: int) -> datetime:
    return datetime(*parts)


def test_a_lead_keeps_the_design_in_the_library_and_starts_from_it_here(
    app: Flask, glasgow
) -> None:
    lead, visit = glasgow["lead"], glasgow["visit"]
    page = lead.get(f"/visits/{visit.id}/design")
    assert page.status_code == 200
    text = visible_text(page.get_data(as_text=True))
    assert "2 items over 2 days" in text and "2 checks" in text and "1 term" in text
    kept = lead.post(
        f"/visits/{visit.id}/design",
        data={
            "title": "Two days of PB in Paris",
            "description": "Keep the evening steering group.",
        },
    )
    assert kept.status_code == 302
    design = db.session.scalar(db.select(VisitDesign))
    assert (design.source_visit_id, design.programme_id) == (visit.id, glasgow["programme"].id)
    library = visible_text(
        lead.get(f"/programmes/{glasgow['programme'].id}/designs").get_data(as_text=True)
    )
    assert "Two days of PB in Paris" in library and "Keep the evening steering group." in library
    downloaded = lead.get(f"/programmes/{glasgow['programme'].id}/designs/{design.id}.json")
    assert json.loads(downloaded.data)["title"] == "PB in Paris, second round"
    started = lead.post(
        f"/programmes/{glasgow['programme'].id}/designs/{design.id}/start",
        data={
            "title": "PB in Paris, third round",
            "start_date": "2018-03-13",
            "time_zone": "Europe/Paris",
        },
    )
    assert started.status_code == 302
    third = db.session.scalar(db.select(Visit).where(Visit.title == "PB in Paris, third round"))
    # The same programme: its codebook already had every code, so none is doubled.
    codes = db.session.scalars(
        db.select(Code.name).where(Code.programme_id == glasgow["programme"].id, Code.name != "")
    ).all()
    assert codes.count("Stop doing") == 1
    # The visit's own term is not taken again where it already holds (it is a term of visit 1
    # only, so the third visit gets its copy).
    assert (
        db.session.scalar(
            db.select(db.func.count(GlossaryTerm.id)).where(GlossaryTerm.visit_id == third.id)
        )
        == 1
    )
    removed = lead.post(f"/programmes/{glasgow['programme'].id}/designs/{design.id}/remove")
    assert removed.status_code == 302
    assert db.session.scalar(db.select(db.func.count(VisitDesign.id))) == 0


def upload(glasgow, data: bytes):
    return glasgow["lead"].post(
        f"/programmes/{glasgow['programme'].id}/designs",
        data={"file": (io.BytesIO(data), "design.json")},
        content_type="multipart/form-data",
    )


def good(glasgow) -> dict:
    return exported(glasgow)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: b"\xff\xfe not json", "cannot be read: a design is a JSON file"),
        (lambda d: json.dumps({"format": "qdpx"}).encode(), "not a visit design exported from cop"),
        (lambda d: json.dumps({**d, "version": 7}).encode(), "newer version of cop (format 7)"),
        (
            lambda d: json.dumps(
                {**d, "itinerary": [{**d["itinerary"][0], "end": "08:00"}]}
            ).encode(),
            "“itinerary 1: end” is missing or cannot be read",
        ),
        (
            lambda d: json.dumps(
                {**d, "itinerary": [{**d["itinerary"][0], "start": "9h30"}]}
            ).encode(),
            "“itinerary 1” is missing or cannot be read",
        ),
        (
            lambda d: json.dumps(
                {**d, "interview_guide": [{"phase": "someday", "kind": "text", "text": "x"}]}
            ).encode(),
            "“interview_guide 1” is missing",
        ),
        (
            lambda d: json.dumps({**d, "protocol": {"platforms": ["myspace"]}}).encode(),
            "“protocol: platforms” is missing",
        ),
        (
            lambda d: json.dumps({**d, "glossary": [{"term_a": "x"}]}).encode(),
            "“glossary 1: language_a”",
        ),
        (lambda d: json.dumps([1, 2]).encode(), "not a visit design"),
    ],
)
def test_a_file_that_is_not_a_usable_design_is_refused_with_the_reason(
    app: Flask, glasgow, change, message
) -> None:
    answer = upload(glasgow, change(good(glasgow)))
    assert answer.status_code == 400
    assert message in visible_text(answer.get_data(as_text=True))
    assert db.session.scalar(db.select(db.func.count(VisitDesign.id))) == 0


def test_a_design_whose_item_falls_in_the_skipped_hour_starts_nothing(app: Flask, glasgow) -> None:
    design = good(glasgow)
    design["itinerary"][0].update(start="02:15", end="03:30")
    assert upload(glasgow, json.dumps(design).encode()).status_code == 302
    kept = db.session.scalar(db.select(VisitDesign))
    visits_before = db.session.scalar(db.select(db.func.count(Visit.id)))
    # Clocks in Paris go from 02:00 to 03:00 on 26 March 2017.
    answer = glasgow["lead"].post(
        f"/programmes/{glasgow['programme'].id}/designs/{kept.id}/start",
        data={"title": "Spring", "start_date": "2017-03-26", "time_zone": "Europe/Paris"},
    )
    assert answer.status_code == 400
    assert "falls in an hour the clocks skip" in visible_text(answer.get_data(as_text=True))
    assert db.session.scalar(db.select(db.func.count(Visit.id))) == visits_before


def test_a_visit_without_a_programme_has_its_file_but_no_library(app: Flask, make: Factory) -> None:
    visit = make.visit()
    lead = make.user()
    make.member(visit, lead.person, MembershipRole.LEAD)
    client = app.test_client()
    sign_in(client, lead)
    text = visible_text(client.get(f"/visits/{visit.id}/design").get_data(as_text=True))
    assert "belongs to no programme" in text
    assert client.post(f"/visits/{visit.id}/design", data={"title": "x"}).status_code == 400
    assert client.get(f"/visits/{visit.id}/design.json").status_code == 200


def test_only_organisers_use_a_library_and_only_leads_export(
    app: Flask, glasgow, make: Factory
) -> None:
    participant = make.user()
    make.member(glasgow["visit"], participant.person)
    client = app.test_client()
    sign_in(client, participant)
    assert client.get(f"/visits/{glasgow['visit'].id}/design.json").status_code == 403
    assert client.get(f"/programmes/{glasgow['programme'].id}/designs").status_code == 403


def test_an_itinerary_left_behind_by_moved_dates_counts_from_its_own_first_day(
    app: Flask, glasgow
) -> None:
    # The visit moved a year on; its items stayed in March 2017.
    visit = glasgow["visit"]
    visit.start_date, visit.end_date = date(2018, 3, 13), date(2018, 3, 14)
    db.session.commit()
    design = exported(glasgow)
    assert [(row["day"], row["title"]) for row in design["itinerary"]] == [
        (1, "Welcome at the Hôtel de Ville"),
        (2, "Steering group"),
    ]
    assert design["days"] == 2
    # Every file cop writes, it reads back.
    assert upload(glasgow, json.dumps(design).encode()).status_code == 302


def test_a_long_library_comes_in_pages(app: Flask, glasgow) -> None:
    programme = glasgow["programme"]
    for number in range(1, 7):
        design = good(glasgow)
        design["title"] = f"Design {number}"
        assert upload(glasgow, json.dumps(design).encode()).status_code == 302
    first = visible_text(
        glasgow["lead"].get(f"/programmes/{programme.id}/designs").get_data(as_text=True)
    )
    second = visible_text(
        glasgow["lead"].get(f"/programmes/{programme.id}/designs?page=2").get_data(as_text=True)
    )
    # Five a page (the tests' page size), newest first.
    listed = "Start a visit from it Design {}"
    assert listed.format(6) in first and listed.format(2) in first
    assert listed.format(1) not in first
    assert listed.format(1) in second and "Page 2 of 2 (6 results)" in second
