"""Coding as in QDA tools: coded words marked in their codes' colours, a searchable code list,
merging two codes, undoing one's own last coding, and the case-by-code matrix whose counts
open the passages behind them."""

from __future__ import annotations

import re

from flask import Flask

from cop.actions.models import Action
from cop.extensions import db
from cop.pseudonyms import pseudonym
from cop.reflections.models import Consent, SelfRating
from cop.research.codebook import Run, marked_runs, tint
from cop.research.models import Code, CodedSegment
from cop.visits.models import Programme
from tests.conftest import sign_in, visible_text
from tests.reflections.conftest import Study

TEXT = "Paris has a named PB officer in every department."


def code_of(key: str) -> Code:
    return db.session.scalar(db.select(Code).where(Code.default_key == key))


def researcher(app: Flask, study: Study, who: str = "researcher"):
    client = app.test_client()
    sign_in(client, study.users[who])
    return client


def code_words(client, study: Study, reflection, passage, code: Code, quote: str = ""):
    answer = client.post(
        f"/visits/{study.visit.id}/reflections/{reflection.id}/passages/{passage.id}/code",
        data={"code_id": code.id, "quote": quote},
    )
    assert answer.status_code == 302


def test_a_passage_is_cut_where_coded_spans_start_and_end() -> None:
    assert marked_runs("abcdefgh", [(2, 5, 1), (4, 7, 2)]) == [
        Run("ab", ()),
        Run("cd", (1,)),
        Run("e", (1, 2)),
        Run("fg", (2,)),
        Run("h", ()),
    ]
    # Touching spans of one code are one mark; a span past the end is cut at the end.
    assert marked_runs("abcd", [(0, 2, 1), (2, 4, 1), (3, 99, 1)]) == [Run("abcd", (1,))]
    assert marked_runs("abc", []) == [Run("abc", ())]


def test_a_tint_is_the_colour_mixed_with_white() -> None:
    assert tint("#000000") == "#b8b8b8" and tint("#ffffff") == "#ffffff"


def test_coded_words_are_marked_in_the_code_colour_the_researcher_chose(
    app: Flask, study: Study
) -> None:
    reflection = study.reflection(Consent.NAMED, texts=(TEXT,))
    resourcing = code_of("resourcing")
    client = researcher(app, study)
    code_words(client, study, reflection, reflection.passages[0], resourcing, "a named PB officer")
    saved = client.post(
        f"/programmes/{study.programme_id}/codebook/{resourcing.id}",
        data={
            "name": "Resourcing",
            "definition": "Money and staff.",
            "parent_id": resourcing.parent_id,
            "colour": "#AA3300",
        },
    )
    assert saved.status_code == 302
    page = client.get(f"/visits/{study.visit.id}/reflections/{reflection.id}").get_data(True)
    assert f'<mark class="coded coded--{resourcing.id}">a named PB officer</mark>' in page
    assert f"/programmes/{study.programme_id}/codes.css" in page
    sheet = client.get(f"/programmes/{study.programme_id}/codes.css")
    assert sheet.mimetype == "text/css"
    assert f".coded--{resourcing.id}{{background-color:{tint('#aa3300')};" in sheet.get_data(True)
    refused = client.post(
        f"/programmes/{study.programme_id}/codebook/{resourcing.id}",
        data={"name": "Resourcing", "parent_id": resourcing.parent_id, "colour": "red"},
    )
    assert refused.status_code == 400 and "six hex digits" in refused.get_data(True)
    # The writer reads their reflection unmarked.
    writer = researcher(app, study, "writer")
    assert "<mark" not in writer.get(
        f"/visits/{study.visit.id}/reflections/{reflection.id}"
    ).get_data(True)


def test_the_code_list_is_searched_by_name_and_definition(app: Flask, study: Study) -> None:
    html = (
        researcher(app, study)
        .get(f"/programmes/{study.programme_id}/codebook?q=resourc")
        .get_data(as_text=True)
    )
    assert "1 code matches “resourc”." in visible_text(html)
    table = visible_text(html.split("<tbody>")[1].split("</tbody>")[0])
    assert "Learning themes of the visit › Resourcing" in table and "Mainstreaming" not in table


def test_merging_a_code_moves_everything_given_it_and_deletes_it(
    app: Flask, study: Study, make
) -> None:
    reflection = study.reflection(Consent.NAMED, texts=(TEXT,))
    passage = reflection.passages[0]
    source, target = code_of("equality"), code_of("resourcing")
    first, second = researcher(app, study), researcher(app, study, "visit_researcher")
    code_words(first, study, reflection, passage, source, "a named PB officer")
    code_words(first, study, reflection, passage, target, "a named PB officer")  # repeats
    code_words(second, study, reflection, passage, source, "every department")
    db.session.add_all(
        [
            SelfRating(reflection_id=reflection.id, code_id=source.id, score=2),
            SelfRating(reflection_id=reflection.id, code_id=target.id, score=4),
        ]
    )
    child = Code(programme_id=study.programme_id, parent_id=source.id, name="Access")
    db.session.add(child)
    action = Action(
        visit_id=study.visit.id,
        owner_id=study.users["writer"].person_id,
        title="Equality audit",
        theme_id=source.id,
    )
    db.session.add(action)
    db.session.commit()
    source_id, target_id = source.id, target.id
    url = f"/programmes/{study.programme_id}/codebook/{source_id}/merge?into={target_id}"

    confirm = visible_text(first.get(url).get_data(as_text=True))
    assert "Merge “Learning themes of the visit › Equality and diversity” into" in confirm
    done = first.post(url)
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Code, source_id) is None
    segments = db.session.scalars(db.select(CodedSegment)).all()
    assert sorted((s.code_id, s.quote) for s in segments) == [
        (target_id, "a named PB officer"),
        (target_id, "every department"),
    ]
    ratings = db.session.scalars(db.select(SelfRating)).all()
    assert [(r.code_id, r.score) for r in ratings] == [(target_id, 4)]
    assert db.session.get(Code, child.id).parent_id == target_id
    assert db.session.get(Action, action.id).theme_id == target_id
    assert "Merged: 1 coding moved." in visible_text(
        first.get(f"/programmes/{study.programme_id}/codebook/{target_id}").get_data(True)
    )


