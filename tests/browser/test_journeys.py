"""What a programme lead and a Paris host do in a real browser, with an accessibility check of
every page they see. JavaScript is off throughout."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def sign_in(page: Page, live_server: str, email: str, axe=None) -> None:
    page.goto(f"{live_server}/sign-in")
    if axe:
        axe.check(page)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill("cop-demo")
    page.get_by_role("button", name="Sign in").click()


def test_a_lead_plans_a_visit_adds_a_participant_and_switches_to_french(
    page: Page, live_server: str, axe
) -> None:
    sign_in(page, live_server, "lead@glasgow.example", axe)
    expect(page.get_by_role("heading", name="My visits")).to_be_visible()
    expect(
        page.get_by_role("link", name="Participatory Budgeting study visit to Paris")
    ).to_be_visible()
    axe.check(page)

    page.get_by_role("link", name="Plan a new visit").click()
    axe.check(page)
    page.get_by_role("button", name="Create the visit").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    axe.check(page)
    page.get_by_role("link", name="Enter a title for the visit").click()
    expect(page.get_by_label("Title")).to_be_focused()

    page.get_by_label("Title").fill("Return visit: Paris officers to Glasgow and Fife")
    page.get_by_label("Objective").fill("Show the Paris PB team how Scottish councils run PB.")
    page.get_by_label("Programme").select_option(
        label="Scotland–Paris Participatory Budgeting exchange"
    )
    # City, country and time zone are left to the host organisation's.
    page.get_by_label("Host organisation").select_option(label="Glasgow City Council")
    page.get_by_label("First day (optional)").fill("2017-06-12")
    page.get_by_label("Last day (optional)").fill("2017-06-13")
    page.get_by_label("Languages of the visit").select_option(["fr"])
    page.get_by_role("button", name="Create the visit").click()
    expect(
        page.get_by_role("heading", name="Return visit: Paris officers to Glasgow and Fife")
    ).to_be_visible()
    expect(page.get_by_text("Glasgow, United Kingdom")).to_be_visible()
    expect(page.get_by_text("French, English")).to_be_visible()
    expect(page.get_by_text("12 June 2017 to 13 June 2017")).to_be_visible()
    axe.check(page)

    # The task list says the itinerary is next, and leads to it.
    page.get_by_role("link", name="Itinerary", description="Not yet started").click()
    axe.check(page)
    page.get_by_role("link", name="Add an item").click()
    page.get_by_label("What").fill("Welcome lunch with the Glasgow PB team")
    page.get_by_label("Starts").fill("12:30")
    page.get_by_label("Ends").fill("14:00")
    page.get_by_label("Place", exact=True).fill("City Chambers")
    axe.check(page)
    page.get_by_role("button", name="Save the item").click()
    expect(page.get_by_role("heading", name="Monday, 12 June 2017")).to_be_visible()
    expect(page.get_by_text("12:30–14:00")).to_be_visible()
    axe.check(page)
    page.go_back()
    page.go_back()
    page.go_back()
    page.get_by_role("link", name="Ask for dates").click()
    page.get_by_label("Candidate dates").fill("2017-06-12 to 2017-06-13\n2017-06-19 to 2017-06-20")
    axe.check(page)
    page.get_by_role("button", name="Open the poll").click()
    expect(page.get_by_role("heading", name="Dates, best first")).to_be_visible()
    axe.check(page)
    page.get_by_role("link", name="Give or change your answers").click()
    # Each date is named with its weekdays, as someone choosing dates reads them.
    monday = "Monday, 12 June 2017 to Tuesday, 13 June 2017"
    page.get_by_role("group", name=monday).get_by_label("Yes").check()
    page.get_by_role("group", name="Monday, 19 June 2017 to Tuesday, 20 June 2017").get_by_label(
        "If need be"
    ).check()
    axe.check(page)
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_text("Thank you: your answers are saved.")).to_be_visible()
    page.goto(page.url.rsplit("/polls/", 1)[0])
    page.get_by_role("link", name="Documents").click()
    page.get_by_label("File").set_input_files(
        files=[{"name": "agenda.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}]
    )
    page.get_by_label("Title (optional)").fill("Draft agenda")
    axe.check(page)
    page.get_by_role("button", name="Share the document").click()
    expect(page.get_by_role("link", name="Draft agenda", exact=True)).to_be_visible()
    axe.check(page)
    page.get_by_role("link", name="Return visit: Paris officers to Glasgow and Fife").click()
    page.get_by_role("link", name="Manage members").click()
    axe.check(page)
    # Without JavaScript the search is a form of its own that reloads the list.
    page.get_by_label("Search the directory by name, organisation or email").fill("Eilidh")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("1 person to choose from.")).to_be_visible()
    page.get_by_label("Eilidh Robertson (").check()
    page.get_by_label("Role in the visit").select_option("participant")
    page.get_by_label("Why this person was chosen").fill("Ran the Fife side of the Paris visit.")
    page.get_by_role("button", name="Add the people chosen").click()
    expect(page.get_by_text("Eilidh Robertson has been added as Participant.")).to_be_visible()
    axe.check(page)

    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name="Membres", exact=True)).to_be_visible()
    axe.check(page)
    page.get_by_role("link", name="Annuaire", exact=True).click()
    expect(page.get_by_role("heading", name="Personnes")).to_be_visible()
    axe.check(page)
    page.get_by_role("link", name="Organisations").first.click()
    axe.check(page)
    page.get_by_role("link", name="Programmes").first.click()
    axe.check(page)
    page.get_by_role("link", name="Visites", exact=True).click()
    axe.check(page)


def test_the_paris_host_reads_cop_in_french(page: Page, live_server: str, axe) -> None:
    sign_in(page, live_server, "hote@paris.example")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name="Mes visites")).to_be_visible()
    axe.check(page)
    page.get_by_role("link", name="Visite d’étude sur le budget participatif à Paris").click()
    expect(page.get_by_text("du 8 décembre 2016 au 9 décembre 2016")).to_be_visible()
    # What the lead wrote, in French, labelled, with the original a click away (no script).
    expect(page.get_by_text("Vérifiée par Claire Dubois").first).to_be_visible()
    page.get_by_text("Voir l’original").first.click()
    expect(page.get_by_text("Participatory Budgeting study visit to Paris")).to_be_visible()
    axe.check(page)
    page.get_by_role("link", name="Programme de la visite").click()
    expect(page.get_by_role("heading", name="jeudi 8 décembre 2016")).to_be_visible()
    expect(
        page.get_by_role(
            "heading",
            name="Réunion 1 : comment Paris généralise le budget participatif (responsables)",
        )
    ).to_be_visible()
    expect(page.get_by_text("09:30–11:00 (08:30–10:00 à Londres)").first).to_be_visible()
    axe.check(page)
    page.get_by_role("button", name="Créer mon lien d’agenda").click()
    expect(page.get_by_text("Votre lien d’agenda est prêt")).to_be_visible()
    axe.check(page)
    page.go_back()
    page.go_back()
    # The visitors' own effort and costs are theirs: the lead has not shared them with hosts.
    expect(page.get_by_role("link", name="Journal de préparation")).to_have_count(0)
    page.get_by_role("link", name="Sondage de dates 1").click()
    expect(page.get_by_text("Une personne clé ne peut pas venir : Claire Dubois")).to_be_visible()
    expect(page.get_by_text("Jour férié (Royaume-Uni – SCT)")).to_be_visible()
    axe.check(page)
    page.go_back()
    page.get_by_role("table").get_by_role("link", name="Claire Dubois").click()
    axe.check(page)
    page.get_by_role("link", name="Modifier les informations de cette personne").click()
    axe.check(page)


def test_a_researcher_reads_whether_a_community_is_forming(
    page: Page, live_server: str, axe
) -> None:
    sign_in(page, live_server, "researcher@wws.example")
    page.get_by_role("link", name="Programmes").first.click()
    page.get_by_role("link", name="Scotland–Paris Participatory Budgeting exchange").click()
    page.get_by_role("link", name="Is a community of practice forming?").click()
    expect(page.get_by_text("Most indicators moved the way a forming community")).to_be_visible()
    axe.check(page)
    page.get_by_label("Attending the same itinerary item").check()
    page.get_by_role("button", name="Show").click()
    axe.check(page)
    page.goto(f"{live_server}/contacts/new")
    page.get_by_label("Search the directory by name, organisation or email").fill("Dubois")
    page.get_by_role("button", name="Search").click()
    page.get_by_label("Claire Dubois (").check()
    page.get_by_label("Both of us / a meeting").check()
    axe.check(page)
    page.get_by_role("button", name="Log the contact").click()
    expect(page.get_by_text("Your contact with Claire Dubois is logged.")).to_be_visible()


def test_a_participant_sees_a_friendly_refusal_and_their_profile(
    page: Page, live_server: str, axe
) -> None:
    sign_in(page, live_server, "participant@fife.example")
    page.goto(f"{live_server}/visits/new")
    expect(page.get_by_role("heading", name="You do not have access to this page")).to_be_visible()
    axe.check(page)
    page.goto(f"{live_server}/account")
    axe.check(page)
    page.goto(f"{live_server}/account/password")
    axe.check(page)
    page.goto(f"{live_server}/nowhere")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    axe.check(page)


def test_pages_fit_a_phone_screen(browser, live_server: str, axe) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    sign_in(page, live_server, "researcher@wws.example")
    for path in ["/", "/visits", "/people", "/visits/1"]:
        page.goto(f"{live_server}{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, path
        axe.check(page)
    page.goto(f"{live_server}/account/reset")
    axe.check(page)
    context.close()


def test_the_accessibility_check_catches_a_real_problem(browser, live_server: str) -> None:
    from tests.browser.conftest import Accessibility

    checker = Accessibility(browser)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/sign-in")
    # A form field without a label is a critical violation of WCAG 4.1.2.
    page.set_content('<html lang="en"><title>t</title><main><input type="text"></main></html>')
    checker.check(page)
    assert any("label" in problem for problem in checker.problems)
    context.close()
    checker.context.close()
