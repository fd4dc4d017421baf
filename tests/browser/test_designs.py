"""A lead keeps the Paris visit's design in the programme's library and starts the next visit
from it, in a real browser without JavaScript, with an accessibility check of every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_journeys import sign_in

pytestmark = pytest.mark.browser


def test_the_paris_design_starts_the_next_visit(page: Page, live_server: str, axe) -> None:
    sign_in(page, live_server, "lead@glasgow.example")
    page.goto(f"{live_server}/visits/1")
    page.get_by_role("link", name="The visit’s design, for the next one").click()
    expect(page.get_by_text("5 items over 2 days")).to_be_visible()
    axe.check(page)
    page.get_by_label("Name of the design").fill("Two days with the Paris PB team")
    page.get_by_role("button", name="Keep the design").click()
    expect(page.get_by_text("The design is in the programme’s library.")).to_be_visible()
    axe.check(page)
    page.get_by_role("link", name="Start a visit from it Two days with the Paris PB team").click()
    axe.check(page)
    page.get_by_role("button", name="Start the visit").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    axe.check(page)
    page.get_by_label("Title of the new visit").fill("PB in Lyon")
    page.get_by_label("First day").fill("2027-06-07")
    page.get_by_role("button", name="Start the visit").click()
    expect(
        page.get_by_text("The visit is laid out from the design: 5 itinerary items")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="PB in Lyon")).to_be_visible()
    axe.check(page)
