"""A council starts on the web: the administrator invites an organiser, who chooses a password
through her own link and plans her first visit; no command anywhere. Accessibility is checked
on every page; JavaScript is off."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from cop.extensions import db
from cop.mail import OutboxMail
from tests.browser.test_journeys import sign_in

pytestmark = pytest.mark.browser


def test_from_the_admins_invitation_to_the_organisers_first_visit(
    page: Page, live_server: str, axe, live_app
) -> None:
    sign_in(page, live_server, "admin@cop.example")
    page.get_by_role("link", name="Accounts").click()
    axe.check(page)
    page.get_by_role("link", name="Invite someone").click()
    axe.check(page)
    page.get_by_label("Name").fill("Aileen Ross")
    page.get_by_label("Email address").fill("aileen.ross@fife.example")
    page.get_by_label("Organiser").check()
    page.get_by_role("button", name="Send the invitation").click()
    expect(
        page.get_by_text("An invitation has been sent to aileen.ross@fife.example")
    ).to_be_visible()
    expect(page.get_by_role("cell", name="Invited, not yet accepted")).to_be_visible()
    axe.check(page)

    with live_app.app_context():
        body = db.session.scalar(
            db.select(OutboxMail.body_text).order_by(OutboxMail.id.desc()).limit(1)
        )
    path = re.search(r"/account/welcome/\S+", body).group(0)
    organiser = page.context.browser.new_context(java_script_enabled=False).new_page()
    organiser.goto(f"{live_server}{path}")
    expect(organiser.get_by_role("heading", name="Welcome to cop")).to_be_visible()
    axe.check(organiser)
    organiser.get_by_label("New password", exact=True).fill("a long new password")
    organiser.get_by_label("Confirm the new password").fill("a long new password")
    organiser.get_by_role("button", name="Save my password and sign in").click()
    expect(organiser.get_by_role("heading", name="My visits")).to_be_visible()
    axe.check(organiser)

    organiser.get_by_role("link", name="Plan a visit").click()
    axe.check(organiser)
    organiser.get_by_label("Title").fill("Fife learns from Lyon")
    organiser.get_by_label("Objective").fill("How Lyon involves residents in its budget.")
    organiser.get_by_label("Host city").fill("Lyon")
    organiser.get_by_label("Host country").select_option(label="France")
    organiser.get_by_label("Time zone of the visit").select_option(
        label="France — Paris (Europe/Paris)"
    )
    organiser.get_by_label("Languages of the visit").select_option(["en", "fr"])
    organiser.get_by_role("button", name="Create the visit").click()
    expect(organiser.get_by_role("heading", name="Fife learns from Lyon")).to_be_visible()
    axe.check(organiser)
    organiser.goto(f"{live_server}/")
    expect(organiser.get_by_role("link", name="Fife learns from Lyon")).to_be_visible()
    organiser.context.close()


def test_with_javascript_the_host_organisation_fills_the_place_and_long_lists_are_searched(
    scripted_page: Page, live_server: str, axe
) -> None:
    page = scripted_page
    sign_in(page, live_server, "admin@cop.example")
    page.goto(f"{live_server}/organisations/new")
    page.get_by_label("Name").fill("Métropole de Lyon")
    page.get_by_label("City or town").fill("Lyon")
    page.get_by_label("Search the countries").fill("fran")
    countries = page.get_by_label("Country", exact=True)
    # "Choose a country" stays; of the countries only France is left.
    expect(countries.locator("option:not([hidden])")).to_have_count(2)
    countries.select_option(label="France")
    page.get_by_label("Working language").select_option(label="French")
    page.get_by_label("Time zone", exact=True).select_option("Europe/Paris")
    axe.check(page)
    page.get_by_role("button", name=re.compile("Save|Add")).click()

    page.goto(f"{live_server}/visits/new")
    page.get_by_label("Title").fill("Glasgow learns from Lyon")
    page.get_by_label("Host organisation").select_option(label="Métropole de Lyon")
    expect(page.get_by_label("Host city")).to_have_value("Lyon")
    expect(page.get_by_label("Host country")).to_have_value("FR")
    expect(page.get_by_label("Time zone of the visit")).to_have_value("Europe/Paris")
    languages = page.get_by_label("Languages of the visit")
    assert languages.evaluate("s => [...s.selectedOptions].map(o => o.value)") == ["en", "fr"]
    page.get_by_label("Search the time zones").fill("lond")
    expect(page.get_by_role("status").filter(has_text="Matching: 2")).to_be_visible()
    axe.check(page)
    page.get_by_role("button", name="Create the visit").click()
    expect(page.get_by_role("heading", name="Glasgow learns from Lyon")).to_be_visible()
    expect(page.get_by_text("Europe/Paris").first).to_be_visible()

    # Members: someone new goes into the directory and comes back chosen; others are found by
    # a search that follows the typing.
    page.get_by_role("link", name="Manage members").click()
    page.get_by_role("link", name="Someone new? Add them to the directory").click()
    page.get_by_label("Full name").fill("Léa Girard")
    page.get_by_label("Email address (optional)").fill("lea.girard@lyon.example")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Léa Girard has been added to the directory.")).to_be_visible()
    expect(page.get_by_label("Léa Girard")).to_be_checked()
    page.get_by_label("Role in the visit").select_option(label="Host")
    page.get_by_role("button", name="Add the people chosen").click()
    expect(page.get_by_text("Léa Girard has been added as Host.")).to_be_visible()

    page.get_by_label("Search the directory by name, organisation or email").fill("fife")
    expect(page.get_by_label("Fiona Duncan (")).to_be_visible()
    expect(page.get_by_label("Morag Campbell (")).to_have_count(0)
    page.get_by_label("Eilidh Robertson (").check()
    page.get_by_label("Search the directory by name, organisation or email").fill("fiona")
    expect(page.get_by_label("Callum Stewart (")).to_have_count(0)
    page.get_by_label("Fiona Duncan (").check()
    expect(page.get_by_label("Eilidh Robertson (")).to_be_checked()  # kept while searching
    axe.check(page)
    page.get_by_role("button", name="Add the people chosen").click()
    expect(
        page.get_by_text("2 people have been added as Participant: Eilidh Robertson, Fiona Duncan.")
    ).to_be_visible()


def test_a_french_organiser_plans_a_visit_to_paris_on_a_phone(
    page: Page, browser, live_server: str, axe, live_app
) -> None:
    """The same first day at 390 px, in French: the invitation, the welcome, the visit."""
    sign_in(page, live_server, "admin@cop.example")
    page.goto(f"{live_server}/admin/accounts/invite")
    page.get_by_label("Name").fill("Camille Laurent")
    page.get_by_label("Email address").fill("camille.laurent@lyon.example")
    page.get_by_label("Language of the invitation").select_option("fr")
    page.get_by_label("Organiser").check()
    page.get_by_role("button", name="Send the invitation").click()

    with live_app.app_context():
        mail = db.session.scalar(db.select(OutboxMail).order_by(OutboxMail.id.desc()).limit(1))
        subject, body = mail.subject, mail.body_text
    assert mail.language == "fr" and "cop" in subject and "Bonjour Camille Laurent" in body
    path = re.search(r"/account/welcome/\S+", body).group(0)
    context = browser.new_context(
        java_script_enabled=False, locale="fr-FR", viewport={"width": 390, "height": 800}
    )
    phone = context.new_page()
    phone.goto(f"{live_server}{path}")
    expect(phone.get_by_role("heading", name="Bienvenue sur cop")).to_be_visible()
    axe.narrow({"width": 390, "height": 800})
    axe.check(phone)
    phone.get_by_label("Nouveau mot de passe", exact=True).fill("un long mot de passe neuf")
    phone.get_by_label("Confirmez le nouveau mot de passe").fill("un long mot de passe neuf")
    phone.get_by_role("button", name="Enregistrer mon mot de passe et me connecter").click()
    expect(phone.get_by_role("heading", name="Mes visites")).to_be_visible()
    phone.get_by_role("link", name="Préparer une visite").click()
    phone.get_by_label("Intitulé").fill("Lyon apprend de Paris")
    phone.get_by_label("Organisation hôte").select_option(label="Ville de Paris")
    phone.get_by_label("Langues de la visite").select_option(["fr"])
    axe.check(phone)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_role("button", name="Créer la visite").click()
    expect(phone.get_by_role("heading", name="Lyon apprend de Paris")).to_be_visible()
    expect(phone.get_by_text("Paris, France")).to_be_visible()
    expect(phone.get_by_role("heading", name="La liste des tâches de la visite")).to_be_visible()
    expect(phone.get_by_role("link", name="Dates convenues")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    axe.check(phone)
    context.close()
