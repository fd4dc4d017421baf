"""A lead books the interpreter and agrees the protocol; the interpreter answers and reads the
briefing pack by link in French; a participant checks a draft post. Accessibility is checked on
every page; JavaScript is off throughout."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from cop.extensions import db
from cop.mail import OutboxMail
from tests.browser.test_journeys import sign_in

pytestmark = pytest.mark.browser


def test_a_lead_books_and_the_interpreter_answers_by_link(
    page: Page, live_server: str, axe, live_app
) -> None:
    sign_in(page, live_server, "lead@glasgow.example")
    page.goto(f"{live_server}/people")
    page.get_by_role("link", name="Interpreters").click()
    axe.check(page)
    page.get_by_label("Language pair").fill("en>fr")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Anne Moreau").click()
    axe.check(page)
    page.goto(f"{live_server}/visits/1")
    page.get_by_role("link", name="Interpreting").click()
    expect(
        page.get_by_role("cell", name="Observation of the Paris PB steering group", exact=True)
    ).to_be_visible()
    axe.check(page)
    # The interpreters' day, with its form to book one interpreter for several items.
    page.locator("a[href$='/interpreting/days/2016-12-08']").click()
    expect(
        page.get_by_role("heading", name="Book one interpreter for several items")
    ).to_be_visible()
    axe.check(page)
    page.go_back()
    page.get_by_role("link", name="Anne Moreau").click()
    expect(page.get_by_role("heading", name="Briefing pack for Anne Moreau")).to_be_visible()
    axe.check(page)
    page.get_by_role("link", name="Printable version").click()
    axe.check(page)
    page.goto(f"{live_server}/interpreters/1")
    page.get_by_role("button", name="Send a new link").click()
    expect(page.get_by_text("A new link has been sent")).to_be_visible()
    with live_app.app_context():
        body = db.session.scalar(
            db.select(OutboxMail.body_text).order_by(OutboxMail.id.desc()).limit(1)
        )
    path = re.search(r"/interpreting/\S+", body).group(0)
    interpreter = page.context.browser.new_context(java_script_enabled=False).new_page()
    interpreter.goto(f"{live_server}{path}")
    expect(
        interpreter.get_by_role("heading", name="Vos réservations d’interprétation")
    ).to_be_visible()
    axe.check(interpreter)
    # The interpreter reads in French: the visit's title as the Paris team checked it.
    interpreter.get_by_role(
        "link", name="Visite d’étude sur le budget participatif à Paris"
    ).click()
    expect(interpreter.get_by_role("heading", name="Confidentialité")).to_be_visible()
    axe.check(interpreter)
    interpreter.context.close()


def test_the_protocol_consent_and_a_draft_post(page: Page, live_server: str, axe) -> None:
    sign_in(page, live_server, "participant@fife.example")
    page.goto(f"{live_server}/visits/1")
    page.get_by_role("link", name="Social-media protocol", exact=True).click()
    expect(page.get_by_text("You have accepted this version.")).to_be_visible()
    axe.check(page)
    page.get_by_role("link", name="What may be posted of me").click()
    axe.check(page)
    page.get_by_label("Videos of me may be posted").check()
    page.get_by_role("button", name="Save the choices").click()
    expect(page.get_by_text("the earlier ones stay in the history")).to_be_visible()
    page.goto(f"{live_server}/visits/1/posts")
    axe.check(page)
    page.get_by_label("Draft post").fill("Cllr Alasdair Reid at the steering group #PBScotland")
    page.get_by_label("To be posted on").fill("2016-12-09")
    page.get_by_label("At (the visit’s time)").fill("17:00")
    page.get_by_label("Cllr Alasdair Reid").first.check()
    page.get_by_role("button", name="Check the draft").click()
    # Under embargo, a hashtag missing, and the councillor did not agree to photos.
    expect(page.get_by_role("heading", name="3 problems")).to_be_visible()
    axe.check(page)
    page.get_by_label("What was done").first.select_option(label="Not posted")
    page.get_by_role("button", name="Log it").click()
    expect(page.get_by_text("The decision is logged.")).to_be_visible()