def test_a_code_is_not_merged_into_one_below_it(app: Flask, study: Study) -> None:
    themes = db.session.get(Code, code_of("resourcing").parent_id)
    below = code_of("resourcing")
    client = researcher(app, study)
    answer = client.post(
        f"/programmes/{study.programme_id}/codebook/{themes.id}/merge?into={below.id}"
    )
    assert answer.status_code == 302
    assert db.session.get(Code, themes.id) is not None
    assert "cannot be merged into a code below it" in visible_text(
        client.get(answer.headers["Location"]).get_data(True)
    )


def test_a_coder_undoes_their_own_last_coding_only(app: Flask, study: Study) -> None:
    reflection = study.reflection(Consent.NAMED, texts=(TEXT,))
    passage = reflection.passages[0]
    first, second = researcher(app, study), researcher(app, study, "visit_researcher")
    code_words(first, study, reflection, passage, code_of("resourcing"), "a named PB officer")
    code_words(first, study, reflection, passage, code_of("equality"), "every department")
    code_words(second, study, reflection, passage, code_of("equality"), "Paris")
    page_url = f"/visits/{study.visit.id}/reflections/{reflection.id}"
    page = visible_text(first.get(page_url).get_data(as_text=True))
    assert "Your last coding: “Equality and diversity” on “every department”." in page

    undone = first.post(f"/programmes/{study.programme_id}/coding/undo", data={"next": page_url})
    assert undone.status_code == 302 and undone.headers["Location"].endswith(page_url)
    left = {(s.coder_id, s.quote) for s in db.session.scalars(db.select(CodedSegment))}
    assert left == {
        (study.users["researcher"].id, "a named PB officer"),
        (study.users["visit_researcher"].id, "Paris"),
    }
    assert "Undone: “Equality and diversity” on “every department”." in visible_text(
        first.get(page_url).get_data(True)
    )


def test_the_matrix_counts_coded_passages_by_person_and_organisation(
    app: Flask, study: Study
) -> None:
    hidden = study.reflection(Consent.PSEUDONYMISED, texts=(TEXT, "Votes happen online."))
    named = study.reflection(Consent.NAMED, writer="colleague", texts=("Budgets matter.",))
    study.reflection(Consent.PRIVATE, writer="colleague", texts=("Private words.",))
    first, second = researcher(app, study), researcher(app, study, "visit_researcher")
    resourcing, equality = code_of("resourcing"), code_of("equality")
    code_words(first, study, hidden, hidden.passages[0], resourcing)
    code_words(second, study, hidden, hidden.passages[0], resourcing)  # the same passage, once
    code_words(first, study, hidden, hidden.passages[1], equality)
    code_words(first, study, named, named.passages[0], resourcing)

    page = visible_text(first.get(f"/programmes/{study.programme_id}/matrix").get_data(True))
    colleague = study.users["colleague"].display_name
    assert study.users["writer"].display_name not in page
    # Each count is read out with its row and column: Resourcing, Equality, then all codes.
    assert f"{colleague}, Resourcing: 1 0 1" in page
    assert re.search(r"(P-\w+), Resourcing: 1 \1, Equality and diversity: 1 2", page)
    by_organisation = visible_text(
        first.get(f"/programmes/{study.programme_id}/matrix?by=organisation").get_data(True)
    )
    glasgow = "Glasgow City Council"
    assert f"{glasgow}, Resourcing: 2 {glasgow}, Equality and diversity: 1 3" in by_organisation

    # A count opens the passages behind it: this person's, this code alone.
    writer_key = pseudonym(app.config["SECRET_KEY"], study.users["writer"].person_id)
    html = first.get(f"/programmes/{study.programme_id}/matrix").get_data(True)
    link = re.search(
        rf'href="(/programmes/{study.programme_id}/themes/{resourcing.id}\?[^"]*'
        rf'person={writer_key})"',
        html,
    ).group(1)
    theme = visible_text(first.get(link.replace("&amp;", "&")).get_data(True))
    assert TEXT in theme and "Budgets matter." not in theme


def test_the_matrix_waits_while_coding_is_blind(app: Flask, study: Study) -> None:
    db.session.get(Programme, study.programme_id).blind_coding = True
    db.session.commit()
    answer = researcher(app, study).get(f"/programmes/{study.programme_id}/matrix")
    assert answer.status_code == 403
