"""A researcher reads the evaluation report before a committee, in English and in French, and
compares the programme's visits. Accessibility is checked on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_journeys import sign_in

pytestmark = pytest.mark.browser


def test_the_evaluation_report_reads_well_in_both_languages(
    page: Page, live_server: str, axe
) -> None:
    sign_in(page, live_server, "researcher@wws.example")
    page.goto(f"{live_server}/visits/1")
    page.get_by_role("link", name="Evaluation report").click()
    expect(page.get_by_role("heading", name="4. Efficiency")).to_be_visible()
    expect(page.get_by_role("img", name="Kirkpatrick levels reached").first).to_be_visible()
    axe.check(page)
    page.get_by_role("link", name="Visits of the programme compared").click()
    expect(page.get_by_role("heading", name="Visits compared")).to_be_visible()
    axe.check(page)
    page.get_by_role("button", name="Français").click()
    page.goto(f"{live_server}/visits/1/report")
    expect(page.get_by_role("heading", name="4. Efficience")).to_be_visible()
    axe.check(page)
