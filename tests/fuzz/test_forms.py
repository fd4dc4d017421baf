"""Hostile input through the forms: whatever is typed, the answer is a page or a clear refusal,
never a server error, and markup typed into any field is shown as text, never run."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cop.demo import load_demo
from cop.directory.models import Person
from cop.extensions import db
from cop.network.models import Contact
from tests.conftest import sign_in

FORMS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SCRIPT = '<script>alert("cop")</script><img src=x onerror=alert(1)>'
hostile = st.one_of(
    st.text(max_size=300),
    st.sampled_from([SCRIPT, "'; DROP TABLE person; --", "\x00", "é" * 5000, "{{ 7*7 }}"]),
)


def signed_in_lead(app):
    load_demo(db.session)
    db.session.commit()
    client = app.test_client()
    sign_in(client, "lead@glasgow.example", "cop-demo")
    return client


@FORMS
@given(name=hostile, email=hostile, job=hostile)
def test_adding_a_person_never_fails_the_server(app, name: str, email: str, job: str) -> None:
    client = _client(app)
    before = db.session.scalar(db.select(db.func.count(Person.id)))
    response = client.post(
        "/people/new",
        data={
            "name": name,
            "email": email,
            "job_title": job,
            "organisation_id": "0",
            "preferred_language": "en",
        },
    )
    assert response.status_code in (302, 400)
    after = db.session.scalar(db.select(db.func.count(Person.id)))
    # Either the person was added whole, or nothing was stored.
    assert after == before + (1 if response.status_code == 302 else 0)


@FORMS
@given(email=hostile, topic=hostile, day=st.text(max_size=12))
def test_logging_a_contact_never_fails_the_server(app, email: str, topic: str, day: str) -> None:
    client = _client(app)
    before = db.session.scalar(db.select(db.func.count(Contact.id)))
    response = client.post(
        "/contacts/new",
        data={
            "to_person_id": email,
            "topic": topic,
            "day": day,
            "channel": "email",
            "started": "me",
        },
    )
    assert response.status_code in (302, 400, 403)
    after = db.session.scalar(db.select(db.func.count(Contact.id)))
    assert after == before + (1 if response.status_code == 302 else 0)


@FORMS
@given(text=hostile, platform=st.sampled_from(["x", "linkedin", "nonsense"]))
def test_checking_a_draft_post_never_fails_the_server(app, text: str, platform: str) -> None:
    client = _client(app)
    response = client.post(
        "/visits/1/posts",
        data={"platform": platform, "text": text, "day": "2016-12-09", "at": "10:00"},
    )
    assert response.status_code in (200, 400)


_clients: dict[int, object] = {}


def _client(app):
    """One signed-in client per application (hypothesis runs many examples in one test)."""
    if id(app) not in _clients:
        _clients.clear()
        _clients[id(app)] = signed_in_lead(app)
    return _clients[id(app)]


def test_markup_typed_anywhere_is_shown_as_text(app) -> None:
    client = signed_in_lead(app)
    added = client.post(
        "/people/new",
        data={
            "name": SCRIPT,
            "email": "x@example.org",
            "job_title": SCRIPT,
            "organisation_id": "0",
            "preferred_language": "en",
        },
    )
    assert added.status_code == 302
    person = db.session.scalar(db.select(Person).filter_by(email="x@example.org"))
    client.post(
        "/contacts/new",
        data={
            "to_person_id": str(person.id),
            "topic": SCRIPT,
            "day": "2017-03-06",
            "channel": "email",
            "started": "me",
        },
    )
    client.post(
        "/visits/1/posts",
        data={"platform": "x", "text": SCRIPT, "day": "2016-12-09", "at": "10:00"},
    )
    for url in ["/people", f"/people/{person.id}", "/people?q=script", "/visits/1/posts"]:
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html and "onerror=alert" not in html.replace(
            "onerror=alert(1)&gt;", ""
        ), url
        assert "&lt;script&gt;" in html, url
