"""A signed-in page is served as it was last rendered for the same reader while no data changed:
one query (the sign-in check) instead of the page's own. Whatever would make it different is
noticed: a write anywhere, another reader, another browser, a language, a message waiting,
signing out, an access taken away, the clock."""

from __future__ import annotations

import re
import time

from cop.accounts.models import User
from cop.computed.changes import PAGES
from cop.computed.models import DataVersion
from cop.database import count_queries
from cop.extensions import db
from cop.pagestore import KeptPage, PageStore
from cop.stored_pages import page_store
from cop.visits.models import Membership, MembershipRole
from tests.conftest import Factory, sign_in, visible_text
from tests.visits.test_visits import VISIT_FORM  # the title: Return visit to Glasgow


def get(client, url: str) -> tuple[int, str, int]:
    """Status, visible text and SQL queries of one request, as a new request of a server."""
    db.session.remove()
    with count_queries(db.engine) as counter:
        response = client.get(url)
    return response.status_code, visible_text(response.get_data(as_text=True)), counter.count


class Signed:
    """What a test needs of a lead and their visit once requests have begun (each request ends
    the session the objects were loaded in)."""

    def __init__(self, lead, visit) -> None:
        self.user_id, self.person_id, self.name = lead.id, lead.person_id, lead.person.name
        self.email = lead.email
        self.visit_id = visit.id


def pages_version_now() -> str | None:
    return db.session.scalar(db.select(DataVersion.version).filter_by(scope=PAGES))


def a_lead_signed_in(make: Factory, client):
    lead = make.user()
    visit = make.visit(title="PB study visit to Paris")
    make.member(visit, lead.person, MembershipRole.LEAD)
    sign_in(client, lead)
    return Signed(lead, visit), visit


def test_the_same_reader_asking_again_gets_the_page_kept_with_one_query(client, make) -> None:
    _, visit = a_lead_signed_in(make, client)
    first = get(client, f"/visits/{visit.id}")
    second = get(client, f"/visits/{visit.id}")
    third = get(client, f"/visits/{visit.id}")
    assert first[0] == second[0] == third[0] == 200
    assert first[1] == second[1] == third[1]
    assert first[2] > 5
    assert second[2] == third[2] == 1, "the sign-in check, which reads the data's version too"


def test_a_page_kept_keeps_what_the_view_said_of_it(client, make) -> None:
    _, visit = a_lead_signed_in(make, client)
    make.item(visit, title="Hôtel de Ville")
    url = f"/visits/{visit.id}/itinerary.ics"
    first = client.get(url)
    second = client.get(url)
    assert second.get_data() == first.get_data()
    assert (
        second.headers["Content-Type"]
        == first.headers["Content-Type"]
        == ("text/calendar; charset=utf-8")
    )
    assert second.headers["Content-Disposition"] == first.headers["Content-Disposition"]
    assert second.headers["Cache-Control"] == "no-store", "still personal, still not for proxies"
    assert "Content-Security-Policy" in second.headers


def test_a_write_through_the_web_shows_at_once(client, make) -> None:
    _, visit = a_lead_signed_in(make, client)
    visit_id = visit.id
    get(client, "/visits")
    assert "PB study visit to Paris" in get(client, "/visits")[1]
    assert client.post(f"/visits/{visit_id}/edit", data=VISIT_FORM).status_code == 302
    client.get(f"/visits/{visit_id}")  # the message of the change, shown once
    status, text, queries = get(client, "/visits")
    assert "Return visit to Glasgow" in text and "PB study visit to Paris" not in text
    assert queries > 1


def test_a_write_by_someone_else_or_by_a_worker_shows_at_once(client, make) -> None:
    _, visit = a_lead_signed_in(make, client)
    url = f"/visits/{visit.id}/itinerary"
    get(client, url)
    get(client, url)
    visit = db.session.merge(visit)
    make.item(visit, title="Conseil de Paris, séance budgétaire")  # another session commits
    assert "Conseil de Paris, séance budgétaire" in get(client, url)[1]


def test_a_change_made_through_another_app_server_is_seen_on_this_one(app, make, tmp_path) -> None:
    """Each server process keeps its own pages, under the version every server reads from the
    database: a change through one server shows on the next request to the other."""
    from cop import create_app

    settings = {key: app.config[key] for key in SHARED_SETTINGS}
    other_server = create_app({**settings, "INSTANCE_PATH": str(tmp_path / "other-server")})
    lead, _ = a_lead_signed_in(make, here := app.test_client())
    there = other_server.test_client()
    sign_in(there, lead.email)
    url = f"/visits/{lead.visit_id}"
    for _ in range(2):
        assert "PB study visit to Paris" in get(here, url)[1]
    with other_server.app_context():
        assert there.post(f"/visits/{lead.visit_id}/edit", data=VISIT_FORM).status_code == 302
        db.session.remove()
        db.engine.dispose()
    assert "Return visit to Glasgow" in get(here, url)[1]


