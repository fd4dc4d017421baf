"""Reports kept in memory until the data behind them changes.

The key includes a stamp of the contacts and memberships (how many, the newest id), so a new
contact, an import or a new member makes the next view compute afresh; nothing has to remember
to clear the cache."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from threading import Lock
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cop.itinerary.models import ItineraryItem
from cop.network.models import Contact
from cop.visits.models import Membership

MAX_ENTRIES = 64


class ReportCache:
    """A small LRU cache; one per application, so that two apps never share entries."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self.entries: OrderedDict[tuple, Any] = OrderedDict()
        self.lock = Lock()
        self.hits = self.misses = 0

    def get(self, session: Session, key: tuple, compute: Callable[[], Any]) -> Any:
        full_key = (*key, data_stamp(session))
        with self.lock:
            if full_key in self.entries:
                self.entries.move_to_end(full_key)
                self.hits += 1
                return self.entries[full_key]
        value = compute()
        with self.lock:
            self.misses += 1
            self.entries[full_key] = value
            while len(self.entries) > self.max_entries:
                self.entries.popitem(last=False)
        return value


def data_stamp(session: Session) -> tuple:
    contacts = session.execute(select(func.count(Contact.id), func.max(Contact.id))).one()
    members = session.execute(select(func.count(Membership.id), func.max(Membership.id))).one()
    items = session.execute(
        select(func.count(ItineraryItem.id), func.max(ItineraryItem.updated_at))
    ).one()
    return (*contacts, *members, *items)
