"""A participant reflects and takes an action home; a researcher codes, compares and reads.
Every page is checked for accessibility; JavaScript is off throughout."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_journeys import sign_in

pytestmark = pytest.mark.browser


def test_a_participant_reflects_after_the_visit_and_takes_an_action_home(
    page: Page, live_server: str, axe
) -> None:
    sign_in(page, live_server, "participant@fife.example")
    page.goto(f"{live_server}/visits/1")
    page.get_by_role("link", name="Reflections", exact=True).click()
    axe.check(page)
    page.get_by_role("link", name="Soon after the visit").click()
    axe.check(page)
    page.get_by_label("What did you learn, compared with what you knew before?").fill(
        "Paris accepts a period of uncertainty as a risk worth taking."
    )
    page.get_by_role("group", name="Do-think-review").get_by_label("4").check()
    page.get_by_label("Researchers may read it with my name", exact=True).check()
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.get_by_text("Your draft is saved.")).to_be_visible()
    axe.check(page)
    page.get_by_role("button", name="Submit the reflection").click()
    expect(page.get_by_text("Your reflection is submitted. Thank you.")).to_be_visible()
    expect(page.get_by_role("cell", name="+3")).to_be_visible()
    axe.check(page)
    page.get_by_role("link", name="Turn this learning point into an action at home").click()
    axe.check(page)
    page.get_by_label("Action", exact=True).fill("Try do-think-review in a third area")
    page.get_by_label("Learning theme (optional)").select_option(label="Do-think-review")
    page.get_by_role("button", name="Save the action").click()
    expect(page.get_by_role("heading", name="Try do-think-review in a third area")).to_be_visible()
    axe.check(page)
    page.get_by_label("Status now").select_option(label="In progress")
    page.get_by_label("What happened").fill("The area committee agreed.")
    page.get_by_role("button", name="Add the update").click()
    expect(page.get_by_text("The area committee agreed.")).to_be_visible()
    page.get_by_role("link", name="Actions at home").first.click()
    page.get_by_role("link", name="learning theme").click()
    expect(page.get_by_role("heading", name="Do-think-review")).to_be_visible()
    axe.check(page)
    page.goto(f"{live_server}/reflections")
    axe.check(page)


def test_a_researcher_codes_without_javascript_and_reads_by_theme(
    page: Page, live_server: str, axe
) -> None:
    sign_in(page, live_server, "researcher@wws.example")
    page.goto(f"{live_server}/visits/1/reflections")
    axe.check(page)
    page.get_by_role("link", name="Iain MacLeod").click()
    expect(page.get_by_text("WWS-Paris-2016/interview-03.mp4")).to_be_visible()
    axe.check(page)
    passage = page.locator("section.passage").nth(1)
    passage.get_by_text("Code this passage").click()
    passage.get_by_label("Code", exact=True).select_option(
        label="Learning themes of the visit › Participatory democracy"
    )
    passage.get_by_label("Words to code (optional)").fill("with a workshop to improve them")
    passage.get_by_role("button", name="Apply the code").click()
    expect(page.get_by_text("The code has been applied.")).to_be_visible()
    page.get_by_label("Memo").fill("Iain names Fife as a source of learning too.")
    page.get_by_role("button", name="Save the memo").click()
    expect(page.get_by_text("Iain names Fife as a source of learning too.")).to_be_visible()
    axe.check(page)
    page.goto(f"{live_server}/programmes/1/codebook")
    axe.check(page)
    page.get_by_role("link", name="Agreement between coders").click()
    axe.check(page)
    expect(page.get_by_role("cell", name="not defined").first).to_be_visible()
    page.get_by_label("Unit of agreement").select_option("character")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("Unit: the character.", exact=False)).to_be_visible()
    axe.check(page)
    page.get_by_role("link", name="See where they disagree, side by side").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Where .+ disagree$"))).to_be_visible()
    axe.check(page)
    page.goto(f"{live_server}/programmes/1/codebook")
    page.get_by_label("Find a code").fill("democracy")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("link", name="Learning themes of the visit › Participatory democracy").click()
    axe.check(page)
    page.goto(f"{live_server}/programmes/1/themes")
    axe.check(page)
    page.get_by_role("link", name="Cases by codes").click()
    expect(page.get_by_role("table", name="People by codes")).to_be_visible()
    axe.check(page)
    page.goto(f"{live_server}/programmes/1/value-creation")
    expect(page.get_by_role("heading", name="From new ties to what they led to")).to_be_visible()
    axe.check(page)
    page.goto(f"{live_server}/programmes/1/themes")
    page.get_by_role("link", name="Realised value").click()
    expect(page.get_by_text("twice as many proposals came in as the year before")).to_be_visible()
    axe.check(page)
    page.get_by_role("link", name="Eilidh Robertson").first.click()
    expect(
        page.get_by_role("heading", name="Value-creation story: Eilidh Robertson")
    ).to_be_visible()
    axe.check(page)
    page.goto(f"{live_server}/visits/1/interviews/new")
    axe.check(page)
    page.get_by_label("Who was interviewed").select_option(label="Fiona Duncan")
    page.get_by_label("Day of the interview").fill("2017-06-12")
    page.get_by_label("Researchers may read it under a pseudonym").check()
    page.get_by_label("Or paste the transcript").fill(
        "[00:00:03] Tom Baxter: Where is the volunteers action?\n"
        "[00:00:08] Fiona Duncan: Dropped, for now: no budget for the youth workers."
    )
    page.get_by_role("button", name="Save the interview").click()
    expect(page.get_by_text("The interview is saved with 2 passages.")).to_be_visible()
    axe.check(page)
    page.goto(f"{live_server}/visits/1/guide")
    axe.check(page)
    page.goto(f"{live_server}/programmes/1/codebook")
    page.get_by_role("link", name="Import a REFI-QDA project or codebook").click()
    axe.check(page)
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Choose a .qdpx or .qdc file").first).to_be_visible()
    axe.check(page)
    # Blind coding, turned on and off again (other tests share this server's programme).
    page.goto(f"{live_server}/programmes/1/codebook")
    page.get_by_label("Code blind").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Coding is blind: each researcher sees").first).to_be_visible()
    axe.check(page)
    page.goto(f"{live_server}/programmes/1/themes")
    expect(page.get_by_role("heading", name="Coding is blind")).to_be_visible()
    axe.check(page)
    page.get_by_role("button", name="I have finished coding").click()
    expect(page.get_by_role("heading", name="Agreement between coders")).to_be_visible()
    page.goto(f"{live_server}/programmes/1/codebook")
    page.get_by_label("Code blind").uncheck()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(
        page.get_by_text("Coding is open: every researcher sees every code.").first
    ).to_be_visible()


def test_with_javascript_selecting_words_fills_in_the_words_to_code(
    browser, live_server: str
) -> None:
    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()
    sign_in(page, live_server, "researcher@wws.example")
    page.goto(f"{live_server}/visits/1/reflections")
    page.get_by_role("link", name="Morag Campbell").last.click()
    # The (deferred) script listens once the reflection's page has loaded; select words only then.
    page.wait_for_url(re.compile(r"/visits/1/reflections/\d+$"))
    page.wait_for_load_state("load")
    first_passage = page.locator("section.passage").first
    selected = first_passage.locator(".passage__text").evaluate(
        """element => {
            const text = element.firstChild;
            const range = document.createRange();
            range.setStart(text, 0);
            range.setEnd(text, 14);
            window.getSelection().removeAllRanges();
            window.getSelection().addRange(range);
            element.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
            return range.toString().trim();
        }"""
    )
    assert len(selected) > 5
    expect(first_passage.get_by_label("Words to code (optional)")).to_have_value(selected)
    expect(first_passage.get_by_label("Words to code (optional)")).to_be_visible()
    context.close()