SHARED_SETTINGS = (
    "SQLALCHEMY_DATABASE_URI",
    "TESTING",
    "WTF_CSRF_ENABLED",
    "SECRET_KEY",
    "MAIL_WRITE_TO_FOLDER",
    "RATELIMIT_ENABLED",
    "PASSWORD_HASH_METHOD",
)


def test_ten_readers_at_once_while_the_visit_changes_each_see_only_their_own_page(
    app, make
) -> None:
    """Ten members reading their account and the visit at once, in threads sharing one store,
    while the lead renames the visit: no one is ever shown another's page, and once the
    renaming is committed every reader sees the new title."""
    import threading

    _, visit = a_lead_signed_in(make, app.test_client())
    readers = []
    for _ in range(10):
        user = make.user()
        make.member(visit, user.person)
        client = app.test_client()
        sign_in(client, user)
        readers.append((client, user.person.name))
    visit_id = visit.id
    seen: list[tuple[str, str, str]] = []

    def read(client, name: str) -> None:
        # Each request in a context of its own, as a server gives it (and a session with it).
        for _ in range(4):
            for url in ("/account", f"/visits/{visit_id}"):
                response = client.get(url)
                seen.append((name, url, visible_text(response.get_data(as_text=True))))

    def rename() -> None:
        with app.app_context():
            for number in range(3):
                db.session.get(type(visit), visit_id).title = f"PB study visit, draft {number}"
                db.session.commit()
            db.session.remove()

    threads = [threading.Thread(target=read, args=reader) for reader in readers]
    threads.append(threading.Thread(target=rename))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(seen) == 80
    names = [name for _, name in readers]
    for name, url, text in seen:
        if url == "/account":
            shown = {other for other in names if re.search(rf"\b{re.escape(other)}\b", text)}
            assert shown == {name}
    for client, _ in readers:
        assert "PB study visit, draft 2" in get(client, f"/visits/{visit_id}")[1]


def test_each_reader_has_their_own_pages(app, make) -> None:
    first, visit = a_lead_signed_in(make, first_client := app.test_client())
    second_lead = make.user()
    make.member(visit, second_lead.person, MembershipRole.LEAD)
    second_name = second_lead.person.name
    sign_in(second_client := app.test_client(), second_lead)
    for _ in range(2):
        assert first.name in get(first_client, "/account")[1]
    status, text, queries = get(second_client, "/account")
    assert second_name in text and first.name not in text
    assert queries > 1


def test_the_same_person_in_another_browser_gets_pages_with_that_browsers_form_token(
    app, make
) -> None:
    lead, visit = a_lead_signed_in(make, office := app.test_client())
    home = app.test_client()
    sign_in(home, lead.email)
    for _ in range(2):
        get(office, f"/visits/{visit.id}/members")
    assert get(home, f"/visits/{visit.id}/members")[2] > 1, "its own session, its own page"


def test_a_copied_cookie_in_another_browser_gets_no_kept_page(app, make) -> None:
    _, visit = a_lead_signed_in(make, client := app.test_client())
    get(client, "/visits")
    get(client, "/visits")
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    thief.environ_base["HTTP_USER_AGENT"] = "another browser"
    response = thief.get("/visits")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_signing_out_ends_the_kept_pages_too(client, make) -> None:
    a_lead_signed_in(make, client)
    get(client, "/visits")
    cookie = client.get_cookie("session").value
    assert client.post("/sign-out").status_code == 302
    client.set_cookie("session", cookie)  # the old cookie, replayed
    response = client.get("/visits")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_an_access_taken_away_is_noticed_on_the_next_request(client, make) -> None:
    lead, visit = a_lead_signed_in(make, client)
    make.member(visit, make.user().person, MembershipRole.LEAD)  # someone must stay lead
    url = f"/visits/{lead.visit_id}/planning"
    assert get(client, url)[0] == get(client, url)[0] == 200
    membership = db.session.scalar(db.select(Membership).filter_by(person_id=lead.person_id))
    db.session.delete(membership)
    db.session.commit()
    assert get(client, url)[0] == 403


def test_a_page_is_in_the_language_of_its_reader(client, make) -> None:
    lead, _ = a_lead_signed_in(make, client)
    url = f"/visits/{lead.visit_id}"
    assert "Members" in get(client, url)[1] and "Members" in get(client, url)[1]
    client.post("/language", data={"language": "fr"})
    assert "Membres" in get(client, url)[1] and "Membres" in get(client, url)[1]
    # Chosen in the profile on another device: the account's row changed, the page follows.
    user = db.session.get(User, lead.user_id)
    user.locale = "en"
    db.session.commit()
    with client.session_transaction() as session:
        session.pop("locale")
    assert "Members" in get(client, url)[1]


