"""Signed links: they carry no secret but their signature, and they can be revoked or expire."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cop.database import utcnow
from cop.extensions import db
from cop.links import LinkError, issue_link, resolve_link, revoke_links

SECRET = "test-secret-key"


def test_a_link_resolves_to_what_it_was_issued_for(app) -> None:
    issued = issue_link(SECRET, "poll", 42)
    db.session.commit()
    link = resolve_link(SECRET, "poll", issued.token)
    assert (link.purpose, link.subject_id) == ("poll", 42)
    assert link.last_used_at is not None


@pytest.mark.parametrize(
    ("secret", "purpose", "mangle"),
    [
        ("another-secret", "poll", lambda token: token),
        (SECRET, "feed", lambda token: token),
        (SECRET, "poll", lambda token: token[:-2] + "xx"),
        (SECRET, "poll", lambda token: "garbage"),
    ],
)
def test_a_link_signed_otherwise_or_for_another_purpose_is_invalid(
    app, secret, purpose, mangle
) -> None:
    issued = issue_link(SECRET, "poll", 42)
    db.session.commit()
    with pytest.raises(LinkError) as raised:
        resolve_link(secret, purpose, mangle(issued.token))
    assert raised.value.reason == "invalid"


def test_a_revoked_link_stops_working(app) -> None:
    issued = issue_link(SECRET, "poll", 42)
    other = issue_link(SECRET, "poll", 43)
    assert revoke_links("poll", 42) == 1
    db.session.commit()
    with pytest.raises(LinkError) as raised:
        resolve_link(SECRET, "poll", issued.token)
    assert raised.value.reason == "revoked"
    assert resolve_link(SECRET, "poll", other.token).subject_id == 43


def test_an_expired_link_stops_working(app) -> None:
    issued = issue_link(SECRET, "poll", 42, valid_for=timedelta(hours=1))
    issued.link.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    with pytest.raises(LinkError) as raised:
        resolve_link(SECRET, "poll", issued.token)
    assert raised.value.reason == "expired"
