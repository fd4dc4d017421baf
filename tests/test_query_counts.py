"""Every main page runs the same number of SQL queries whatever the amount of data."""

from __future__ import annotations

from benchmarks.pages import (
    add_big_itinerary,
    benchmark_users,
    main_pages,
    measure,
    personal_feed_path,
    signed_in_client,
)
from cop.accounts.models import User
from cop.extensions import db
from cop.generate import Scale, generate

SMALLER = Scale(
    organisations=3, people=20, programmes=2, visits=4, members_per_visit=4, items_per_visit=2
)
LARGER = Scale(
    organisations=12, people=90, programmes=6, visits=24, members_per_visit=11, items_per_visit=8
)


def query_counts(app, scale: Scale, extra_items: int) -> dict[tuple[str, int], int]:
    generate(db.session, scale, seed=1)
    db.session.commit()
    add_big_itinerary(db.session, extra_items)
    users = benchmark_users(db.session)
    lead = db.session.scalar(db.select(User).filter_by(email=users["lead"]))
    pages = main_pages(db.session)
    pages.append(personal_feed_path(db.session, app.config["SECRET_KEY"], lead.person_id))
    counts = {}
    for role, email in users.items():
        client = signed_in_client(app, email)
        for position, url in enumerate(pages):
            result = measure(db.engine, client, url, repeats=1)
            assert result.status == 200, (role, url)
            counts[(role, position)] = result.queries
    return counts


def test_query_counts_do_not_grow_with_the_data(app) -> None:
    from tests.conftest import _empty_all_tables

    app.config["PAGE_SIZE"] = 10
    smaller = query_counts(app, SMALLER, extra_items=3)
    db.session.remove()
    _empty_all_tables()
    larger = query_counts(app, LARGER, extra_items=40)
    assert larger == smaller
    # A lead's visit page is the busiest: the visit's task list and the lead's own read what
    # each part of the visit left behind (members, polls, items, bookings, the protocol and
    # its acceptances, messages, reflections, contacts), the translations of what it shows
    # (visits' titles, then the visit's other content) into the reader's language, and whether
    # the reader may correct them: a constant 28 queries, and one before them all to find
    # whether the reader's page is kept as rendered (cop.stored_pages; it is not, the first
    # time).
    assert max(smaller.values()) <= 29