def test_a_message_waiting_for_the_reader_is_shown_not_a_kept_page(client, make) -> None:
    lead, _ = a_lead_signed_in(make, client)
    url = f"/visits/{lead.visit_id}"
    get(client, url)
    get(client, url)
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "The booking was confirmed.")]
    assert "The booking was confirmed." in get(client, url)[1]
    assert "The booking was confirmed." not in get(client, url)[1]


def test_a_page_is_kept_no_longer_than_the_setting_says(app, client, make) -> None:
    # What the clock changes ("today", a deadline that has passed) is never older than that.
    assert app.config["STORED_PAGE_SECONDS"] == 60
    page_store().max_age_seconds = 0.2
    a_lead_signed_in(make, client)
    get(client, "/visits")
    assert get(client, "/visits")[2] == 1
    time.sleep(0.3)
    assert get(client, "/visits")[2] > 1


def test_pages_not_marked_to_be_kept_are_rendered_every_time(client, make) -> None:
    a_lead_signed_in(make, client)
    get(client, "/outbox")
    assert get(client, "/outbox")[2] > 1


def test_a_new_version_of_the_data_empties_the_store(client, make) -> None:
    """Erased or changed data is not held in memory after the next request has seen the
    write, whoever's pages showed it."""
    lead, _ = a_lead_signed_in(make, client)
    for url in ("/visits", f"/visits/{lead.visit_id}", "/account"):
        get(client, url)
    assert len(page_store()) == 3
    make.person(name="Somebody new")
    get(client, "/organisations")
    assert len(page_store()) == 1


def test_every_commit_that_writes_a_row_renews_the_data_version(app, make) -> None:
    user = make.user()
    before = pages_version_now()
    user.locale = "fr"  # an account: no computed result shows it, pages do
    db.session.commit()
    after = pages_version_now()
    assert before and after and before != after
    db.session.commit()  # nothing written
    assert pages_version_now() == after


def test_a_calendar_app_fetching_a_feed_leaves_the_kept_pages_as_they_are(app, make) -> None:
    """The feed's link records when it was last used, which no page shows; a new link (or
    one revoked) is shown, on the account page."""
    from benchmarks.pages import personal_feed_path

    lead, _ = a_lead_signed_in(make, client := app.test_client())
    feed = personal_feed_path(db.session, app.config["SECRET_KEY"], lead.person_id)
    assert client.get(feed).status_code == 200  # computed and stored (cop.computed) once
    before = pages_version_now()
    assert client.get(feed).status_code == client.get(feed).status_code == 200
    assert pages_version_now() == before
    assert client.post("/calendar/link").status_code == 302
    assert pages_version_now() != before


def test_someone_else_signing_in_and_out_leaves_my_kept_pages(app, make) -> None:
    a_lead_signed_in(make, mine := app.test_client())
    colleague = make.user().email
    for _ in range(2):
        get(mine, "/visits")
    sign_in(theirs := app.test_client(), colleague)
    theirs.post("/sign-out")
    assert get(mine, "/visits")[2] == 1


def test_sending_mail_leaves_the_kept_pages_as_they_are(app, make) -> None:
    from cop.mail import OutboxMail, OutboxStatus, queue_mail
    from tests.mailserver import MailServer

    user = make.user()
    before = pages_version_now()
    with MailServer() as server:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
        queue_mail(user.email, "password_reset", "en", user=user, link="x", minutes=60)
        db.session.commit()  # then claimed, sent and recorded (at once, in tests): two commits
        assert len(server.wait_for(1)) == 1
    db.session.remove()
    assert db.session.scalar(db.select(OutboxMail.status)) == OutboxStatus.SENT
    assert pages_version_now() == before, (
        "the outbox is shown only on its own page, which is not kept"
    )


# The store itself, on its own.


def page(text: str, at: float = 0.0) -> KeptPage:
    return KeptPage(text.encode(), (("Content-Type", "text/html; charset=utf-8"),), at)


def test_the_store_serves_only_the_version_a_page_was_kept_under() -> None:
    store = PageStore(max_bytes=1000, max_age_seconds=60)
    assert store.get("a", "v1", 0) is None
    assert store.put("a", "v1", page("visits"))
    assert store.get("a", "v1", 1).body == b"visits"
    assert store.get("a", "v2", 2) is None
    assert len(store) == 0, "a newer version forgets every page at once"


