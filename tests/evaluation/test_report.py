"""The evaluation report of the demo visit: every section is there, and its figures agree with
the same figures computed here straight from the tables."""

from __future__ import annotations

import csv
import io
import json
import statistics
from decimal import ROUND_HALF_UP, Decimal

import pytest
from flask import Flask
from pypdf import PdfReader

from cop.accounts.models import User
from cop.actions.models import Action, ActionStatus
from cop.correspondence.models import Message, Thread
from cop.demo import load_demo
from cop.extensions import db
from cop.planning.models import Cost, CostCategory, EffortEntry
from cop.reflections.models import Consent, Passage, Phase, Reflection
from cop.research.models import Code, CodedSegment
from cop.visits.models import Membership, MembershipRole, Visit
from tests.conftest import sign_in, visible_text

SECTIONS = [
    "1. What was learned",
    "2. The visit as a model for learning",
    "3. Adaptation at home",
    "4. Efficiency",
    "5. A community of practice",
    "The Glasgow PB evaluation toolkit",
]


@pytest.fixture
def demo(app: Flask):
    load_demo(db.session)
    db.session.commit()
    visit = db.session.scalar(db.select(Visit))
    client = app.test_client()
    sign_in(client, "lead@glasgow.example", "cop-demo")
    return visit, client


def report_json(client, visit) -> dict:
    return json.loads(client.get(f"/visits/{visit.id}/report.json").get_data(as_text=True))


def readable_reflections(visit: Visit) -> list[Reflection]:
    return [
        r
        for r in db.session.scalars(db.select(Reflection).where(Reflection.visit_id == visit.id))
        if r.submitted_at is not None and r.consent is not Consent.PRIVATE
    ]


def test_every_section_is_on_the_page_with_charts_and_their_tables(app: Flask, demo) -> None:
    visit, client = demo
    response = client.get(f"/visits/{visit.id}/report")
    html = response.get_data(as_text=True)
    text = visible_text(html)
    for title in SECTIONS:
        assert title in text
    assert html.count('class="chart bar-chart" role="img"') >= 5
    # The self-rating chart shows each theme before and after, not only the change.
    baseline = html.split('id="model-baseline-chart-title"', 1)[1].split("</svg>", 1)[0]
    assert ">Before</text>" in baseline and ">After</text>" in baseline
    # Each chart is followed by the table that holds its values.
    assert "the table below gives the values" in text
    assert "Improvement plan" in text and "A PB evaluation toolkit for Glasgow" in text


def test_what_was_learned_counts_readable_coded_passages(app: Flask, demo) -> None:
    visit, client = demo
    data = report_json(client, visit)
    readable = {r.id for r in readable_reflections(visit)}
    themes_root = db.session.scalar(db.select(Code).where(Code.default_key == "themes"))
    expected = {}
    for theme in db.session.scalars(db.select(Code).where(Code.parent_id == themes_root.id)):
        passages = {
            segment.passage_id
            for segment in db.session.scalars(
                db.select(CodedSegment)
                .join(Passage)
                .where(CodedSegment.code_id == theme.id, Passage.reflection_id.in_(readable))
            )
        }
        expected[theme.default_key] = len(passages)
    assert data["figures"]["themes"]["Resourcing"] == expected["resourcing"]
    assert (
        data["figures"]["themes"]["Learning from each other"]
        == expected["learning_from_each_other"]
    )
    assert sum(data["figures"]["themes"].values()) == sum(expected.values())
    # Only writers who agreed to be quoted in public are quoted.
    quoted = {q["who"] for q in data["sections"][0]["quotes"]}
    assert quoted == {"Morag Campbell", "Iain MacLeod"}


def test_a_private_reflection_changes_no_figure(app: Flask, demo) -> None:
    visit, client = demo
    before = report_json(client, visit)["figures"]
    callum = db.session.scalar(
        db.select(Reflection).where(
            Reflection.consent == Consent.PRIVATE, Reflection.submitted_at.is_not(None)
        )
    )
    callum.satisfaction = 1
    theme = db.session.scalar(db.select(Code).where(Code.default_key == "resourcing"))
    coder = db.session.scalar(db.select(User).filter_by(email="researcher@wws.example"))
    db.session.add(
        CodedSegment(
            passage_id=callum.passages[0].id,
            code_id=theme.id,
            coder_id=coder.id,
            char_start=0,
            char_end=5,
        )
    )
    db.session.commit()
    assert report_json(client, visit)["figures"] == before


def test_the_visit_as_a_learning_model(app: Flask, demo) -> None:
    visit, client = demo
    figures = report_json(client, visit)["figures"]
    scores = [
        r.satisfaction
        for r in readable_reflections(visit)
        if r.phase is Phase.AFTER and r.satisfaction is not None
    ]
    assert figures["satisfaction_mean"] == round(statistics.mean(scores), 2)
    assert figures["satisfaction_answers"] == len(scores)
    # Morag rated mainstreaming 2 before and 4 after.
    assert figures["baseline"]["Mainstreaming PB"] == 2
    # Level 3: owners of actions under way or done (Morag, Eilidh), or people coded "behaviour".
    assert figures["kirkpatrick"][2] == 2


