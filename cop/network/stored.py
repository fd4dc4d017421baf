"""Network reports and pictures kept in the shared store (cop.computed), recomputed by the
workers after the contacts or the programme's visits change, so that a page view reads a
stored result. Plain logic: takes the session, never imports Flask.

A stored result's key holds the parameters it was computed with (as JSON), so a worker can
compute it again without the request that asked for it; a choice too long for a key
(hundreds of organisations ticked) is computed for its request alone."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from cop.computed import store
from cop.computed.changes import CONTACTS, programme_scope
from cop.database import utcnow
from cop.network.analysis import PERMUTATION_ROUNDS
from cop.network.loading import DEFAULT_SOURCES, Windows
from cop.network.pictures import draw
from cop.network.report import NetworkReport, analyse

# The stored reports' shape: raised when NetworkReport changes, so that no page reads an older one.
REPORT = "network-2:"
PICTURES = "network-pictures:"
KEY_LENGTH = 250


@dataclass(frozen=True)
class NetworkQuestion:
    """What a network report is asked for: the programme, the visit whose windows it compares,
    the kinds of ties, whose ties, the windows typed by a researcher, the organisations."""

    programme_id: int
    visit_id: int | None = None
    sources: tuple[str, ...] = DEFAULT_SOURCES
    only_visit_people: bool = False
    custom: Windows | None = None
    organisation_ids: tuple[int, ...] = ()
    rounds: int = PERMUTATION_ROUNDS

    def as_text(self) -> str:
        return json.dumps(asdict(self), default=str, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_text(cls, text: str) -> NetworkQuestion:
        fields: dict[str, Any] = json.loads(text)
        custom = fields.pop("custom")
        if custom is not None:
            custom = Windows(
                tuple(date.fromisoformat(day) for day in custom["before"]),
                tuple(date.fromisoformat(day) for day in custom["after"]),
                custom["visit_id"],
            )
        return cls(
            **{
                **fields,
                "sources": tuple(fields["sources"]),
                "organisation_ids": tuple(fields["organisation_ids"]),
                "custom": custom,
            }
        )


def scopes(programme_id: int) -> list[str]:
    """A programme's network changes with its visits (members, items) and with contacts."""
    return [programme_scope(programme_id), CONTACTS]


def _scopes_of_key(key: str) -> list[str]:
    return scopes(NetworkQuestion.from_text(key.split(":", 1)[1].split("|", 1)[-1]).programme_id)


def compute(session: Session, question: NetworkQuestion, label: Callable) -> NetworkReport:
    return analyse(
        session,
        question.programme_id,
        question.visit_id,
        question.sources,
        rounds=question.rounds,
        label=label,
        only_visit_people=question.only_visit_people,
        custom=question.custom,
        organisation_ids=question.organisation_ids,
    )


def report(
    session: Session, question: NetworkQuestion, label: Callable, *, stale_is_enough: bool
) -> store.Result:
    key = REPORT + question.as_text()
    work = lambda: compute(session, question, label)  # noqa: E731
    if len(key) > KEY_LENGTH:
        return store.Result(work(), utcnow(), True)
    return store.stored_or_computed(
        session, key, scopes(question.programme_id), work, stale_is_enough=stale_is_enough
    )


def drawn(question: NetworkQuestion, report: NetworkReport, label: Callable) -> dict:
    """The pictures of a report (in the language of the moment: titles and legends)."""
    only_visit = (
        report.windows.visit_id if (question.only_visit_people and report.windows) else None
    )
    return draw(
        question.programme_id,
        report,
        question.sources,
        label,
        only_visit,
        question.organisation_ids,
    )


def pictures(
    session: Session,
    question: NetworkQuestion,
    report: NetworkReport,
    language: str,
    label: Callable,
    *,
    stale_is_enough: bool,
) -> store.Result:
    key = f"{PICTURES}{language}|{question.as_text()}"
    work = lambda: drawn(question, report, label)  # noqa: E731
    if len(key) > KEY_LENGTH:
        return store.Result(work(), utcnow(), True)
    return store.stored_or_computed(
        session, key, scopes(question.programme_id), work, stale_is_enough=stale_is_enough
    )


def stale_questions(
    session: Session,
) -> tuple[list[NetworkQuestion], list[tuple[str, NetworkQuestion]]]:
    """The reports, and the pictures (with their language), stored before their data changed."""
    reports = [
        NetworkQuestion.from_text(key.removeprefix(REPORT))
        for key in store.stale_keys(session, REPORT, _scopes_of_key)
    ]
    drawn = []
    for key in store.stale_keys(session, PICTURES, _scopes_of_key):
        language, text = key.removeprefix(PICTURES).split("|", 1)
        drawn.append((language, NetworkQuestion.from_text(text)))
    return reports, drawn
