"""Accounts from the web: an administrator invites, the invited person chooses a password
through their own link and can begin at once; roles are given and taken on the accounts page;
a lead invites a visit's member who has no account. No command line anywhere."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy.orm import Session

from cop.accounts import invitations
from cop.accounts.models import User
from cop.directory.models import Person
from cop.extensions import db
from cop.mail import OutboxMail
from cop.visits.models import Membership, MembershipRole, ProgrammeResearcher, Visit
from tests.conftest import Factory, sign_in, visible_text

PASSWORD = "a long new password"


def latest_mail() -> OutboxMail:
    return db.session.scalar(db.select(OutboxMail).order_by(OutboxMail.id.desc()))


def welcome_path(mail: OutboxMail) -> str:
    return re.search(r"/account/welcome/\S+", mail.body_text).group(0)


def accept(client, path: str) -> object:
    return client.post(path, data={"new_password": PASSWORD, "confirm_password": PASSWORD})


def test_an_invited_organiser_begins_a_visit_without_any_command(app: Flask, make: Factory) -> None:
    admin = app.test_client()
    sign_in(admin, make.user(admin=True))
    response = admin.post(
        "/admin/accounts/invite",
        data={
            "name": "Aileen Ross",
            "email": "Aileen.Ross@Fife.example",
            "language": "fr",
            "organiser": "y",
        },
    )
    assert response.status_code == 302
    mail = latest_mail()
    assert mail.recipient == "aileen.ross@fife.example" and mail.language == "fr"
    assert mail.subject == "Invitation à rejoindre cop"

    newcomer = app.test_client()
    assert newcomer.get(welcome_path(mail)).status_code == 200
    assert accept(newcomer, welcome_path(mail)).status_code == 302
    home = visible_text(newcomer.get("/").get_data(as_text=True))
    assert "Préparer une visite" in home  # her first step, in her language
    created = newcomer.post(
        "/visits/new",
        data={
            "title": "Learning from Paris",
            "objective": "How Paris runs PB",
            "programme_id": "0",
            "host_organisation_id": "0",
            "host_city": "Paris",
            "host_country": "FR",
            "start_date": "",
            "end_date": "",
            "time_zone": "Europe/Paris",
            "languages": "en,fr",
        },
    )
    assert created.status_code == 302
    visit = db.session.scalar(db.select(Visit).filter_by(title="Learning from Paris"))
    user = db.session.scalar(db.select(User).filter_by(email="aileen.ross@fife.example"))
    assert user.is_organiser and not user.is_admin
    [membership] = visit.memberships
    assert (membership.person_id, membership.role) == (user.person_id, MembershipRole.LEAD)


def test_an_invitation_works_once_and_not_for_signing_in_before(app: Flask, make: Factory) -> None:
    admin = app.test_client()
    sign_in(admin, make.user(admin=True))
    admin.post("/admin/accounts/invite", data={"name": "Iain", "email": "iain@example.org"})
    path = welcome_path(latest_mail())
    guest = app.test_client()
    # Before accepting, no password works.
    tried = guest.post("/sign-in", data={"email": "iain@example.org", "password": PASSWORD})
    assert tried.status_code == 401
    accept(guest, path)
    again = app.test_client()
    assert again.get(path).status_code == 410
    assert sign_in(again, "iain@example.org", PASSWORD).status_code == 302


def test_a_withdrawn_invitation_removes_the_account_and_keeps_the_person(
    app: Flask, make: Factory
) -> None:
    admin = app.test_client()
    sign_in(admin, make.user(admin=True))
    admin.post("/admin/accounts/invite", data={"name": "Jo", "email": "jo@example.org"})
    path = welcome_path(latest_mail())
    user = db.session.scalar(db.select(User).filter_by(email="jo@example.org"))
    confirm = visible_text(admin.get(f"/admin/accounts/{user.id}/withdraw").get_data(as_text=True))
    assert "stops working" in confirm
    assert admin.post(f"/admin/accounts/{user.id}/withdraw").status_code == 302
    db.session.expire_all()
    assert db.session.scalar(db.select(User).filter_by(email="jo@example.org")) is None
    assert db.session.scalar(db.select(Person).filter_by(email="jo@example.org")) is not None
    assert app.test_client().get(path).status_code in (400, 410)


def test_an_address_with_an_account_is_refused_with_a_message(app: Flask, make: Factory) -> None:
    admin = app.test_client()
    sign_in(admin, make.user(admin=True))
    existing = make.user()
    response = admin.post("/admin/accounts/invite", data={"name": "X", "email": existing.email})
    assert response.status_code == 400
    assert "already has an account" in response.get_data(as_text=True)


def test_roles_are_given_and_taken_on_the_accounts_page(app: Flask, make: Factory) -> None:
    admin_user = make.user(admin=True)
    admin = app.test_client()
    sign_in(admin, admin_user)
    programme = make.programme()
    user = make.user()
    admin.post(
        f"/admin/accounts/{user.id}",
        data={"researcher": "y", "programmes": [str(programme.id)], "active": "y"},
    )
    db.session.expire_all()
    assert user.is_researcher and not user.is_organiser
    assert db.session.scalar(db.select(ProgrammeResearcher.programme_id).filter_by(user_id=user.id))
    admin.post(f"/admin/accounts/{user.id}", data={"organiser": "y", "active": "y"})
    db.session.expire_all()
    assert user.is_organiser and not user.is_researcher
    assert db.session.scalar(db.select(ProgrammeResearcher.id).filter_by(user_id=user.id)) is None
    refused = admin.post(f"/admin/accounts/{admin_user.id}", data={"active": "y"})
    assert refused.status_code == 400
    assert "cannot take away your own" in refused.get_data(as_text=True)


def test_only_administrators_see_the_accounts(app: Flask, make: Factory) -> None:
    someone = app.test_client()
    sign_in(someone, make.user())
    assert someone.get("/admin/accounts").status_code == 403
    assert "/admin/accounts" not in someone.get("/").get_data(as_text=True)


def test_a_lead_invites_a_member_who_has_no_account(app: Flask, make: Factory) -> None:
    lead = make.user()
    visit = make.visit()
    make.member(visit, lead.person, MembershipRole.LEAD)
    host = make.person(name="Hélène Martin", email="helene@paris.example", preferred_language="fr")
    membership = make.member(visit, host, MembershipRole.HOST)
    client = app.test_client()
    sign_in(client, lead)
    page = client.get(f"/visits/{visit.id}/members").get_data(as_text=True)
    assert "Invite to cop" in page
    client.post(f"/visits/{visit.id}/members/{membership.id}/invite")
    mail = latest_mail()
    assert mail.recipient == "helene@paris.example" and mail.language == "fr"
    assert visit.title in mail.body_text
    accept(app.test_client(), welcome_path(mail))
    user = db.session.scalar(db.select(User).filter_by(email="helene@paris.example"))
    assert user.person_id == host.id and not user.is_organiser
    assert "Invite to cop" not in client.get(f"/visits/{visit.id}/members").get_data(as_text=True)


def test_roles_replace_the_programmes_a_researcher_studies(
    build: Factory, session: Session
) -> None:
    first, second = build.programme(), build.programme()
    user = build.user()
    invitations.set_roles(
        session, user, invitations.Roles(researcher=True, programme_ids=frozenset({first.id}))
    )
    invitations.set_roles(
        session, user, invitations.Roles(researcher=True, programme_ids=frozenset({second.id}))
    )
    assert invitations.roles_of(session, user).programme_ids == {second.id}
    invitations.set_roles(session, user, invitations.Roles(organiser=True))
    held = invitations.roles_of(session, user)
    assert (held.organiser, held.researcher, held.programme_ids) == (True, False, frozenset())
    assert session.query(Membership).count() == 0
