"""From a new tie to what it led to: for each tie first made after the visit, where both
people's consent allows, the passages in which they write about each other and the actions at
home those passages fed, in the value-creation cycles, on a page and as a CSV."""

from __future__ import annotations

import csv
import io
from datetime import date

from flask import Flask

from cop.actions.models import Action
from cop.directory.models import Person
from cop.extensions import db
from cop.network.models import Contact
from cop.pseudonyms import pseudonym
from cop.reflections.models import Consent
from cop.research.models import Code
from cop.research.value import names_in
from tests.conftest import sign_in, visible_text
from tests.reflections.conftest import Study


def test_a_passage_names_someone_by_full_name_or_surname() -> None:
    claire = Person(name="Claire Dubois")
    assert names_in("I wrote to claire dubois in March.", claire)
    assert names_in("Dubois sent the rules of the budget.", claire)
    assert not names_in("Claire said nothing.", claire)  # a first name alone is too common
    assert not names_in("Duboisville is elsewhere.", claire)


def contact(first, second, day: date) -> None:
    db.session.add(Contact(from_person_id=first.person_id, to_person_id=second.person_id, day=day))


def test_a_new_tie_shows_what_both_wrote_about_each_other_and_the_action_it_fed(
    app: Flask, study: Study
) -> None:
    writer, colleague, host = (study.users[k] for k in ("writer", "colleague", "host"))
    contact(writer, host, date(2016, 6, 1))  # before the visit: not new
    contact(writer, host, date(2017, 1, 1))
    contact(writer, colleague, date(2017, 2, 3))  # new after the visit
    contact(colleague, host, date(2017, 3, 1))  # new, but the host wrote nothing readable
    db.session.commit()
    mine = study.reflection(
        Consent.PSEUDONYMISED,
        texts=(
            f"{colleague.person.name} showed me how Fife runs its ballots.",
            "Nothing about anyone here.",
        ),
    )
    theirs = study.reflection(
        Consent.NAMED,
        writer="colleague",
        texts=(f"Since the visit {writer.person.name.split()[-1]} and I share our budgets.",),
    )
    study.reflection(Consent.PRIVATE, writer="host", texts=("Private thoughts.",))
    applied = db.session.scalar(db.select(Code.id).where(Code.default_key == "applied"))
    researcher = app.test_client()
    sign_in(researcher, study.users["researcher"])
    passage = mine.passages[0]
    researcher.post(
        f"/visits/{study.visit.id}/reflections/{mine.id}/passages/{passage.id}/code",
        data={"code_id": applied, "quote": ""},
    )
    db.session.add(
        Action(
            visit_id=study.visit.id,
            owner_id=writer.person_id,
            title="Run ballots the Fife way",
            passage_id=passage.id,
        )
    )
    db.session.commit()

    page = visible_text(
        researcher.get(f"/programmes/{study.programme_id}/value-creation").get_data(True)
    )
    hidden = pseudonym(app.config["SECRET_KEY"], writer.person_id)
    assert "2 new ties; 1 shown." in page
    assert f"{hidden} and {colleague.person.name}, in touch since 3 February 2017" in page
    assert writer.person.name not in page.replace(writer.person.name.split()[-1] + " and I", "")
    assert "Applied value “" + passage.text in page
    assert "Not coded as value yet “" + theirs.passages[0].text in page
    assert "Run ballots the Fife way (Planned)" in page
    assert "Nothing about anyone here." not in page and "Private thoughts." not in page

    exported = researcher.get(f"/programmes/{study.programme_id}/value-creation.csv")
    rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    assert [(r["kind"], r["by"], r["value_cycles"]) for r in rows] == [
        ("passage", hidden, "Applied value"),
        ("passage", colleague.person.name, ""),
        ("action", hidden, ""),
    ]
    assert {r["tie_since"] for r in rows} == {"2017-02-03"}