def test_a_page_rendered_while_the_data_changed_is_not_kept() -> None:
    store = PageStore(max_bytes=1000, max_age_seconds=60)
    store.get("b", "v2", 0)  # another request has seen the newer version
    assert not store.put("a", "v1", page("rendered from v1"))
    assert store.get("a", "v2", 0) is None


def test_the_store_keeps_its_size_by_forgetting_the_least_recently_served() -> None:
    store = PageStore(max_bytes=160, max_age_seconds=60)
    for key in "abcdefgh":
        assert store.put(key, "v", page(key * 20))
    store.get("a", "v", 0)
    store.put("i", "v", page("i" * 20))
    assert [key for key in "abcdefghi" if store.get(key, "v", 0)] == list("acdefghi")
    assert store.size_in_bytes == 160
    assert not store.put("j", "v", page("j" * 21)), "no page may take over an eighth of it"


def test_the_store_forgets_a_page_older_than_its_age_limit() -> None:
    store = PageStore(max_bytes=1000, max_age_seconds=60)
    store.put("a", "v", page("visits", at=100))
    assert store.get("a", "v", 160) is not None
    assert store.get("a", "v", 161) is None
    assert len(store) == 0


# Which pages are kept. Every page that shows records to a signed-in reader is; the others say
# why not. A new page fails here until it is given its place.

FORM = "a form, opened once each time it is filled in"
LINK = "opened with a personal link, not a sign-in: its holder's alone, never kept"
FILE = "a file made for whoever downloads it, fetched once"
NOT_KEPT = {
    "serving.healthz": "asks the database each time: that is its purpose",
    "outbox.waiting": "what the workers are doing now, which they record outside any page",
    "serving.favicon": FILE,
    "static": FILE,
    **dict.fromkeys(
        [
            "accounts.change_password",
            "accounts.request_reset",
            "accounts.sign_in",
            "actions.edit_action",
            "actions.new_action",
            "admin_accounts.invite",
            "admin_accounts.withdraw",
            "agenda_import.upload",
            "coding.delete_code",
            "coding.edit_code",
            "coding.import_qda",
            "coding.merge_code",
            "compose.write",
            "correspondence.review",
            "designs.start",
            "directory.edit_organisation",
            "directory.edit_person",
            "directory.hand_over",
            "directory.new_organisation",
            "directory.new_person",
            "documents.delete",
            "glossary.import_terms",
            "glossary.new_term",
            "interpreters.new_interpreter",
            "interpreters.remove_unavailable",
            "interpreting.book",
            "interviews.new_interview",
            "itinerary.cancel",
            "itinerary.edit_item",
            "itinerary.new_item",
            "mail_import.import_mail",
            "network.import_contacts",
            "network.log_contact",
            "planning.edit_task",
            "polls.answer",
            "polls.new_poll",
            "privacy.erase",
            "reflections.delete_reflection",
            "reflections.edit_reflection",
            "reflections.new_reflection",
            "social.remove_embargo",
            "surveys.new_wave",
            "visits.edit_visit",
            "visits.new_programme",
            "visits.new_visit",
            "visits.remove_member",
        ],
        FORM,
    ),
    **dict.fromkeys(
        [
            "accounts.reset_password",
            "admin_accounts.welcome",
            "interpreting.linked",
            "interpreting.linked_briefing",
            "interpreting.linked_document",
            "itinerary.personal_feed",
            "polls.answer_by_link",
            "social.acknowledge_by_link",
            "social.approve",
            "surveys.answer",
        ],
        LINK,
    ),
    **dict.fromkeys(
        [
            "coding.code_colours",
            "designs.design_file",
            "designs.visit_design_file",
            "documents.download",
            "evaluation.visit_report_json",
            "evaluation.visit_report_pdf",
            "evaluation.visit_report_table",
            "glossary.export",
            "itinerary.day_sheet",
            "mail_import.attachment",
            "network.network_export",
            "network.network_panel",
            "planning.costs_export",
            "planning.effort_export",
            "privacy.export",
            "reading.codebook_export",
            "reading.project_export",
            "reading.segments_export",
            "reading.value_creation_export",
            "reflections.download_mine",
        ],
        FILE,
    ),
}


def test_every_page_is_kept_or_says_why_not(app) -> None:
    undecided, both = [], []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        kept = getattr(app.view_functions[rule.endpoint], "stored_page", False)
        if kept and rule.endpoint in NOT_KEPT:
            both.append(rule.endpoint)
        elif not kept and rule.endpoint not in NOT_KEPT:
            undecided.append(rule.endpoint)
    assert undecided == [], "mark these @stored_page, or add them to NOT_KEPT with the reason"
    assert both == []
