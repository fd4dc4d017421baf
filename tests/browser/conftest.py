"""A live cop server in a thread, and headless Debian Chromium driven by Playwright, with axe."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Browser, Page, Route, sync_playwright
from werkzeug.serving import make_server

from cop import create_app
from cop.demo import load_demo
from cop.extensions import db
from tests.conftest import TEST_HASH_METHOD, _empty_all_tables
from tests.mailserver import free_port

CHROMIUM = "/usr/bin/chromium"
# Without the networking flags Chromium keeps calling home, which this closed network refuses.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="module")
def live_app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """The application the live server runs, for tests that read what it stored (a mailed link)."""
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "INSTANCE_PATH": str(tmp_path_factory.mktemp("live")),
            "SECRET_KEY": "browser-test-secret",
            "MAIL_WRITE_TO_FOLDER": False,
            "RATELIMIT_ENABLED": False,
            "PASSWORD_HASH_METHOD": TEST_HASH_METHOD,
        }
    )


@pytest.fixture(scope="module")
def live_server(live_app: Flask) -> Iterator[str]:
    app = live_app
    with app.app_context():
        _empty_all_tables()
        load_demo(db.session)
        db.session.commit()
        db.session.remove()
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run python -m tests.prepare_machine")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    # No JavaScript: every page and form must work without it (what cop ships only adds).
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    opened = context.new_page()
    opened.set_default_timeout(10_000)
    yield opened
    context.close()


@pytest.fixture
def scripted_page(browser: Browser) -> Iterator[Page]:
    """A page with JavaScript, for what static/js adds to forms that work without it."""
    context = browser.new_context(locale="en-GB")
    opened = context.new_page()
    opened.set_default_timeout(10_000)
    yield opened
    context.close()


class Accessibility:
    """Runs axe on every page a test visits and keeps the serious and critical violations.

    axe is JavaScript and the pages under test run without it, so each page's HTML is replayed,
    exactly as the server sent it, in a second tab that allows scripts."""

    def __init__(self, browser: Browser) -> None:
        self.axe = Axe()
        self.context = browser.new_context()
        self.checker = self.context.new_page()
        self.problems: list[str] = []
        self.pages_checked: list[str] = []

    def narrow(self, viewport: dict[str, int]) -> None:
        """Judge pages at a phone's width from now on (the replaying tab takes its size)."""
        self.checker.set_viewport_size(viewport)

    def check(self, page: Page) -> None:
        # A click that navigates returns before the next page has arrived: read the page only
        # once it has loaded and has its title, or axe would judge an empty document in between.
        page.wait_for_load_state("load")
        page.locator("head > title").wait_for(state="attached")
        html, url = page.content(), page.url

        def replay(route: Route) -> None:
            route.fulfill(body=html, content_type="text/html; charset=utf-8")

        self.checker.route(url, replay)
        self.checker.goto(url)
        self.checker.unroute(url, replay)
        results = self.axe.run(self.checker)
        self.pages_checked.append(url)
        for violation in results.response["violations"]:
            if violation["impact"] in SERIOUS:
                targets = [node["target"] for node in violation["nodes"]][:3]
                self.problems.append(f"{page.url}: {violation['id']} {targets}")


@pytest.fixture
def axe(browser: Browser) -> Iterator[Accessibility]:
    checker = Accessibility(browser)
    yield checker
    checker.context.close()
    assert checker.pages_checked, "the test checked no page"
    assert checker.problems == []
