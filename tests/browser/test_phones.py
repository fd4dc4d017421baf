"""On a 320 px phone every page fits the screen: nothing sticks out sideways, tables keep
their headers (they scroll within the page), and axe finds nothing serious at that width."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from benchmarks.pages import main_pages
from cop.extensions import db
from tests.browser.test_journeys import sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 320, "height": 640}


@pytest.fixture
def phone(browser: Browser):
    context = browser.new_context(java_script_enabled=False, locale="en-GB", viewport=PHONE)
    opened = context.new_page()
    opened.set_default_timeout(10_000)
    yield opened
    context.close()


def pages_to_check(live_app) -> dict[str, list[str]]:
    """Who opens which pages: the lead the visit's, the researcher the analysis, the
    administrator the accounts."""
    with live_app.app_context():
        pages = main_pages(db.session)
    return {
        "lead@glasgow.example": [
            *(path for path in pages if not path.endswith((".ics", ".json", ".csv"))),
            "/visits/1/planning",
            "/visits/1/polls/1",
            "/visits/1/correspondence",
            "/visits/1/report",
        ],
        "researcher@wws.example": [
            "/programmes/1/network",
            "/programmes/1/codebook",
            "/programmes/1/matrix",
            "/programmes/1/value-creation",
            "/programmes/1/agreement",
            "/programmes/1/import",
            "/programmes/1/report",
            "/visits/1/reflections",
        ],
        "admin@cop.example": ["/admin/accounts", "/admin/audit", "/admin/rates"],
    }


def too_wide(page: Page) -> list[str]:
    """What sticks out past the right edge of the screen, if the page itself does."""
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          if (document.documentElement.scrollWidth <= width) return [];
          return [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > width + 1)
            .filter(e => !e.closest('.table'))
            .slice(0, 5)
            .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''));
        }"""
    )


def test_every_page_fits_a_320_pixel_screen(
    browser: Browser, live_server: str, live_app, axe
) -> None:
    axe.narrow(PHONE)
    problems = {}
    for email, paths in pages_to_check(live_app).items():
        context = browser.new_context(java_script_enabled=False, locale="en-GB", viewport=PHONE)
        phone = context.new_page()
        sign_in(phone, live_server, email)
        for path in paths:
            response = phone.goto(f"{live_server}{path}")
            assert response.status < 400, (email, path)
            wide = too_wide(phone)
            if wide:
                problems[path] = wide
            axe.check(phone)
        context.close()
    assert problems == {}


def test_a_table_keeps_its_header_on_a_phone(phone: Page, live_server: str, axe) -> None:
    axe.narrow(PHONE)
    sign_in(phone, live_server, "lead@glasgow.example")
    phone.goto(f"{live_server}/visits/1/members")
    header = phone.get_by_role("columnheader", name="Role")
    assert header.is_visible()
    table = phone.locator("table.table").first
    assert table.evaluate("t => t.getBoundingClientRect().right") <= PHONE["width"]
    axe.check(phone)
