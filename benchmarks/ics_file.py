"""The .ics of a 505-item visit: cop's endpoint against raw icalendar on the same rows.

    .venv/bin/python benchmarks/ics_file.py [--items 500] [--repeats 20]

In a fresh SQLite database with the Paris demo, the demo visit is given ``--items`` more
itinerary items. It then times, side by side in one run, the lead's request for the visit's
calendar through the WSGI application (access check, the items with their attendees and
interpreters, the calendar built and serialised) and a hand-written script that reads the same
rows with one SELECT and builds the same events with icalendar alone (UID, SEQUENCE, DTSTAMP,
zoned DTSTART/DTEND, SUMMARY, LOCATION, DESCRIPTION, STATUS, VTIMEZONE). It prints the medians
and their ratios, for a calendar (and the itinerary page) read while the data is unchanged
(stored, cop.computed) and read just after an item changed (computed afresh); it asserts
nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade
from icalendar import Calendar, Event
from sqlalchemy import select

from cop import PROJECT_ROOT, create_app
from cop.demo import load_demo
from cop.extensions import db
from cop.itinerary.models import ItineraryItem
from cop.visits.models import Visit


def raw_calendar(rows: list, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//benchmark//raw icalendar//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for row in rows:
        zone = ZoneInfo(row.time_zone)
        event = Event()
        event.add("uid", row.uid)
        event.add("sequence", row.sequence)
        event.add("dtstamp", row.updated_at)
        event.add("dtstart", row.starts_at.astimezone(zone))
        event.add("dtend", row.ends_at.astimezone(zone))
        event.add("summary", row.title)
        if row.place:
            event.add("location", row.place)
        if row.notes:
            event.add("description", row.notes)
        event.add("status", "CANCELLED" if row.cancelled else "CONFIRMED")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def median_ms(run, repeats: int) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(repeats):
        started = time.perf_counter()
        size = len(run())
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=20)
    arguments = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="cop-ics-"))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'ics.sqlite'}",
            "INSTANCE_PATH": str(folder),
            "SECRET_KEY": "benchmark",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "QUEUE_URL": "immediate",
        }
    )
    with app.app_context():
        upgrade(directory=str(PROJECT_ROOT / "migrations"))
        load_demo(db.session)
        db.session.commit()
        visit = db.session.scalar(select(Visit).order_by(Visit.id))
        first = db.session.scalar(
            select(ItineraryItem.starts_at)
            .where(ItineraryItem.visit_id == visit.id)
            .order_by(ItineraryItem.starts_at)
        )
        for number in range(arguments.items):
            starts = first + timedelta(days=number // 8, hours=number % 8)
            db.session.add(
                ItineraryItem(
                    visit_id=visit.id,
                    title=f"Rencontre {number}",
                    starts_at=starts,
                    ends_at=starts + timedelta(minutes=50),
                    time_zone=visit.time_zone,
                    place="Hôtel de Ville",
                    notes="Avec l’équipe du budget participatif.",
                )
            )
        db.session.commit()
        visit_id, name = visit.id, visit.title
        count = db.session.scalar(
            select(db.func.count(ItineraryItem.id)).where(ItineraryItem.visit_id == visit_id)
        )
        query = select(ItineraryItem.__table__).where(ItineraryItem.visit_id == visit_id)

        def raw() -> bytes:
            with db.engine.connect() as connection:
                rows = connection.execute(query.order_by(ItineraryItem.starts_at)).all()
            return raw_calendar(rows, name)

        raw()  # warm up, as the app's first request is
        raw_ms, raw_size = median_ms(raw, arguments.repeats)

    client = app.test_client()
    client.post("/sign-in", data={"email": "lead@glasgow.example", "password": "cop-demo"})
    print(f"{count} items, median of {arguments.repeats}")
    print(f"raw icalendar, one SELECT:            {raw_ms:8.1f} ms  {raw_size:8d} bytes")
    for url in (f"/visits/{visit_id}/itinerary.ics", f"/visits/{visit_id}/itinerary"):
        assert client.get(url).status_code == 200
        stored_ms, size = median_ms(lambda url=url: client.get(url).get_data(), arguments.repeats)
        changed_ms = statistics.median(
            changed_then_read(app, client, visit_id, url) for _ in range(arguments.repeats)
        )
        print(f"cop  {url}")
        print(f"  stored (data unchanged):            {stored_ms:8.1f} ms  {size:8d} bytes")
        print(f"  just after an item changed:         {changed_ms:8.1f} ms")
        print(f"  ratio cop / raw, stored:            {stored_ms / raw_ms:8.2f}")
        print(f"  ratio cop / raw, after a change:    {changed_ms / raw_ms:8.2f}")


def changed_then_read(app, client, visit_id: int, url: str) -> float:
    """Change one item (outside the timing: the change is someone's own request), then read
    the page, which is computed afresh; the milliseconds of the read."""
    with app.app_context():
        item = db.session.scalar(
            select(ItineraryItem).where(ItineraryItem.visit_id == visit_id).limit(1)
        )
        item.sequence += 1
        db.session.commit()
    started = time.perf_counter()
    client.get(url).get_data()
    return (time.perf_counter() - started) * 1000


if __name__ == "__main__":
    main()
