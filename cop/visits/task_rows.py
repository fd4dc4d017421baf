"""The task lists of cop.visits.tasks as lines a page shows: a title that links to the page
where the work is done, a hint in words and a status tag (the GOV.UK task list pattern)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from cop.formatting import format_day
from cop.visits.models import Visit
from cop.visits.tasks import SECTIONS, State, Task

STATE_LABELS = {
    State.DONE: _l("Completed"),
    State.IN_PROGRESS: _l("In progress"),
    State.NOT_STARTED: _l("Not yet started"),
    State.CANNOT_START: _l("Cannot start yet"),
    State.NOT_NEEDED: _l("Not needed"),
}
SECTION_TITLES = {
    "prepare": _l("Prepare the visit"),
    "learn": _l("Learn during and after it"),
    "follow_up": _l("Follow up"),
}


@dataclass(frozen=True)
class TaskRow:
    key: str
    title: str
    href: str | None
    hint: str
    state: State

    @property
    def status(self) -> str:
        return str(STATE_LABELS[self.state])


def _of(done: int | None, total: int | None, text: Callable[[int, int], str]) -> str:
    return text(done or 0, total or 0) if total else ""


def _hint(task: Task) -> str:
    """What the line is made of, in words; a task that waits says until when."""
    if task.state is State.CANNOT_START and task.due is not None:
        return _("Opens on %(day)s", day=format_day(task.due))
    count = task.done or 0
    hints: dict[str, Callable[[], str]] = {
        "members": lambda: ngettext(
            "%(num)s person travelling", "%(num)s people travelling", count
        ),
        "dates": lambda: _of(
            task.done,
            task.total,
            lambda done, total: ngettext(
                "%(done)s of %(num)s invited has answered the poll",
                "%(done)s of %(num)s invited have answered the poll",
                total,
                done=done,
            ),
        ),
        "itinerary": lambda: ngettext("%(num)s item", "%(num)s items", count) if count else "",
        "interpreters": lambda: _of(
            task.done,
            task.total,
            lambda done, total: ngettext(
                "%(done)s of %(num)s item needing an interpreter is covered",
                "%(done)s of %(num)s items needing an interpreter are covered",
                total,
                done=done,
            ),
        ),
        "protocol": lambda: _of(
            task.done,
            task.total,
            lambda done, total: ngettext(
                "Accepted by %(done)s of %(num)s traveller",
                "Accepted by %(done)s of %(num)s travellers",
                total,
                done=done,
            ),
        ),
        "contacts": lambda: (
            ngettext("%(num)s contact logged", "%(num)s contacts logged", count) if count else ""
        ),
        "log_contacts": lambda: (
            ngettext("You logged %(num)s contact", "You logged %(num)s contacts", count)
            if count
            else ""
        ),
    }
    if task.key.startswith("reflections_") or task.key == "follow_ups":
        written = _of(
            task.done,
            task.total,
            lambda done, total: ngettext(
                "%(done)s of %(num)s written", "%(done)s of %(num)s written", total, done=done
            ),
        )
        if task.key == "follow_ups" and task.due is not None:
            following = _("next due on %(day)s", day=format_day(task.due))
            return f"{written}; {following}" if written else following
        return written
    return hints.get(task.key, lambda: "")()


VISIT_TITLES = {
    "members": _l("Objective and members"),
    "dates": _l("Dates agreed"),
    "itinerary": _l("Itinerary"),
    "interpreters": _l("Interpreters booked"),
    "protocol": _l("Social-media protocol approved and accepted"),
    "correspondence": _l("Correspondence with the hosts"),
    "reflections_before": _l("Reflections before the visit"),
    "reflections_after": _l("Reflections after the visit"),
    "contacts": _l("Contacts"),
    "follow_ups": _l("Follow-ups at 3, 6 and 12 months"),
    "report": _l("The evaluation report"),
}
MEMBER_TITLES = {
    "answer_poll": _l("Say which dates suit you"),
    "reflect_before": _l("Write your reflection before the visit"),
    "reflect_during": _l("Write a reflection during the visit"),
    "reflect_after": _l("Write your reflection after the visit"),
    "reflect_follow_up_3": _l("Write your follow-up at 3 months"),
    "reflect_follow_up_6": _l("Write your follow-up at 6 months"),
    "reflect_follow_up_12": _l("Write your follow-up at 12 months"),
    "accept_protocol": _l("Read and accept the social-media protocol"),
    "log_contacts": _l("Log the people you met"),
}


def _href(visit: Visit, task: Task, can_manage: bool) -> str | None:
    """Where the work of a line is done; a line that cannot start yet links nowhere."""
    if task.state in (State.CANNOT_START, State.NOT_NEEDED):
        return None
    visit_id = visit.id
    poll_id = task.target.get("poll_id")
    reflection_id = task.target.get("reflection_id")
    if task.key.startswith("reflect_"):
        if reflection_id is not None:
            endpoint = "reflection" if task.state is State.DONE else "edit_reflection"
            return url_for(
                f"reflections.{endpoint}", visit_id=visit_id, reflection_id=reflection_id
            )
        phase = task.key.removeprefix("reflect_")
        return url_for("reflections.new_reflection", visit_id=visit_id, phase=phase)
    pages: dict[str, Callable[[], str]] = {
        "members": lambda: (
            url_for("visits.members", visit_id=visit_id)
            if can_manage
            else url_for("visits.visit", visit_id=visit_id, _anchor="members")
        ),
        "dates": lambda: (
            url_for("polls.poll", visit_id=visit_id, poll_id=poll_id)
            if poll_id
            else url_for("polls.new_poll", visit_id=visit_id)
        ),
        "answer_poll": lambda: url_for("polls.answer", visit_id=visit_id, poll_id=poll_id),
        "itinerary": lambda: url_for("itinerary.itinerary", visit_id=visit_id),
        "interpreters": lambda: url_for("interpreting.visit_bookings", visit_id=visit_id),
        "protocol": lambda: url_for("social.protocol", visit_id=visit_id),
        "accept_protocol": lambda: url_for("social.protocol", visit_id=visit_id),
        "correspondence": lambda: url_for("correspondence.threads", visit_id=visit_id),
        "reflections_before": lambda: url_for("reflections.visit_reflections", visit_id=visit_id),
        "reflections_after": lambda: url_for("reflections.visit_reflections", visit_id=visit_id),
        "follow_ups": lambda: url_for("reflections.visit_reflections", visit_id=visit_id),
        "contacts": lambda: url_for("network.log_contact", visit=visit_id),
        "log_contacts": lambda: url_for("network.log_contact", visit=visit_id),
        "report": lambda: url_for("evaluation.visit_report", visit_id=visit_id),
    }
    return pages[task.key]()


def rows(visit: Visit, tasks: list[Task], can_manage: bool = False) -> list[TaskRow]:
    titles = {**VISIT_TITLES, **MEMBER_TITLES}
    return [
        TaskRow(
            task.key,
            str(titles[task.key]),
            _href(visit, task, can_manage),
            _hint(task),
            task.state,
        )
        for task in tasks
    ]


def sections(visit: Visit, tasks: list[Task]) -> list[tuple[str, list[TaskRow]]]:
    """The visit's list in its three sections, for its leads."""
    by_key = {row.key: row for row in rows(visit, tasks, can_manage=True)}
    return [
        (str(SECTION_TITLES[name]), [by_key[key] for key in keys if key in by_key])
        for name, keys in SECTIONS.items()
    ]