def test_adaptation_counts_actions_by_status(app: Flask, demo) -> None:
    visit, client = demo
    figures = report_json(client, visit)["figures"]
    actions = db.session.scalars(db.select(Action).where(Action.visit_id == visit.id)).all()
    for status in ActionStatus:
        assert figures["actions_by_status"][status.value] == sum(
            1 for a in actions if a.status is status
        )


def test_efficiency_figures_trace_back_to_the_planning_log(app: Flask, demo) -> None:
    visit, client = demo
    figures = report_json(client, visit)["figures"]
    total = sum(
        (
            c.amount * c.rate
            for c in db.session.scalars(db.select(Cost).where(Cost.visit_id == visit.id))
        ),
        Decimal(0),
    ).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    participants = db.session.scalar(
        db.select(db.func.count(Membership.id)).where(
            Membership.visit_id == visit.id,
            Membership.role.in_((MembershipRole.PARTICIPANT, MembershipRole.LEAD)),
        )
    )
    done = db.session.scalar(
        db.select(db.func.count(Action.id)).where(
            Action.visit_id == visit.id, Action.status == ActionStatus.DONE
        )
    )
    minutes = db.session.scalar(
        db.select(db.func.sum(EffortEntry.minutes)).where(EffortEntry.visit_id == visit.id)
    )
    messages = db.session.scalar(
        db.select(db.func.count(Message.id)).join(Thread).where(Thread.visit_id == visit.id)
    )
    assert Decimal(str(figures["total_cost"])) == total
    assert figures["participants"] == participants == 7
    assert Decimal(str(figures["cost_per_participant"])) == (total / participants).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    assert figures["implemented_actions"] == done == 2
    assert Decimal(str(figures["cost_per_implemented_action"])) == (total / done).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    assert figures["total_hours"] == round(minutes / 60, 2)
    assert figures["messages"] == messages


def test_a_cost_without_a_rate_is_left_out_of_every_figure_and_said_so(app: Flask, demo) -> None:
    visit, client = demo
    before = report_json(client, visit)["figures"]
    db.session.add(
        Cost(
            visit_id=visit.id,
            day=visit.start_date,
            category=CostCategory.INTERPRETING,
            amount=Decimal("450"),
            currency="CHF",
            rate=None,
        )
    )
    db.session.commit()

    after = report_json(client, visit)["figures"]

    assert after["total_cost"] == before["total_cost"]
    assert after["cost_per_participant"] == before["cost_per_participant"]
    assert (after["costs_without_rate"], after["uncounted_costs"]) == (1, {"CHF": "450.00"})
    text = visible_text(client.get(f"/visits/{visit.id}/report").get_data(as_text=True))
    assert "1 cost is in none of these figures: no exchange rate is known for it (450.00 CHF)." in (
        text
    )
    assert "What it cost (GBP), leaving out costs with no rate" in text


def test_the_community_section_gives_the_networks_verdict(app: Flask, demo) -> None:
    from cop.network.loading import DEFAULT_SOURCES
    from cop.network.report import analyse

    visit, client = demo
    figures = report_json(client, visit)["figures"]
    expected = analyse(db.session, visit.programme_id, visit.id, DEFAULT_SOURCES, rounds=10)
    assert figures["verdict"] == expected.conclusion
    assert figures["network"]["density"] == [
        round(expected.before["density"], 3),
        round(expected.after["density"], 3),
    ]


def test_every_table_downloads_as_csv_matching_the_json(app: Flask, demo) -> None:
    visit, client = demo
    data = report_json(client, visit)
    for section in data["sections"]:
        for table in section["tables"]:
            body = client.get(f"/visits/{visit.id}/report/{table['key']}.csv").get_data(
                as_text=True
            )
            rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
            assert rows[0] == table["columns"]
            assert len(rows) - 1 == len(table["rows"])
    assert client.get(f"/visits/{visit.id}/report/nothing.csv").status_code == 404


def test_the_pdf_renders_with_pages_and_text_in_english_and_french(app: Flask, demo) -> None:
    visit, client = demo
    response = client.get(f"/visits/{visit.id}/report.pdf")
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) >= 3
    # Words of a table cell may wrap onto several lines: compare with the spacing folded.
    text = " ".join("\n".join(page.extract_text() for page in reader.pages).split())
    for title in SECTIONS:
        assert title in text
    assert "A PB evaluation toolkit for Glasgow" in text
    # The network pictures are in the PDF too, before and after, with their organisations.
    community = text.split("5. A community of practice", 1)[1]
    assert "Before: " in community and "After: " in community
    assert "Ville de Paris" in community
    # The self-rating chart names its two series.
    assert "Before After" in text or ("Before" in text and "After" in text)
    client.post("/language", data={"language": "fr"})
    french = PdfReader(io.BytesIO(client.get(f"/visits/{visit.id}/report.pdf").data))
    french_text = " ".join("\n".join(page.extract_text() for page in french.pages).split())
    assert "4. Efficience" in french_text and "Plan d’amélioration" in french_text


def test_the_programme_compares_its_visits(app: Flask, demo) -> None:
    visit, client = demo
    figures = report_json(client, visit)["figures"]
    page = visible_text(
        client.get(f"/programmes/{visit.programme_id}/report").get_data(as_text=True)
    )
    assert visit.title in page
    per_action = Decimal(str(figures["cost_per_implemented_action"]))
    assert f"{per_action:,}" in page
